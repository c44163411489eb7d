// Package redact takes secrets out of exchanges before they are written
// (passwords, codes, tokens, session cookies, credentials in URLs) and puts
// them back when a recording is replayed. A secret is replaced by a marker
// that names it («redacted:password»); the functions here find, list and
// fill those markers. It depends on no other history package: the writer
// (package history) redacts through it, replay restores through it.
package redact

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
)

// answerSecretKeys are answer keys treated as secret for every component, on
// top of Exchange.Secrets and the catalog's Field.Secret.
var answerSecretKeys = map[string]bool{
	"password": true, "code": true, "token": true, "captcha_token": true,
}

// deepSecretKeys are keys whose string values are secret wherever they sit in
// a body (the inspector's plan_context is not cleaned by authentik).
var deepSecretKeys = map[string]bool{
	"password": true, "password_repeat": true, "client_secret": true,
	"access_token": true, "refresh_token": true, "id_token": true,
}

// Redactor replaces secrets in copies of exchanges. It is stateful: a value
// seen once as a secret (a password, a cookie) is replaced wherever it shows
// up later, and the same value always gets the same marker name. Safe for
// concurrent use.
//
// Redaction rewrites values only, never structure: JSON string values
// (never keys), header values (never names), cookie values (never names
// or attributes), query values (never names), and never text inside a
// marker. Redact works in two passes: the values known to be secret by
// where they sit become markers (and their values are learnt), then the
// pure scrub pass (secretSet.scrub) replaces every learnt value wherever
// it appears in a value position.
type Redactor struct {
	mu     sync.Mutex
	names  map[string]string // secret value → marker name
	counts map[string]int    // base name → distinct values seen
	taken  map[string]bool   // marker names in use, ours or found in the input
	scrub  []string          // values replaced anywhere, longest first
	last   map[string]*flow.Challenge
	hits   int
}

// NewRedactor returns a redactor that has seen no secrets yet.
func NewRedactor() *Redactor {
	return &Redactor{names: map[string]string{}, counts: map[string]int{}, taken: map[string]bool{}, last: map[string]*flow.Challenge{}}
}

// name registers a secret value under base and returns its marker name. A
// name that a marker in the input already uses is never given to another
// value, so that putting secrets back never writes into a marker that was
// there before.
func (r *Redactor) name(base, value string) string {
	if n, ok := r.names[value]; ok {
		return n
	}
	base = markerBase(base)
	n := base
	for {
		r.counts[base]++
		if c := r.counts[base]; c > 1 {
			n = fmt.Sprintf("%s#%d", base, c)
		}
		if !r.taken[n] {
			break
		}
	}
	r.taken[n] = true
	r.names[value] = n
	if len(value) >= minScrubLen {
		r.addScrub(value)
	}
	return n
}

func (r *Redactor) addScrub(value string) {
	r.scrub = append(r.scrub, value)
	sort.SliceStable(r.scrub, func(i, j int) bool { return len(r.scrub[i]) > len(r.scrub[j]) })
}

// reserve takes the names of the markers already in an exchange (a
// recording redacted before, or marker text in the traffic itself).
func (r *Redactor) reserve(c *transport.Exchange) {
	take := func(s string) {
		for _, m := range markerSpans(s) {
			r.taken[m.name] = true
		}
	}
	take(c.URL)
	take(c.Error)
	for _, b := range [][]byte{c.RequestBody, c.ResponseBody} {
		if bytes.Contains(b, []byte("redacted")) { // else no copy of the body
			take(string(b))
		}
	}
	for _, h := range []http.Header{c.RequestHeader, c.ResponseHeader} {
		for _, vs := range h {
			for _, v := range vs {
				take(v)
			}
		}
	}
	for _, ck := range c.Jar {
		take(ck.Value)
	}
}

// secrets is the learnt values for the scrub pass.
func (r *Redactor) secrets() secretSet { return secretSet{values: r.scrub, names: r.names} }

// Redact returns a copy of e with secrets replaced by markers and the flag
// FlagSecretsRedacted when anything was replaced. e is not modified.
func (r *Redactor) Redact(e *transport.Exchange) *transport.Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hits = 0
	c := cloneExchange(e)
	c.Challenge = nil
	r.reserve(c)
	c.URL = r.redactURL(c.URL)
	c.RequestHeader = r.headers(c.RequestHeader)
	c.ResponseHeader = r.headers(c.ResponseHeader)
	for i := range c.Jar {
		if v := c.Jar[i].Value; v != "" && !IsMarker(v) {
			c.Jar[i].Value = Marker(r.name("cookie:"+c.Jar[i].Name, c.Jar[i].Value))
			r.hits++
		}
	}
	if c.Method == http.MethodPost {
		keys, failClosed := r.answerKeys(e)
		c.RequestBody = r.knownBody(c.RequestBody, bodyRules{answer: true, keys: keys, failClosed: failClosed})
	} else {
		c.RequestBody = r.knownBody(c.RequestBody, bodyRules{})
	}
	c.ResponseBody = r.knownBody(c.ResponseBody, bodyRules{challenge: true})
	r.hits += r.secrets().scrub(c)
	if r.hits > 0 && !c.Has(transport.FlagSecretsRedacted) {
		c.Flags = append(c.Flags, transport.FlagSecretsRedacted)
	}
	r.remember(e)
	return c
}

// remember keeps the live challenge so the next POST's secret fields can be
// read from the catalog form of the challenge it answers.
func (r *Redactor) remember(e *transport.Exchange) {
	ch := e.Challenge
	if ch == nil && len(e.ResponseBody) > 0 {
		ch, _ = flow.Decode(e.ResponseBody)
	}
	if ch != nil {
		r.last[e.Flow] = ch
	}
}

// answerKeys lists the secret keys of a POSTed answer: the client's list,
// the catalog's secret fields, password prompts, and the usual names.
// failClosed is true for an executor answer the catalog cannot classify
// (no challenge seen, an unknown component, or the catalog failed): then
// every string value of the answer is treated as secret.
func (r *Redactor) answerKeys(e *transport.Exchange) (keys map[string]bool, failClosed bool) {
	keys = map[string]bool{}
	for k := range answerSecretKeys {
		keys[k] = true
	}
	for _, k := range e.Secrets {
		keys[k] = true
	}
	ch := r.last[e.Flow]
	if ch == nil {
		return keys, e.Kind == transport.KindExecutor
	}
	secret, ok := catalogSecrets(ch)
	for _, k := range secret {
		keys[k] = true
	}
	for _, k := range promptPasswordKeys(ch) {
		keys[k] = true
	}
	return keys, !ok && e.Kind == transport.KindExecutor
}

// catalogSecrets asks the flow catalog which fields of a challenge's form
// are secret. ok is false when the catalog cannot tell: an unknown
// component, or a panic in the catalog (someone else's code), which must
// not lose a recording and makes the caller redact every string instead.
func catalogSecrets(ch *flow.Challenge) (keys []string, ok bool) {
	defer func() {
		if recover() != nil {
			keys, ok = nil, false
		}
	}()
	form := flow.FormFor(ch)
	if form.Unknown {
		return nil, false
	}
	for _, f := range form.Fields {
		if f.Secret {
			keys = append(keys, f.Key)
		}
	}
	return keys, true
}

// promptPasswordKeys finds prompt-stage fields of type password.
func promptPasswordKeys(ch *flow.Challenge) []string {
	if ch.Component != flow.ComponentPrompt {
		return nil
	}
	var fields []struct {
		Key  string `json:"field_key"`
		Type string `json:"type"`
	}
	_ = ch.Get("fields", &fields)
	var keys []string
	for _, f := range fields {
		if f.Type == "password" {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

// IsMarker reports whether s is a whole marker.
func IsMarker(s string) bool { _, _, ok := ParseMarker(s); return ok }

// registerURLParams marks query parameters of a URL as secrets; the scrub
// pass then replaces them. base "" names each after its parameter.
func (r *Redactor) registerURLParams(raw, base string, params ...string) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	q := u.Query()
	for _, p := range params {
		if v := q.Get(p); v != "" && !IsMarker(v) {
			name := base
			if name == "" {
				name = "url:" + p
			}
			r.registerCredential(name, v)
		}
	}
}

// headers replaces credentials in a header map copy: Authorization and
// token headers wholesale (keeping the scheme), cookie values one by one
// (keeping names, attributes and separators).
func (r *Redactor) headers(h http.Header) http.Header {
	for k, vs := range h {
		lk := strings.ToLower(k)
		for i, v := range vs {
			switch lk {
			case "authorization", "proxy-authorization":
				vs[i] = r.authorization(lk, v)
			case "x-authentik-csrf", "x-authentik-outpost-token", "x-csrftoken":
				vs[i] = r.whole("header:"+lk, v)
			case "location", "referer":
				vs[i] = r.redactURL(v)
			case "cookie", "set-cookie":
				vs[i] = mapCookieValues(v, lk == "set-cookie", r.cookieValue)
			}
		}
	}
	return h
}

func (r *Redactor) authorization(lk, v string) string {
	scheme, cred, found := strings.Cut(v, " ")
	if !found {
		return r.whole("header:"+lk, v)
	}
	return scheme + " " + r.whole("header:"+lk, cred)
}

// whole replaces a whole value with a marker named base.
func (r *Redactor) whole(base, v string) string {
	if v == "" || IsMarker(v) {
		return v
	}
	r.hits++
	return Marker(r.name(base, v))
}

// cookieValue replaces one cookie's value.
func (r *Redactor) cookieValue(name, val string) string {
	if val == "" || val == `""` || IsMarker(val) {
		return val
	}
	r.hits++
	return Marker(r.name("cookie:"+name, val))
}

// cloneExchange copies everything Redact may rewrite in place, so the live
// exchange the client and the TUI hold keeps its real values. The bodies
// are shared, not copied: redaction never writes into a body, it makes a
// new one where it replaces something (applyEdits, mapBodyValues), so a
// body that holds no secret costs no copy (a hostile body can be as large
// as the body cap).
func cloneExchange(e *transport.Exchange) *transport.Exchange {
	c := *e
	c.RequestHeader = e.RequestHeader.Clone()
	c.ResponseHeader = e.ResponseHeader.Clone()
	c.Jar = append([]transport.Cookie(nil), e.Jar...)
	c.JarChanges = append([]transport.CookieChange(nil), e.JarChanges...)
	c.Flags = append([]string(nil), e.Flags...)
	c.Secrets = append([]string(nil), e.Secrets...)
	return &c
}
