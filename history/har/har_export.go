package har

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/transport"
)

// Options tune Export.
type Options struct {
	// NoRedact keeps secrets; by default they are replaced with markers.
	NoRedact bool
	// Header goes into log._akinspect (flow, query, base URL); optional.
	Header *history.Header
	// SkipHidden leaves out exchanges that are not part of a flow
	// (KindOther, from an imported browser HAR).
	SkipHidden bool
}

// Export writes the exchanges as a HAR 1.2 log that browsers' devtools
// import. The jar, flow, component and flags of each exchange go into the
// entry's _akinspect field.
func Export(w io.Writer, src history.Source, opts Options) error {
	var red *redact.Redactor
	if !opts.NoRedact {
		red = redact.NewRedactor()
	}
	log := harLog{
		Version: "1.2",
		Creator: harCreator{Name: "akinspect", Version: history.Version},
		Entries: []harEntry{},
	}
	if rec, ok := src.(*history.Recording); ok && opts.Header == nil {
		h := rec.Header
		opts.Header = &h
	}
	if opts.Header != nil {
		h := *opts.Header
		h.Redacted = h.Redacted || !opts.NoRedact
		if red != nil {
			h.Query = red.RedactPageQuery(h.Query)
		}
		log.Akinspect = &harLogExt{Header: h}
	}
	pages := map[string]string{}
	for i := 0; i < src.Len(); i++ {
		e, err := src.Exchange(i)
		if err != nil {
			return fmt.Errorf("exchange %d: %w", i+1, err)
		}
		if opts.SkipHidden && e.Kind == history.KindOther {
			continue
		}
		if red != nil {
			e = red.Redact(e)
		}
		entry := harEntryFor(e)
		if e.Flow != "" {
			id, ok := pages[e.Flow]
			if !ok {
				id = fmt.Sprintf("flow_%d", len(pages)+1)
				pages[e.Flow] = id
				log.Pages = append(log.Pages, harPage{
					StartedDateTime: entry.StartedDateTime, ID: id, Title: e.Flow,
					PageTimings: harPageTimings{OnContentLoad: -1, OnLoad: -1},
				})
			}
			entry.Pageref = id
		}
		log.Entries = append(log.Entries, entry)
	}
	sort.SliceStable(log.Entries, func(i, j int) bool {
		return log.Entries[i].StartedDateTime < log.Entries[j].StartedDateTime
	})
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(harFile{Log: log})
}

func harEntryFor(e *transport.Exchange) harEntry {
	t := harTimingsFor(e.Timing)
	version := e.Proto
	if version == "" {
		version = "HTTP/1.1"
	}
	req := harRequest{
		Method: e.Method, URL: stripFragment(e.URL), HTTPVersion: version,
		Cookies: requestCookies(e.RequestHeader), Headers: harHeaders(e.RequestHeader),
		QueryString: harQuery(e.URL), HeadersSize: -1, BodySize: harInt(len(e.RequestBody)),
	}
	if len(e.RequestBody) > 0 || e.Method == http.MethodPost {
		text, enc := history.EncodeBody(e.RequestBody)
		pd := &harPostData{MimeType: e.RequestHeader.Get("Content-Type"), Encoding: enc}
		if text != nil {
			pd.Text = *text
		}
		req.PostData = pd
	}
	size := e.BodySize
	if size == 0 {
		size = int64(len(e.ResponseBody))
	}
	resp := harResponse{
		Status: harInt(e.Status), StatusText: http.StatusText(e.Status), HTTPVersion: version,
		Cookies: responseCookies(e.ResponseHeader), Headers: harHeaders(e.ResponseHeader),
		Content:     harContent{Size: harInt(size), MimeType: e.ResponseHeader.Get("Content-Type")},
		RedirectURL: e.ResponseHeader.Get("Location"), HeadersSize: -1, BodySize: harInt(size),
	}
	if text, enc := history.EncodeBody(e.ResponseBody); text != nil {
		resp.Content.Text, resp.Content.Encoding = *text, enc
	}
	timing := e.Timing
	return harEntry{
		StartedDateTime: e.Start.UTC().Format(harTime),
		Time:            harTotal(t),
		Request:         req,
		Response:        resp,
		Timings:         t,
		Akinspect: &harEntryExt{
			ID: e.ID, Flow: e.Flow, Kind: e.Kind, Component: e.Component,
			Jar: nonNilJar(e.Jar), JarChanges: e.JarChanges, Flags: e.Flags,
			Error: e.Error, Diagnosis: e.Diagnosis, Secrets: e.Secrets,
			Truncated: e.Truncated, Timing: &timing,
		},
	}
}

func nonNilJar(j []transport.Cookie) []transport.Cookie {
	if j == nil {
		return []transport.Cookie{}
	}
	return j
}

// harTimingsFor maps the httptrace breakdown (cumulative Send, FirstByte,
// Total) onto HAR phases. ssl is part of connect, as HAR 1.2 asks.
func harTimingsFor(t transport.Timing) harTimings {
	h := harTimings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1}
	setup := t.DNS + t.Connect + t.TLS
	if t.DNS > 0 {
		h.DNS = ms(t.DNS)
	}
	if t.Connect > 0 || t.TLS > 0 {
		h.Connect = ms(t.Connect + t.TLS)
	}
	if t.TLS > 0 {
		h.SSL = ms(t.TLS)
	}
	h.Send = ms(max(t.Send-setup, 0))
	h.Wait = ms(max(t.FirstByte-t.Send, 0))
	h.Receive = ms(max(t.Total-t.FirstByte, 0))
	return h
}

// harTotal is entry.time: the sum of the phases that are not -1, with ssl
// left out because it is already inside connect.
func harTotal(t harTimings) float64 {
	sum := 0.0
	for _, v := range []float64{t.Blocked, t.DNS, t.Connect, t.Send, t.Wait, t.Receive} {
		if v >= 0 {
			sum += v
		}
	}
	return float64(int64(sum*1000+0.5)) / 1000
}

func stripFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

func harHeaders(h http.Header) []harNV {
	out := []harNV{}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, harNV{Name: k, Value: v})
		}
	}
	return out
}

// harQuery lists query parameters in the order they appear in the URL.
func harQuery(raw string) []harNV {
	out := []harNV{}
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return out
	}
	for _, part := range strings.Split(u.RawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		out = append(out, harNV{Name: k, Value: v})
	}
	return out
}

func requestCookies(h http.Header) []harCookie {
	out := []harCookie{}
	for _, line := range h.Values("Cookie") {
		for _, part := range strings.Split(line, ";") {
			name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && name != "" {
				out = append(out, harCookie{Name: name, Value: val})
			}
		}
	}
	return out
}

// responseCookies parses Set-Cookie by hand: net/http rejects the
// non-ASCII redaction markers and would drop the cookie.
func responseCookies(h http.Header) []harCookie {
	out := []harCookie{}
	for _, line := range h.Values("Set-Cookie") {
		parts := strings.Split(line, ";")
		name, val, ok := strings.Cut(strings.TrimSpace(parts[0]), "=")
		if !ok || name == "" {
			continue
		}
		hc := harCookie{Name: name, Value: strings.Trim(val, `"`)}
		for _, attr := range parts[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(attr), "=")
			switch strings.ToLower(k) {
			case "path":
				hc.Path = v
			case "domain":
				hc.Domain = strings.TrimPrefix(v, ".")
			case "expires":
				if t, err := http.ParseTime(v); err == nil {
					hc.Expires = t.UTC().Format(harTime)
				}
			case "httponly":
				hc.HTTPOnly = true
			case "secure":
				hc.Secure = true
			}
		}
		out = append(out, hc)
	}
	return out
}
