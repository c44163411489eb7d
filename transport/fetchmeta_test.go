package transport

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// formatAcceptLanguage is web/src/common/ui/locale/utils.ts
// formatAcceptLanguageHeader's formatting, JavaScript toFixed included.
func TestFormatAcceptLanguage(t *testing.T) {
	for _, c := range []struct {
		tags []string
		want string
	}{
		{[]string{"en", "en", "*"}, "en, *;q=0.5"},
		{[]string{"en", "en-US", "en", "*"}, "en, en-US;q=0.7, *;q=0.3"},
		{[]string{"de", "en", "*"}, "de, en;q=0.7, *;q=0.3"},
		// 3/4 and 1/4: toFixed(1) rounds the tie up (Go's %.1f would not).
		{[]string{"de", "en-US", "en", "*"}, "de, en-US;q=0.8, en;q=0.5, *;q=0.3"},
		{[]string{"*"}, "*"},
		// More than 9 fallbacks: two digits.
		{[]string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"},
			"a, b;q=0.91, c;q=0.82, d;q=0.73, e;q=0.64, f;q=0.55, g;q=0.45, h;q=0.36, i;q=0.27, j;q=0.18, k;q=0.09"},
	} {
		if got := formatAcceptLanguage(c.tags); got != c.want {
			t.Errorf("formatAcceptLanguage(%q) = %q, want %q", c.tags, got, c.want)
		}
	}
}

// The recorded browser's API calls carry LocaleMiddleware's value: the
// formula reproduces it from its own tags, and its UI locale (the first tag)
// is the one akinspect sends by default. Only navigator.languages, the
// browser's own, differs (knownDifferences).
func TestAcceptLanguageIsLocaleMiddlewares(t *testing.T) {
	for name, fx := range loadBrowserFixtures(t) {
		n := 0
		for _, r := range fx.Requests {
			if r.Kind == "page" {
				continue
			}
			v := r.Headers["Accept-Language"]
			var tags []string
			for _, part := range strings.Split(v, ", ") {
				tag, _, _ := strings.Cut(part, ";q=")
				tags = append(tags, tag)
			}
			if got := formatAcceptLanguage(tags); got != v {
				t.Errorf("%s %s: the browser sent %q; formatAcceptLanguageHeader gives %q for its tags", name, r.Kind, v, got)
			}
			if tags[0] != DefaultLang || tags[len(tags)-1] != "*" {
				t.Errorf("%s %s: UI locale %q (akinspect's default %q), last tag %q", name, r.Kind, tags[0], DefaultLang, tags[len(tags)-1])
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s: no API call", name)
		}
	}
}

// Config.Lang is the UI locale of every API call's Accept-Language; the
// page load does not carry it (a browser sends its own languages there).
func TestLangSetsTheAPICallsAcceptLanguage(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, identification()) })
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Lang = "zh-Hans" })
	step, err := c.Start(bg())
	if err != nil {
		t.Fatal(err)
	}
	if got := step.Exchanges[0].RequestHeader.Get("Accept-Language"); got != "" {
		t.Errorf("page Accept-Language = %q, want none", got)
	}
	if got := step.Last().RequestHeader.Get("Accept-Language"); got != "zh-Hans, en;q=0.7, *;q=0.3" {
		t.Errorf("executor Accept-Language = %q", got)
	}
	for _, bad := range []string{"en\r\nX: y", "en,de", "-en", "en-", "e n", strings.Repeat("a", 65)} {
		if _, err := New(Config{BaseURL: f.URL, Flow: testSlug, Lang: bad}); err == nil {
			t.Errorf("Lang %q accepted", bad)
		}
	}
}

// recordingRT answers every request itself and keeps its headers: for
// hosts the tests cannot serve.
type recordingRT struct {
	mu   sync.Mutex
	reqs []*http.Request
	resp func(*http.Request) *http.Response
}

func (rt *recordingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.reqs = append(rt.reqs, r)
	rt.mu.Unlock()
	return rt.resp(r), nil
}

func jsonResponse(r *http.Request, status int, body string, hdr http.Header) *http.Response {
	if hdr == nil {
		hdr = http.Header{}
	}
	hdr.Set("Content-Type", "application/json")
	return &http.Response{StatusCode: status, Header: hdr, Body: io.NopCloser(strings.NewReader(body)), Request: r,
		ContentLength: int64(len(body))}
}

// Browsers send Sec-Fetch-* to potentially trustworthy URLs only (https,
// loopback); Upgrade-Insecure-Requests goes on every navigation.
func TestFetchMetadataOnlyToTrustworthyURLs(t *testing.T) {
	for _, c := range []struct {
		base     string
		secFetch bool
	}{
		{"http://auth.example", false},
		{"http://10.0.0.5:9000", false},
		{"https://auth.example", true},
		{"http://localhost:9000", true},
		{"http://auth.localhost", true},
		{"http://127.0.0.2:9000", true},
		{"http://[::1]:9000", true},
	} {
		rt := &recordingRT{resp: func(r *http.Request) *http.Response {
			return jsonResponse(r, 404, "", nil)
		}}
		c2 := newTestClient(t, c.base, func(cfg *Config) { cfg.Transport = rt })
		_, _ = c2.Start(bg())
		_, _, _ = c2.Inspect(bg())
		if len(rt.reqs) < 2 {
			t.Fatalf("%s: %d requests", c.base, len(rt.reqs))
		}
		for _, r := range rt.reqs {
			page := strings.HasPrefix(r.URL.Path, "/if/flow/")
			if got := r.Header.Get("Sec-Fetch-Mode") != ""; got != c.secFetch {
				t.Errorf("%s %s: Sec-Fetch-Mode sent = %v, want %v", c.base, r.URL.Path, got, c.secFetch)
			}
			if got := r.Header.Get("Upgrade-Insecure-Requests"); (got == "1") != page {
				t.Errorf("%s %s: Upgrade-Insecure-Requests = %q", c.base, r.URL.Path, got)
			}
		}
	}
}

// Sec-Fetch-Site says the farthest URL of a fetch's redirect chain: a hop
// to another port of the same host is same-site, to another site
// cross-site, and a hop back to authentik stays what the chain reached.
func TestFetchSiteFollowsTheRedirectChain(t *testing.T) {
	rt := &recordingRT{}
	rt.resp = func(r *http.Request) *http.Response {
		switch {
		case r.URL.Host == "auth.example.com" && strings.HasPrefix(r.URL.Path, "/if/flow/"):
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: http.NoBody, Request: r}
		case r.URL.Host == "auth.example.com" && r.URL.Path == "/api/v3/flows/executor/"+testSlug+"/":
			if r.URL.Query().Get("back") != "" {
				return jsonResponse(r, 200, "", nil)
			}
			return jsonResponse(r, 302, "", http.Header{"Location": {"https://sso.example.com/hop"}})
		case r.URL.Host == "sso.example.com":
			return jsonResponse(r, 302, "", http.Header{"Location": {"https://other.test/hop"}})
		case r.URL.Host == "other.test":
			return jsonResponse(r, 302, "", http.Header{"Location": {"https://auth.example.com/api/v3/flows/executor/" + testSlug + "/?back=1"}})
		}
		return jsonResponse(r, 404, "", nil)
	}
	c := newTestClient(t, "https://auth.example.com", func(cfg *Config) { cfg.Transport = rt })
	_, _ = c.Start(bg())
	var sites []string
	for _, r := range rt.reqs {
		sites = append(sites, r.URL.Host+" "+r.Header.Get("Sec-Fetch-Site"))
	}
	want := []string{"auth.example.com none", "auth.example.com same-origin", "sso.example.com same-site",
		"other.test cross-site", "auth.example.com cross-site"}
	if strings.Join(sites, "|") != strings.Join(want, "|") {
		t.Errorf("Sec-Fetch-Site along the chain:\n got %q\nwant %q", sites, want)
	}
}
