package transport

import (
	"net/url"
	"strings"
)

// EncodeQuery encodes a page query string the way authentik expects it in
// the executor URL: one parameter `query` holding the raw string, encoded as
// Django's urlencode (Python's quote_plus with no safe characters) would.
// Go's QueryEscape keeps exactly the same set unescaped (letters, digits and
// `_.-~`) and turns space into `+`. Django builds the "next stage" 302
// Location this way, and keeps it a 302 only when it equals the request path
// byte for byte; any other encoding turns every step into an
// xak-flow-redirect.
func EncodeQuery(raw string) string { return "query=" + url.QueryEscape(raw) }

// browserQuery is raw as it appears in a browser's location.search: the
// characters a browser percent-encodes in a query (WHATWG URL "special-query
// percent-encode set": controls, space, " # < > ' and non-ASCII) encoded,
// everything else (including existing %XX) untouched. The web client
// forwards location.search, so this is what authentik sees from a browser.
func browserQuery(raw string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte("\"#<>'", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// endpoints are the authentik URLs of one flow.
type endpoints struct {
	base  *url.URL // scheme://host[/prefix], no trailing slash in Path
	slug  string
	query string // as in the browser's address bar (browserQuery)
	// referer is page().String(), built once per flow (newFlowURLs): every
	// fetch of the flow interface sends it.
	referer string
}

// pageString is the flow page's URL as the Referer of the interface's
// fetches.
func (e endpoints) pageString() string {
	if e.referer != "" {
		return e.referer
	}
	return e.page().String()
}

func (e endpoints) at(path, rawQuery string) *url.URL {
	u := *e.base
	u.Path = strings.TrimSuffix(e.base.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = rawQuery
	u.Fragment = ""
	return &u
}

// page is the /if/flow/<slug>/ interface a browser loads first.
func (e endpoints) page() *url.URL {
	return e.at("/if/flow/"+url.PathEscape(e.slug)+"/", e.query)
}

func (e endpoints) executorPath() string {
	return strings.TrimSuffix(e.base.Path, "/") + "/api/v3/flows/executor/" + e.slug + "/"
}

func (e endpoints) executor() *url.URL {
	return e.at("/api/v3/flows/executor/"+url.PathEscape(e.slug)+"/", EncodeQuery(e.query))
}

func (e endpoints) execute() *url.URL {
	return e.at("/api/v3/flows/instances/"+url.PathEscape(e.slug)+"/execute/", "")
}

func (e endpoints) inspector() *url.URL {
	return e.at("/api/v3/flows/inspector/"+url.PathEscape(e.slug)+"/", "")
}

// origin is scheme://host[:port] of the base, as a browser sends in Origin.
func (e endpoints) origin() string { return e.base.Scheme + "://" + e.base.Host }

// sameOrigin reports whether u is on the authentik server itself; only such
// requests carry the bearer token and the CSRF header.
func (e endpoints) sameOrigin(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, e.base.Scheme) && strings.EqualFold(u.Host, e.base.Host)
}

// isExecutor reports whether u is this flow's executor endpoint (any query).
func (e endpoints) isExecutor(u *url.URL) bool {
	return e.sameOrigin(u) && u.Path == e.executorPath()
}
