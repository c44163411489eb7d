package transport

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinspect/akinspect/sim"
)

// seen is one request as the server received it.
type seen struct {
	method, path string
	header       http.Header
	rawQuery     string // r.URL.RawQuery
	host         string // r.Host
}

// capture serves s and keeps every request's headers.
func capture(t *testing.T, s *sim.Server) (*httptest.Server, func() []seen) {
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), rawQuery: r.URL.RawQuery, host: r.Host})
		mu.Unlock()
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []seen { mu.Lock(); defer mu.Unlock(); return append([]seen(nil), got...) }
}

// browserShape is the header set a browser running authentik's flow
// interface sends for each kind of request: the page is a navigation
// (no script headers; fetch metadata of a user-started navigation and
// Upgrade-Insecure-Requests); the executor, execute and inspector calls are
// the generated API client's fetch (Accept */*, fetch metadata of a
// same-origin cors fetch) with CSRFMiddleware and LocaleMiddleware
// (web/src/common/api/middleware.ts), Referer the flow page, and Origin and
// Content-Type only on POST (Fetch standard). Values: "" means absent,
// "*" any value, "{page}", "{origin}", "{csrf}", "{token}" the session's.
var browserShape = map[string]map[string]string{
	"page": {"Accept": browserAccept, "Referer": "", "Origin": "", "X-Authentik-Csrf": "", "Authorization": "", "Content-Type": "",
		"Accept-Language": "", "Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document",
		"Sec-Fetch-User": "?1", "Upgrade-Insecure-Requests": "1"},
	"executor GET":  fetchShape("", "", ""),
	"executor POST": fetchShape("{origin}", "", "application/json"),
	"execute GET":   fetchShape("", "Bearer {token}", ""),
	"inspector GET": fetchShape("", "Bearer {token}", ""),
}

// fetchShape is an API call's headers, with its Origin, Authorization and
// Content-Type.
func fetchShape(origin, auth, contentType string) map[string]string {
	return map[string]string{"Accept": "*/*", "Referer": "{page}", "Origin": origin, "X-Authentik-Csrf": "{csrf}",
		"Authorization": auth, "Content-Type": contentType, "Accept-Language": "en, *;q=0.5",
		"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty",
		"Sec-Fetch-User": "", "Upgrade-Insecure-Requests": ""}
}

func kindOf(r seen) string {
	switch {
	case strings.HasPrefix(r.path, "/if/flow/"):
		return "page"
	case strings.Contains(r.path, "/flows/executor/"):
		return "executor " + r.method
	case strings.HasSuffix(r.path, "/execute/"):
		return "execute " + r.method
	case strings.Contains(r.path, "/flows/inspector/"):
		return "inspector " + r.method
	}
	return r.method + " " + r.path
}

// Every request of a login, with and without --token, carries exactly the
// browser's headers: pinned name by name, as the server receives them.
func TestRequestsCarryTheBrowsersHeaders(t *testing.T) {
	for _, withToken := range []bool{false, true} {
		now := time.Now()
		s := sim.New(sim.Options{Now: func() time.Time { return now }})
		srv, requests := capture(t, s)
		bob := simUser(t, s, "bob")
		token := ""
		if withToken {
			token = s.AdminToken()
		}
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Query = "next=/if/user/"; cfg.Token = token })
		if withToken {
			if _, err := c.Start(bg()); err != nil {
				t.Fatal(err)
			}
		} else {
			runFlow(t, c, bob, now)
		}
		if _, _, err := c.Inspect(bg()); err != nil && withToken {
			t.Fatal(err)
		}
		vars := map[string]string{"{page}": srv.URL + "/if/flow/" + testSlug + "/?next=/if/user/", "{origin}": srv.URL, "{token}": token}
		kinds := map[string]bool{}
		for i, r := range requests() {
			k := kindOf(r)
			kinds[k] = true
			want, ok := browserShape[k]
			if !ok {
				t.Errorf("token=%v: request %d %s has no browser shape", withToken, i, k)
				continue
			}
			csrf := ""
			if ck := cookieIn(r.header, CSRFCookie); ck != "" {
				csrf = ck
			}
			vars["{csrf}"] = csrf
			for name, w := range want {
				if strings.Contains(w, "{token}") && token == "" {
					w = "" // no token, no Authorization at all
				}
				for v, val := range vars {
					w = strings.ReplaceAll(w, v, val)
				}
				if got := r.header.Get(name); got != w {
					t.Errorf("token=%v: request %d (%s) %s = %q, want %q", withToken, i, k, name, got, w)
				}
			}
			if got := r.header.Get("User-Agent"); got != DefaultUserAgent {
				t.Errorf("request %d (%s) User-Agent = %q", i, k, got)
			}
			if extra := unexpected(r.header, want); len(extra) > 0 {
				t.Errorf("token=%v: request %d (%s) carries headers no browser sends: %v", withToken, i, k, extra)
			}
		}
		mustHave := []string{"page", "executor GET", "executor POST", "inspector GET"}
		if withToken {
			mustHave = []string{"page", "execute GET", "executor GET", "inspector GET"}
		}
		for _, k := range mustHave {
			if !kinds[k] {
				t.Errorf("token=%v: no %s request was made", withToken, k)
			}
		}
	}
}

// cookieIn is the value of cookie name in a request's Cookie header.
func cookieIn(h http.Header, name string) string {
	r := http.Request{Header: h}
	if ck, err := r.Cookie(name); err == nil {
		return ck.Value
	}
	return ""
}

// unexpected lists header names outside the shape and the transport's own.
func unexpected(h http.Header, shape map[string]string) []string {
	var extra []string
	for name := range h {
		_, inShape := shape[name]
		switch {
		case inShape, name == "User-Agent", name == "Cookie", name == "Accept-Encoding", name == "Content-Length":
		default:
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	return extra
}

// The GET that follows a POST's 302 is the same fetch: the script's
// headers (the CSRF value of the POST included) stay, the body's go.
func TestRedirectAfterPostKeepsTheFetchHeaders(t *testing.T) {
	f := newFakeAK(t)
	var hdrs []http.Header
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		hdrs = append(hdrs, r.Header.Clone())
		if r.Method == http.MethodPost {
			http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: "csrf-rotated", Path: "/"})
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
			return
		}
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL)
	if _, err := c.Start(bg()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Submit(bg(), answer(`{"component":"ak-stage-identification","uid_field":"alice"}`)); err != nil {
		t.Fatal(err)
	}
	if len(hdrs) != 3 {
		t.Fatalf("%d executor requests, want GET, POST, GET", len(hdrs))
	}
	after := hdrs[2]
	if after.Get(CSRFHeader) != "csrf-token-1" || after.Get("Content-Type") != "" || after.Get("Origin") != "" {
		t.Errorf("GET after 302: CSRF %q Content-Type %q Origin %q", after.Get(CSRFHeader), after.Get("Content-Type"), after.Get("Origin"))
	}
	// The fetch's own headers stay too, as in the recorded Chromium's GET
	// after the POST's 302 (testdata/browser/chromium-148.json).
	for name, want := range map[string]string{"Accept": "*/*", "Accept-Language": "en, *;q=0.5",
		"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty", "Sec-Fetch-User": "",
		"Upgrade-Insecure-Requests": ""} {
		if got := after.Get(name); got != want {
			t.Errorf("GET after 302: %s = %q, want %q", name, got, want)
		}
	}
	if cookieIn(after, CSRFCookie) != "csrf-rotated" {
		t.Errorf("GET after 302 sent cookie %q, want the rotated one", cookieIn(after, CSRFCookie))
	}
	// The next fetch reads the rotated cookie.
	if _, err := c.Challenge(bg()); err != nil {
		t.Fatal(err)
	}
	if hdrs[3].Get(CSRFHeader) != "csrf-rotated" {
		t.Errorf("next fetch CSRF = %q, want the rotated cookie", hdrs[3].Get(CSRFHeader))
	}
}
