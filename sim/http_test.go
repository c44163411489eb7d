package sim

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func TestPostSuccessIs302ToTheSameExecutorURL(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "next=/app/?a=1 b&c=%E2%9C%93")
	c.get()
	resp := c.do(http.MethodPost, c.executorURL(), "application/json", c.answer(map[string]any{"component": flow.ComponentIdentify, "uid_field": "bob"}))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
	c.check302(resp, c.executorURL())
}

// A query encoded differently from Django's urlencode makes the "continue"
// step a xak-flow-redirect to the canonical executor URL instead of a 302.
func TestDifferentlyEncodedQueryGetsARedirectChallenge(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "next=/app/")
	raw := ts.URL + "/api/v3/flows/executor/default-authentication-flow/?query=next%3D/app/"
	resp := c.do(http.MethodPost, raw, "application/json", c.answer(map[string]any{"component": flow.ComponentIdentify, "uid_field": "bob"}))
	wantRedirect(t, c.challenge(resp), "/api/v3/flows/executor/default-authentication-flow/?query=next%3D%2Fapp%2F")
}

func TestNotFoundPagesAreHTML(t *testing.T) {
	_, ts := newSim(t, Options{})
	for _, path := range []string{
		"/api/v3/flows/executor/no-such-flow/?query=",
		"/api/v3/flows/executor/default-authentication-flow?query=",
		"/if/flow/no-such-flow/",
		"/if/flow/default-authentication-flow",
		"/api/v3/flows/inspector/no-such-flow/",
		"/api/v3/flows/instances/no-such-flow/execute/",
		"/elsewhere/",
	} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(string(body), "<title>Not Found</title>") {
			t.Errorf("%s: %d %s %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

func TestFlowPageAndLandingPage(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false)
	resp := c.do(http.MethodGet, ts.URL+"/if/flow/duo-push/", "", nil)
	body := readAll(t, resp)
	if !strings.Contains(string(body), "<title>Duo push</title>") || c.cookie(CSRFCookie) == "" {
		t.Fatalf("flow page %s, csrf %q", body, c.cookie(CSRFCookie))
	}
	first := c.cookie(CSRFCookie)
	readAll(t, c.do(http.MethodGet, ts.URL+"/if/flow/duo-push/", "", nil))
	if c.cookie(CSRFCookie) != first {
		t.Fatal("reloading the page changed a valid CSRF token")
	}
	c.login("bob", "bob-demo", "")
	body = readAll(t, c.do(http.MethodGet, ts.URL+"/", "", nil))
	if !strings.Contains(string(body), "Logged in as bob.") {
		t.Fatalf("landing page %s", body)
	}
}

func TestExecutorErrorsAreFlowErrors(t *testing.T) {
	s, ts := newSim(t, Options{})
	cases := []struct{ name, contentType, body string }{
		{"not JSON", "application/json", "{nope"},
		{"form post", "application/x-www-form-urlencoded", "uid_field=bob"},
		{"no content type", "", `{"uid_field":"bob"}`},
	}
	for _, tc := range cases {
		for _, bearer := range []string{"", s.AdminToken()} {
			// hologram-flow: an authentication flow would finish at once for an API user.
			c := newClient(t, ts, false).start("hologram-flow", "")
			c.bearer = bearer
			ch := c.challenge(c.do(http.MethodPost, c.executorURL(), tc.contentType, []byte(tc.body)))
			wantComponent(t, ch, flow.ComponentFlowError)
			if (ch.String("error") != "") != (bearer != "") {
				t.Errorf("%s (superuser %v): %s", tc.name, bearer != "", ch.Raw)
			}
		}
	}
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	ch := c.challenge(c.do(http.MethodPut, c.executorURL(), "application/json", []byte(`{}`)))
	wantComponent(t, ch, flow.ComponentFlowError)
}

func TestNonObjectBodiesAreValidationErrors(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	ch := c.challenge(c.do(http.MethodPost, c.executorURL(), "application/json", []byte(`[1,2]`)))
	wantError(t, ch, flow.NonFieldErrors, "Invalid data. Expected a dictionary, but got list.", "invalid")
	ch = c.challenge(c.do(http.MethodPost, c.executorURL(), "application/json", []byte(`null`)))
	wantError(t, ch, flow.NonFieldErrors, "This field may not be null.", "null")
	// An empty body is empty data, whatever the content type.
	ch = c.challenge(c.do(http.MethodPost, c.executorURL(), "text/plain", nil))
	wantError(t, ch, flow.NonFieldErrors, "No identification data provided.", "invalid")
}

func TestBrokenFlowShowsTracebackOnlyToSuperusers(t *testing.T) {
	s, ts := newSim(t, Options{})
	for _, bearer := range []string{"", s.tokenFor("alice"), s.AdminToken()} {
		c := newClient(t, ts, false).start("broken-flow", "")
		c.bearer = bearer
		wantComponent(t, c.get(), flow.ComponentDummy)
		ch := c.post(map[string]any{"component": flow.ComponentDummy})
		wantComponent(t, ch, flow.ComponentFlowError)
		super := bearer == s.AdminToken()
		if got := ch.String("error") == "division by zero" && strings.Contains(ch.String("traceback"), "ZeroDivisionError"); got != super {
			t.Errorf("superuser %v: %s", super, ch.Raw)
		}
		if ch.String("request_id") == "" {
			t.Errorf("no request_id: %s", ch.Raw)
		}
	}
}

func TestQueryHelpersMatchDjango(t *testing.T) {
	ps := parseQS("query=next%3D%252Fapp%252F&x=a+b&x=c&flag")
	if v, _ := lastValue(ps, "query"); v != "next=%2Fapp%2F" {
		t.Fatalf("query %q", v)
	}
	if got := djangoURLEncode(ps); got != "query=next%3D%252Fapp%252F&x=c&flag=" {
		t.Fatalf("urlencode %q", got)
	}
	if got := djangoURLEncode(parseQS("query=" + url.QueryEscape("a b/~"))); got != "query=a+b%2F~" {
		t.Fatalf("quote_plus %q", got)
	}
}

func TestCookieAttributes(t *testing.T) {
	_, ts := newSim(t, Options{})
	resp, err := http.Get(ts.URL + "/api/v3/flows/executor/default-authentication-flow/?query=")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == CSRFCookie {
			t.Fatal("an anonymous executor response set authentik_csrf")
		}
		if ck.Name == SessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || len(session.Value) < 32 || session.MaxAge != 0 {
		t.Fatalf("session cookie %+v", session)
	}
	resp, err = http.Get(ts.URL + "/if/flow/default-authentication-flow/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == CSRFCookie && (ck.HttpOnly || len(ck.Value) != 64) {
			t.Fatalf("csrf cookie %+v", ck)
		}
	}
}

func TestBrokenFlowShowsTracebackToASuperuserSession(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false)
	c.login("akadmin", "akadmin-demo", secretAkadmin)
	c.csrf = true
	c.start("broken-flow", "")
	c.get()
	ch := c.post(map[string]any{"component": flow.ComponentDummy})
	wantComponent(t, ch, flow.ComponentFlowError)
	if ch.String("error") != "division by zero" || ch.String("traceback") == "" {
		t.Fatalf("superuser session flow error %s", ch.Raw)
	}
}
