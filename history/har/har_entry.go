package har

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// One HAR entry as an exchange: bodies, headers, timings, and the cookie
// jar a browser HAR leaves out, rebuilt from what was sent and set.

func harStart(e harEntry) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, e.StartedDateTime)
	return t
}

// jarFunc gives an exchange of a browser HAR its jar and the changes to it.
type jarFunc func(e *transport.Exchange, en harEntry) ([]transport.Cookie, []transport.CookieChange)

func exchangeFromHAR(en harEntry, id int, jar jarFunc) (*transport.Exchange, error) {
	e := &transport.Exchange{
		ID: id, Method: en.Request.Method, URL: en.Request.URL,
		RequestHeader: headerFromHAR(en.Request.Headers), Status: int(en.Response.Status),
		Proto: en.Response.HTTPVersion, ResponseHeader: headerFromHAR(en.Response.Headers),
		BodySize: int64(en.Response.Content.Size), Start: harStart(en),
	}
	if pd := en.Request.PostData; pd != nil {
		body, err := harBody(pd.Text, pd.Encoding)
		if err != nil {
			return nil, fmt.Errorf("request.postData.text: %w", err)
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
		return nil, fmt.Errorf("response.content.text: %w", err)
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
		history.FillChallenge(e)
		return e, nil
	}
	e.Timing = timingFromHAR(en.Timings)
	e.Kind, e.Flow = history.ClassifyURL(e.URL)
	e.Jar, e.JarChanges = jar(e, en)
	history.FillChallenge(e)
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
	if encoding == history.EncodingBase64 {
		b, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			return nil, fmt.Errorf("bad base64 (%v)", err)
		}
		return b, nil
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

// simJar rebuilds the cookie jar of a browser HAR from what it shows: the
// cookies each request sent and each response set. Browsers' sanitized
// exports omit cookies; the jar is then empty. It keeps the jar as
// transport's snapshots, so every exchange gets its own.
type simJar struct {
	cookies []transport.Cookie
	// The host of the last URL: a HAR's URLs repeat.
	lastURL, lastHost string
}

func newSimJar() *simJar { return &simJar{} }

func (j *simJar) apply(e *transport.Exchange, sent, set []harCookie) ([]transport.Cookie, []transport.CookieChange) {
	before := j.cookies
	if e.URL != j.lastURL || j.lastURL == "" {
		j.lastURL, j.lastHost = e.URL, ""
		if u, err := url.Parse(e.URL); err == nil {
			j.lastHost = u.Hostname()
		}
	}
	host := j.lastHost
	if e.Kind != history.KindOther {
		for _, c := range sent {
			j.cookies = jarWith(j.cookies, transport.Cookie{Name: c.Name, Value: c.Value, Domain: host, Path: "/"})
		}
		for _, c := range set {
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
			if expired || c.Value == "" {
				j.cookies = jarWithout(j.cookies, tc)
			} else {
				j.cookies = jarWith(j.cookies, tc)
			}
		}
	}
	if len(before) == len(j.cookies) && (len(before) == 0 || &before[0] == &j.cookies[0]) {
		return j.cookies, nil // the same snapshot: nothing changed
	}
	return j.cookies, transport.DiffJar(before, j.cookies)
}

// jarWith is transport.JarWith, but a jar that holds c already is kept:
// a HAR's requests send the same cookies over and over, and each exchange
// keeps its jar, so unchanged jars share one snapshot.
func jarWith(jar []transport.Cookie, c transport.Cookie) []transport.Cookie {
	if slices.Contains(jar, c) {
		return jar
	}
	return transport.JarWith(jar, c)
}

// jarWithout is transport.JarWithout, keeping a jar without the cookie.
func jarWithout(jar []transport.Cookie, c transport.Cookie) []transport.Cookie {
	if !slices.ContainsFunc(jar, func(o transport.Cookie) bool { return o.Key() == c.Key() }) {
		return jar
	}
	return transport.JarWithout(jar, c)
}
