package history

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/akinspect/akinspect/transport"
)

// ImportHAR reads a HAR 1.2 log, from akinspect or a browser's devtools (an
// authentik login captured in Chrome, say). Flow exchanges (executor, flow
// page, inspector) form the timeline; every other entry is kept with
// KindOther, which Summary marks Hidden.
func ImportHAR(r io.Reader) (*Recording, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var f harFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("HAR: %w", err)
	}
	if f.Log.Entries == nil {
		return nil, errors.New("HAR: no log.entries")
	}
	entries := f.Log.Entries
	sort.SliceStable(entries, func(i, j int) bool {
		return harStart(entries[i]).Before(harStart(entries[j]))
	})
	jar := newSimJar()
	var exchanges []*transport.Exchange
	for i, en := range entries {
		e, err := exchangeFromHAR(en, i+1, jar)
		if err != nil {
			return nil, fmt.Errorf("HAR entry %d: %w", i+1, err)
		}
		exchanges = append(exchanges, e)
	}
	var h Header
	if f.Log.Akinspect != nil {
		h = f.Log.Akinspect.Header
	} else {
		h = headerFromExchanges(exchanges)
	}
	h.Recording = FormatVersion
	rec := FromExchanges(h, exchanges)
	rec.Format = FormatHAR
	return rec, nil
}

func harStart(e harEntry) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, e.StartedDateTime)
	return t
}

func exchangeFromHAR(en harEntry, id int, jar *simJar) (*transport.Exchange, error) {
	e := &transport.Exchange{
		ID: id, Method: en.Request.Method, URL: en.Request.URL,
		RequestHeader: headerFromHAR(en.Request.Headers), Status: int(en.Response.Status),
		Proto: en.Response.HTTPVersion, ResponseHeader: headerFromHAR(en.Response.Headers),
		BodySize: int64(en.Response.Content.Size), Start: harStart(en),
	}
	if pd := en.Request.PostData; pd != nil {
		body, err := harBody(pd.Text, pd.Encoding)
		if err != nil {
			return nil, fmt.Errorf("request postData: %w", err)
		}
		if len(body) == 0 && len(pd.Params) > 0 {
			form := url.Values{}
			for _, p := range pd.Params {
				form.Add(p.Name, p.Value)
			}
			body = []byte(form.Encode())
		}
		e.RequestBody = body
	}
	body, err := harBody(en.Response.Content.Text, en.Response.Content.Encoding)
	if err != nil {
		return nil, fmt.Errorf("response content: %w", err)
	}
	e.ResponseBody = body
	if x := en.Akinspect; x != nil {
		e.ID, e.Flow, e.Kind, e.Component = x.ID, x.Flow, x.Kind, x.Component
		e.Jar, e.JarChanges, e.Flags = x.Jar, x.JarChanges, x.Flags
		e.Error, e.Diagnosis, e.Secrets, e.Truncated = x.Error, x.Diagnosis, x.Secrets, x.Truncated
		if x.Timing != nil {
			e.Timing = *x.Timing
		} else {
			e.Timing = timingFromHAR(en.Timings)
		}
		fillChallenge(e)
		return e, nil
	}
	e.Timing = timingFromHAR(en.Timings)
	e.Kind, e.Flow = classify(e.URL)
	e.Jar, e.JarChanges = jar.apply(e, en)
	fillChallenge(e)
	if e.Status >= 300 && e.Status < 400 {
		e.Flags = append(e.Flags, transport.FlagRedirect)
	}
	if e.Challenge != nil && len(e.Challenge.ResponseErrors) > 0 {
		e.Flags = append(e.Flags, transport.FlagValidation)
	}
	if e.Status == 0 {
		e.Flags = append(e.Flags, transport.FlagError)
		e.Error = "no response in the HAR (blocked or cancelled in the browser)"
	}
	return e, nil
}

func harBody(text, encoding string) ([]byte, error) {
	if text == "" {
		return nil, nil
	}
	if encoding == encodingBase64 {
		return base64.StdEncoding.DecodeString(text)
	}
	return []byte(text), nil
}

// headerFromHAR rebuilds a header map; HTTP/2 pseudo-headers are dropped.
func headerFromHAR(nv []harNV) http.Header {
	h := http.Header{}
	for _, p := range nv {
		if p.Name == "" || strings.HasPrefix(p.Name, ":") {
			continue
		}
		k := textproto.CanonicalMIMEHeaderKey(p.Name)
		h[k] = append(h[k], p.Value)
	}
	return h
}

// timingFromHAR turns HAR phases back into httptrace's cumulative marks.
func timingFromHAR(t harTimings) transport.Timing {
	d := func(v float64) time.Duration {
		if v <= 0 {
			return 0
		}
		return time.Duration(v * float64(time.Millisecond))
	}
	ssl := d(t.SSL)
	connect := d(t.Connect) - ssl
	if connect < 0 {
		connect = 0
	}
	send := d(t.Blocked) + d(t.DNS) + d(t.Connect) + d(t.Send)
	first := send + d(t.Wait)
	return transport.Timing{
		DNS: d(t.DNS), Connect: connect, TLS: ssl,
		Send: send, FirstByte: first, Total: first + d(t.Receive),
	}
}

// classify tells flow exchanges from the rest by path, and reads the slug.
func classify(raw string) (transport.Kind, string) {
	u, err := url.Parse(raw)
	if err != nil {
		return KindOther, ""
	}
	for _, p := range []struct {
		marker string
		kind   transport.Kind
	}{
		{"/api/v3/flows/executor/", transport.KindExecutor},
		{"/api/v3/flows/inspector/", transport.KindInspector},
		{"/api/v3/flows/instances/", transport.KindExecute},
		{"/if/flow/", transport.KindPage},
	} {
		i := strings.Index(u.Path, p.marker)
		if i < 0 {
			continue
		}
		slug, rest, _ := strings.Cut(u.Path[i+len(p.marker):], "/")
		if slug == "" || (p.kind == transport.KindExecute && !strings.HasPrefix(rest, "execute")) {
			continue
		}
		return p.kind, slug
	}
	return KindOther, ""
}

// headerFromExchanges guesses the recording header of a browser HAR from
// its first flow exchange.
func headerFromExchanges(exchanges []*transport.Exchange) Header {
	h := Header{Recording: FormatVersion}
	if len(exchanges) > 0 {
		h.Started = exchanges[0].Start
	}
	for _, e := range exchanges {
		if e.Kind != transport.KindExecutor && e.Kind != transport.KindPage {
			continue
		}
		u, err := url.Parse(e.URL)
		if err != nil {
			continue
		}
		prefix := u.Path
		for _, m := range []string{"/api/v3/", "/if/flow/"} {
			if i := strings.Index(prefix, m); i >= 0 {
				prefix = prefix[:i]
			}
		}
		h.BaseURL = u.Scheme + "://" + u.Host + prefix
		h.Flow = e.Flow
		h.Query = queryOf(e)
		return h
	}
	return h
}

// simJar rebuilds the cookie jar of a browser HAR from what it shows: the
// cookies each request sent and each response set. Browsers' sanitized
// exports omit cookies; the jar is then empty.
type simJar struct{ cookies []transport.Cookie }

func newSimJar() *simJar { return &simJar{} }

func (j *simJar) apply(e *transport.Exchange, en harEntry) ([]transport.Cookie, []transport.CookieChange) {
	before := append([]transport.Cookie(nil), j.cookies...)
	host := ""
	if u, err := url.Parse(e.URL); err == nil {
		host = u.Hostname()
	}
	if e.Kind != KindOther {
		for _, c := range en.Request.Cookies {
			j.set(transport.Cookie{Name: c.Name, Value: c.Value, Domain: host, Path: "/"}, false)
		}
		for _, c := range en.Response.Cookies {
			tc := transport.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path, HTTPOnly: c.HTTPOnly, Secure: c.Secure}
			if tc.Domain == "" {
				tc.Domain = host
			}
			if tc.Path == "" {
				tc.Path = "/"
			}
			expired := false
			if c.Expires != "" {
				if t, err := time.Parse(time.RFC3339Nano, c.Expires); err == nil {
					tc.Expires = t
					expired = t.Before(e.Start) && !e.Start.IsZero()
				}
			}
			j.set(tc, expired || c.Value == "")
		}
	}
	after := append([]transport.Cookie(nil), j.cookies...)
	return after, jarDiff(before, after)
}

func (j *simJar) set(c transport.Cookie, remove bool) {
	for i, old := range j.cookies {
		if old.Name == c.Name && old.Domain == c.Domain {
			if remove {
				j.cookies = append(j.cookies[:i], j.cookies[i+1:]...)
			} else {
				j.cookies[i] = c
			}
			return
		}
	}
	if !remove {
		j.cookies = append(j.cookies, c)
	}
}

func jarDiff(before, after []transport.Cookie) []transport.CookieChange {
	key := func(c transport.Cookie) string { return c.Name + "\x00" + c.Domain }
	old := map[string]transport.Cookie{}
	for _, c := range before {
		old[key(c)] = c
	}
	var out []transport.CookieChange
	seen := map[string]bool{}
	for _, c := range after {
		seen[key(c)] = true
		if o, ok := old[key(c)]; !ok {
			out = append(out, transport.CookieChange{Name: c.Name, Domain: c.Domain, Change: transport.ChangeAdded})
		} else if o.Value != c.Value {
			out = append(out, transport.CookieChange{Name: c.Name, Domain: c.Domain, Change: transport.ChangeChanged})
		}
	}
	for _, c := range before {
		if !seen[key(c)] {
			out = append(out, transport.CookieChange{Name: c.Name, Domain: c.Domain, Change: transport.ChangeRemoved})
		}
	}
	return out
}
