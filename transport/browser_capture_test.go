package transport

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// browserFixture is a real browser's exchange shape, recorded by
// transport/internal/browsercapture (see transport/testdata/browser/README.md).
type browserFixture struct {
	Browser  string `json:"browser"`
	Recorded string `json:"recorded"`
	Flow     string `json:"flow"`
	Query    string `json:"query"`
	Requests []struct {
		Kind     string            `json:"kind"`
		Method   string            `json:"method"`
		Path     string            `json:"path"`
		RawQuery string            `json:"raw_query"`
		Headers  map[string]string `json:"headers"`
	} `json:"requests"`
}

// matchedHeaders are decided by authentik's page script or by fetch's own
// rules, not by the browser engine: akinspect must send them exactly when
// the browser does, with the same value once the placeholders ({csrf},
// {session}, {origin}, {host}, {page}) are its own session's. Cookie is
// compared as the set of name={placeholder} pairs (the order is the jar's).
var matchedHeaders = map[string]bool{
	"Host":             true, // the URL's authority
	"Referer":          true, // the flow page, full URL (Referrer-Policy same-origin, same-origin fetch)
	"Origin":           true, // fetch: unsafe methods only
	"Content-Type":     true, // client-ts runtime: application/json on a body
	"Content-Length":   true, // the same answer body, byte for byte
	"X-Authentik-Csrf": true, // CSRFMiddleware, from the authentik_csrf cookie
	"Authorization":    true, // never: the web client sets no accessToken
	"Cookie":           true, // credentials "same-origin": authentik_csrf, then authentik_session too
	// Fetch Metadata (roundtrip setFetchMetadata): the page is a
	// user-started navigation (none / navigate / document / ?1), the API
	// calls are same-origin cors fetches (same-origin / cors / empty), the
	// GET after the POST's 302 included.
	"Sec-Fetch-Site": true,
	"Sec-Fetch-Mode": true,
	"Sec-Fetch-Dest": true,
	"Sec-Fetch-User": true,
	// Upgrade Insecure Requests: 1 on every navigation, on no fetch.
	"Upgrade-Insecure-Requests": true,
}

// sameAsBrowser, as a knownDifference's page or fetch value, says that on
// those requests akinspect sends exactly what the browser sends (checked
// like a matchedHeaders header); the difference is on the others only.
const sameAsBrowser = "\x00same as the browser"

// knownDifference is a header where akinspect knowingly differs from the
// recorded browser. page and fetch are what akinspect sends on the
// navigation and on the API calls ("" = no such header, sameAsBrowser =
// the browser's value): pinned, so that a change on either side is
// noticed.
type knownDifference struct {
	page, fetch string
	why         string
}

// knownDifferences are the headers akinspect sends differently from
// Chromium: those only a browser engine sends, the browser's own part of
// a header (the navigation's Accept, navigator.languages in
// Accept-Language), and the script's empty Sentry headers.
var knownDifferences = map[string]knownDifference{
	// The browser engine's own.
	"User-Agent":         {DefaultUserAgent, DefaultUserAgent, "akinspect names itself (Config.UserAgent)"},
	"Accept-Encoding":    {"gzip", "gzip", "Go's transport asks for gzip only; Chromium adds deflate, br, zstd"},
	"Connection":         {"", "", "Chromium says keep-alive; HTTP/1.1 keeps the connection anyway"},
	"Sec-Ch-Ua":          {"", "", "client hints: Chromium only"},
	"Sec-Ch-Ua-Mobile":   {"", "", "client hints: Chromium only"},
	"Sec-Ch-Ua-Platform": {"", "", "client hints: Chromium only"},
	// Accept: the navigation's is the Fetch standard's document list, which
	// Chromium extends with its image formats and signed exchanges; the
	// fetches' is fetch's default */* because the generated client sets
	// none (roundtrip.go fetchAccept).
	"Accept": {browserAccept, sameAsBrowser, "page: the Fetch standard's navigation list, not Chromium's longer one"},
	// Accept-Language: the navigation's is the browser's language list
	// (akinspect sends none); the API calls' is LocaleMiddleware's
	// formatAcceptLanguageHeader(UI locale), whose middle part is
	// navigator.languages: ["en-US"] in Chromium, none in akinspect. The
	// UI locale and the formula are checked by
	// TestAcceptLanguageIsLocaleMiddlewares.
	"Accept-Language": {"", "en, *;q=0.5", "page: the browser's languages; API calls: the same UI locale first, without Chromium's navigator.languages (en-US)"},
	// Set by authentik's script, empty (web/src/common/sentry/middleware.ts
	// without a Sentry client): not sent.
	"Baggage":      {"", "", "SentryMiddleware (web/src/common/sentry/middleware.ts) sends it empty without a Sentry client"},
	"Sentry-Trace": {"", "", "SentryMiddleware sends it empty without a Sentry client"},
}

func loadBrowserFixtures(t *testing.T) map[string]browserFixture {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "browser", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no browser fixture in testdata/browser (%v)", err)
	}
	out := map[string]browserFixture{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx browserFixture
		if err := json.Unmarshal(b, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if fx.Browser == "" || len(fx.Requests) == 0 {
			t.Fatalf("%s: no browser or no requests", f)
		}
		out[filepath.Base(f)] = fx
	}
	return out
}

// captureKind is kindOf, with the GET a POST's 302 leads to told apart.
func captureKinds(reqs []seen) []string {
	kinds := make([]string, len(reqs))
	for i, r := range reqs {
		kinds[i] = kindOf(r)
		if i > 0 && kinds[i] == "executor GET" && kinds[i-1] == "executor POST" {
			kinds[i] = "executor GET after 302"
		}
	}
	return kinds
}

// cookieShape is a Cookie header as sorted name=value pairs, the values of
// authentik's cookies replaced by their placeholders.
func cookieShape(h http.Header) string {
	var pairs []string
	for _, c := range (&http.Request{Header: h}).Cookies() {
		v := c.Value
		switch c.Name {
		case CSRFCookie:
			v = "{csrf}"
		case SessionCookie:
			v = "{session}"
		}
		pairs = append(pairs, c.Name+"="+v)
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "; ")
}

func cookieShapeOf(raw string) string {
	if raw == "" {
		return ""
	}
	return cookieShape(http.Header{"Cookie": {raw}})
}

// akinspect makes the requests the recorded browser made, on the same flow
// and page query, and carries the same script- and fetch-decided headers;
// every other header is a listed, pinned difference.
func TestRequestsMatchTheRecordedBrowser(t *testing.T) {
	for name, fx := range loadBrowserFixtures(t) {
		t.Run(name, func(t *testing.T) {
			s := sim.New(sim.Options{})
			srv, requests := capture(t, s)
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Flow, cfg.Query = fx.Flow, fx.Query })
			// What the capture page's script did: load, answer
			// identification with the simulator's akadmin, read the
			// inspector (403 without a login: the headers still count).
			if _, err := c.Start(bg()); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Submit(bg(), answer(`{"component":"ak-stage-identification","uid_field":"akadmin"}`)); err != nil {
				t.Fatal(err)
			}
			_, _, _ = c.Inspect(bg())

			reqs := requests()
			kinds := captureKinds(reqs)
			byKind := map[string]seen{}
			for i, r := range reqs {
				if _, dup := byKind[kinds[i]]; !dup {
					byKind[kinds[i]] = r
				}
			}
			page := srv.URL + "/if/flow/" + fx.Flow + "/?" + fx.Query
			differs := map[string]bool{}
			for _, want := range fx.Requests {
				got, ok := byKind[want.Kind]
				if !ok {
					t.Errorf("the browser made a %s request, akinspect none (made: %v)", want.Kind, kinds)
					continue
				}
				vars := strings.NewReplacer("{page}", page, "{origin}", srv.URL,
					"{host}", strings.TrimPrefix(srv.URL, "http://"),
					"{csrf}", cookieIn(got.header, CSRFCookie), "{session}", cookieIn(got.header, SessionCookie))
				if got.method != want.Method || got.path != want.Path || got.rawQuery != vars.Replace(want.RawQuery) {
					t.Errorf("%s: akinspect %s %s?%s, browser %s %s?%s", want.Kind,
						got.method, got.path, got.rawQuery, want.Method, want.Path, want.RawQuery)
				}
				ak := got.header.Clone()
				ak.Set("Host", got.host)
				names := map[string]bool{}
				for n := range want.Headers {
					names[http.CanonicalHeaderKey(n)] = true
				}
				for n := range ak {
					names[n] = true
				}
				for n := range names {
					bv, inBrowser := want.Headers[n]
					av, inAK := ak[n]
					akv := strings.Join(av, ", ")
					d, known := knownDifferences[n]
					pin := d.fetch
					if want.Kind == "page" {
						pin = d.page
					}
					if known && pin != sameAsBrowser {
						if akv != pin {
							t.Errorf("%s: akinspect's %s is %q, pinned as %q: if it now matches the browser's %q, move it out of knownDifferences",
								want.Kind, n, akv, pin, bv)
						}
						if inBrowser != inAK || vars.Replace(bv) != akv {
							differs[n] = true
						}
						continue
					}
					if !matchedHeaders[n] && !known {
						t.Errorf("%s: header %s (browser %q, akinspect %q) is neither matched nor a known difference: classify it",
							want.Kind, n, bv, akv)
						continue
					}
					if n == "Cookie" {
						if cookieShape(ak) != cookieShapeOf(bv) {
							t.Errorf("%s: akinspect's cookies %q, browser's %q", want.Kind, cookieShape(ak), bv)
						}
						continue
					}
					if inBrowser != inAK || vars.Replace(bv) != akv {
						t.Errorf("%s: akinspect's %s is %q (sent %v), the browser's %q (sent %v)",
							want.Kind, n, akv, inAK, vars.Replace(bv), inBrowser)
					}
				}
			}
			for n := range knownDifferences {
				if !differs[n] {
					t.Errorf("known difference %s: akinspect and %s now agree on every request: drop it from knownDifferences", n, fx.Browser)
				}
			}
		})
	}
}
