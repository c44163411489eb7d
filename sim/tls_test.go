package sim

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/flow/schematest"
)

// Over HTTPS the session cookie is SameSite=None; Secure and Django's CSRF
// check also wants a matching Referer or Origin.
func TestHTTPSWantsRefererOnCSRFChecks(t *testing.T) {
	s := New(Options{Now: func() time.Time { return fixedNow }})
	ts := httptest.NewTLSServer(s)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	hc := ts.Client()
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := &client{t: t, base: ts.URL, hc: hc, schema: schematest.Load(t, flow.Version2026_2)}

	resp := c.do(http.MethodGet, ts.URL+"/api/v3/flows/executor/default-authentication-flow/?query=", "", nil)
	readAll(t, resp)
	for _, ck := range resp.Cookies() {
		if ck.Name == SessionCookie && (!ck.Secure || ck.SameSite != http.SameSiteNoneMode) {
			t.Fatalf("session cookie over TLS %+v", ck)
		}
	}
	c.login("bob", "bob-demo", "")
	c.csrf = true
	c.start("default-provider-authorization-explicit-consent", "")
	token := c.get().String("token")
	ch := c.post(map[string]any{"component": flow.ComponentConsent, "token": token})
	wantComponent(t, ch, flow.ComponentFlowError)

	req, _ := http.NewRequest(http.MethodPost, c.executorURL(), nil)
	req = withBody(req, c.answer(map[string]any{"component": flow.ComponentConsent, "token": token}))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Referer", ts.URL+"/if/flow/default-provider-authorization-explicit-consent/")
	req.Header.Set(CSRFHeader, c.cookie(CSRFCookie))
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, c.challenge(resp), "/")
}

func TestCancelDropsThePlan(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	wantComponent(t, c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "bob"}), flow.ComponentPassword)
	resp := c.do(http.MethodGet, ts.URL+"/flows/-/cancel/", "", nil)
	readAll(t, resp)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/" {
		t.Fatalf("cancel: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	wantComponent(t, c.get(), flow.ComponentIdentify)
}
