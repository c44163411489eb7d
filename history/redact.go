package history

import (
	"bytes"
	"encoding/json"
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
type Redactor struct {
	mu     sync.Mutex
	names  map[string]string // secret value → marker name
	counts map[string]int    // base name → distinct values seen
	scrub  []string          // values replaced anywhere, longest first
	last   map[string]*flow.Challenge
	hits   int
}

// NewRedactor returns a redactor that has seen no secrets yet.
func NewRedactor() *Redactor {
	return &Redactor{names: map[string]string{}, counts: map[string]int{}, last: map[string]*flow.Challenge{}}
}

// name registers a secret value under base and returns its marker name.
func (r *Redactor) name(base, value string) string {
	if n, ok := r.names[value]; ok {
		return n
	}
	r.counts[base]++
	n := base
	if c := r.counts[base]; c > 1 {
		n = fmt.Sprintf("%s#%d", base, c)
	}
	r.names[value] = n
	if len(value) >= minScrubLen {
		r.scrub = append(r.scrub, value)
		sort.SliceStable(r.scrub, func(i, j int) bool { return len(r.scrub[i]) > len(r.scrub[j]) })
	}
	return n
}

// Redact returns a copy of e with secrets replaced by markers and the flag
// FlagSecretsRedacted when anything was replaced. e is not modified.
func (r *Redactor) Redact(e *transport.Exchange) *transport.Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hits = 0
	c := cloneExchange(e)
	c.Challenge = nil
	c.URL = r.redactURL(c.URL)
	c.RequestHeader = r.headers(c.RequestHeader)
	c.ResponseHeader = r.headers(c.ResponseHeader)
	for i := range c.Jar {
		if v := c.Jar[i].Value; v != "" && !isMarker(v) {
			c.Jar[i].Value = Marker(r.name("cookie:"+c.Jar[i].Name, c.Jar[i].Value))
			r.hits++
		}
	}
	if c.Method == http.MethodPost {
		c.RequestBody = r.answer(c.RequestBody, r.answerKeys(e))
	}
	c.ResponseBody = r.challenge(c.ResponseBody)
	r.scrubAll(c)
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
func (r *Redactor) answerKeys(e *transport.Exchange) map[string]bool {
	keys := map[string]bool{}
	for k := range answerSecretKeys {
		keys[k] = true
	}
	for _, k := range e.Secrets {
		keys[k] = true
	}
	if ch := r.last[e.Flow]; ch != nil {
		for _, k := range catalogSecrets(ch) {
			keys[k] = true
		}
		for _, k := range promptPasswordKeys(ch) {
			keys[k] = true
		}
	}
	return keys
}

// catalogSecrets asks the flow catalog which fields of a challenge's form
// are secret. The catalog is someone else's code: a panic there must not
// lose a recording.
func catalogSecrets(ch *flow.Challenge) (keys []string) {
	defer func() {
		if recover() != nil {
			keys = nil
		}
	}()
	for _, f := range flow.FormFor(ch).Fields {
		if f.Secret {
			keys = append(keys, f.Key)
		}
	}
	return keys
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

// answer replaces the secret top-level values of an answer body.
func (r *Redactor) answer(body []byte, keys map[string]bool) []byte {
	ms, ok := answerObject(body)
	if !ok {
		return r.rawAnswer(body, keys)
	}
	changed := false
	for i, m := range ms {
		if !keys[m.Key] || m.Key == "component" {
			continue
		}
		text, number, ok := rawScalarText(m.Value)
		if !ok && len(m.Value) > 2 && (m.Value[0] == '{' || m.Value[0] == '[') {
			text, ok = string(m.Value), true // a secret object: a WebAuthn assertion
		}
		if !ok || text == "" {
			continue
		}
		if _, _, already := ParseMarker(text); already {
			continue
		}
		n := r.name(m.Key, text)
		if number {
			ms[i].Value = marshalNoEscape(numberMarker(n))
		} else {
			ms[i].Value = marshalNoEscape(Marker(n))
		}
		r.hits++
		changed = true
	}
	if r.deep(ms) || changed {
		return encodeObject(ms)
	}
	return body
}

// challenge replaces tokens a server puts in challenges: the consent token,
// the TOTP setup secret, static recovery codes, nested secret keys, and
// credentials in redirect targets.
func (r *Redactor) challenge(body []byte) []byte {
	ms, err := parseObject(body)
	if err != nil {
		return body
	}
	changed := false
	for i, m := range ms {
		switch m.Key {
		case "token":
			if s, ok := rawString(m.Value); ok && s != "" && !isMarker(s) {
				ms[i].Value = marshalNoEscape(Marker(r.name("token", s)))
				r.hits++
				changed = true
			}
		case "config_url":
			if s, ok := rawString(m.Value); ok {
				r.registerURLParams(s, "totp_secret", "secret")
			}
		case "to":
			if s, ok := rawString(m.Value); ok {
				r.registerURLParams(s, "", credentialParams...)
			}
		case "codes":
			var codes []string
			if json.Unmarshal(m.Value, &codes) == nil && len(codes) > 0 {
				for j, code := range codes {
					if code != "" && !isMarker(code) {
						codes[j] = Marker(r.name("static_code", code))
						r.hits++
					}
				}
				ms[i].Value = marshalNoEscape(codes)
				changed = true
			}
		}
	}
	if r.deep(ms) || changed {
		return encodeObject(ms)
	}
	return body
}

func isMarker(s string) bool { _, _, ok := ParseMarker(s); return ok }

// registerURLParams marks query parameters of a URL as secrets; the scrub
// pass then replaces them. base "" names each after its parameter.
func (r *Redactor) registerURLParams(raw, base string, params ...string) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	q := u.Query()
	for _, p := range params {
		if v := q.Get(p); v != "" && !isMarker(v) {
			name := base
			if name == "" {
				name = "url:" + p
			}
			r.registerCredential(name, v)
		}
	}
}

// deep replaces string values of deepSecretKeys at any depth below the top.
func (r *Redactor) deep(ms []member) bool {
	changed := false
	for i, m := range ms {
		if deepSecretKeys[m.Key] {
			if s, ok := rawString(m.Value); ok && s != "" && !isMarker(s) {
				ms[i].Value = marshalNoEscape(Marker(r.name(m.Key, s)))
				r.hits++
				changed = true
			}
			continue
		}
		if len(m.Value) == 0 || (m.Value[0] != '{' && m.Value[0] != '[') || !mentionsDeepKey(m.Value) {
			continue
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(m.Value))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			continue
		}
		if r.walk(v) {
			ms[i].Value = marshalNoEscape(v)
			changed = true
		}
	}
	return changed
}

func mentionsDeepKey(b []byte) bool {
	for k := range deepSecretKeys {
		if bytes.Contains(b, []byte(`"`+k+`"`)) {
			return true
		}
	}
	return false
}

func (r *Redactor) walk(v any) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if s, ok := x.(string); ok && deepSecretKeys[k] && s != "" && !isMarker(s) {
				t[k] = Marker(r.name(k, s))
				r.hits++
				changed = true
			} else if r.walk(x) {
				changed = true
			}
		}
	case []any:
		for _, x := range t {
			if r.walk(x) {
				changed = true
			}
		}
	}
	return changed
}

// headers replaces credentials in a header map copy: Authorization and
// token headers wholesale (keeping the scheme), cookie values one by one
// (keeping names and attributes).
func (r *Redactor) headers(h http.Header) http.Header {
	for k, vs := range h {
		switch strings.ToLower(k) {
		case "authorization", "proxy-authorization":
			for i, v := range vs {
				scheme, cred, found := strings.Cut(v, " ")
				if !found {
					scheme, cred = "", v
				}
				if cred != "" && !isMarker(cred) {
					m := Marker(r.name("header:"+strings.ToLower(k), cred))
					vs[i] = strings.TrimSpace(scheme + " " + m)
					r.hits++
				}
			}
		case "x-authentik-csrf", "x-authentik-outpost-token", "x-csrftoken":
			for i, v := range vs {
				if v != "" && !isMarker(v) {
					vs[i] = Marker(r.name("header:"+strings.ToLower(k), v))
					r.hits++
				}
			}
		case "location", "referer":
			for i, v := range vs {
				vs[i] = r.redactURL(v)
			}
		case "cookie":
			for i, v := range vs {
				vs[i] = r.cookieHeader(v)
			}
		case "set-cookie":
			for i, v := range vs {
				vs[i] = r.setCookie(v)
			}
		}
	}
	return h
}

func (r *Redactor) cookieHeader(v string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		name, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || val == "" || isMarker(val) {
			continue
		}
		parts[i] = name + "=" + Marker(r.name("cookie:"+name, val))
		r.hits++
	}
	return strings.Join(parts, "; ")
}

func (r *Redactor) setCookie(v string) string {
	first, attrs, _ := strings.Cut(v, ";")
	name, val, ok := strings.Cut(strings.TrimSpace(first), "=")
	if !ok || val == "" || val == `""` || isMarker(val) {
		return v
	}
	r.hits++
	out := name + "=" + Marker(r.name("cookie:"+name, val))
	if attrs != "" {
		out += ";" + attrs
	}
	return out
}

// scrubAll replaces every long known secret wherever it still appears: in
// the URL, header values and inside the string literals of the bodies.
func (r *Redactor) scrubAll(c *transport.Exchange) {
	if len(r.scrub) == 0 {
		return
	}
	replace := func(s string) (string, int) {
		total := 0
		for _, v := range r.scrub {
			if !strings.Contains(s, v) {
				continue
			}
			var n int
			s, n = replaceAllBounded(s, v, Marker(r.names[v]))
			total += n
		}
		return s, total
	}
	var n int
	c.URL, n = replace(c.URL)
	r.hits += n
	for _, h := range []http.Header{c.RequestHeader, c.ResponseHeader} {
		for _, vs := range h {
			for i := range vs {
				vs[i], n = replace(vs[i])
				r.hits += n
			}
		}
	}
	c.RequestBody = r.scrubBody(c.RequestBody, replace)
	c.ResponseBody = r.scrubBody(c.ResponseBody, replace)
	c.Error, n = replace(c.Error)
	r.hits += n
}

func (r *Redactor) scrubBody(b []byte, replace func(string) (string, int)) []byte {
	if len(b) == 0 {
		return b
	}
	t := bytes.TrimSpace(b)
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t) {
		out, n := scrubJSONStrings(b, replace)
		r.hits += n
		return out
	}
	s, n := replace(string(b))
	if n == 0 {
		return b
	}
	r.hits += n
	return []byte(s)
}

// cloneExchange deep-copies everything Redact may rewrite, so the live
// exchange the client and the TUI hold keeps its real values.
func cloneExchange(e *transport.Exchange) *transport.Exchange {
	c := *e
	c.RequestHeader = e.RequestHeader.Clone()
	c.ResponseHeader = e.ResponseHeader.Clone()
	c.RequestBody = append([]byte(nil), e.RequestBody...)
	c.ResponseBody = append([]byte(nil), e.ResponseBody...)
	if e.RequestBody == nil {
		c.RequestBody = nil
	}
	if e.ResponseBody == nil {
		c.ResponseBody = nil
	}
	c.Jar = append([]transport.Cookie(nil), e.Jar...)
	c.JarChanges = append([]transport.CookieChange(nil), e.JarChanges...)
	c.Flags = append([]string(nil), e.Flags...)
	c.Secrets = append([]string(nil), e.Secrets...)
	return &c
}
