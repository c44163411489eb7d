package sim

import (
	"net/http"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func TestConsentNeedsALogin(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-provider-authorization-explicit-consent", "")
	wantDenied(t, c.get(), "Flow does not apply to current user.")
}

func TestConsentPostAfterLoginNeedsCSRF(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false)
	c.login("bob", "bob-demo", "")
	c.start("default-provider-authorization-explicit-consent", "next=%2Fapplication%2Fo%2Fauthorize%2F")
	ch := c.get()
	wantComponent(t, ch, flow.ComponentConsent)
	token := ch.String("token")

	ch = c.post(map[string]any{"component": flow.ComponentConsent, "token": token})
	wantComponent(t, ch, flow.ComponentFlowError)
	if ch.String("request_id") == "" || ch.Fields["error"] != nil || ch.Fields["traceback"] != nil || ch.FlowInfo != nil {
		t.Fatalf("CSRF flow error for a normal user: %s", ch.Raw)
	}

	c.csrf = true
	ch = c.post(map[string]any{"component": flow.ComponentConsent, "token": "not-the-token"})
	wantError(t, ch, "token", msgConsentToken, "invalid")
	ch = c.post(map[string]any{"component": flow.ComponentConsent, "token": ch.String("token")})
	wantRedirect(t, ch, "/application/o/authorize/")
}

func TestCSRFFailureHidesDetailsEvenFromSuperusers(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false)
	c.login("akadmin", "akadmin-demo", secretAkadmin)
	c.start("default-provider-authorization-explicit-consent", "")
	c.get()
	resp := c.do(http.MethodPost, c.executorURL(), "application/json", []byte(`{"component":"ak-stage-consent","token":"x"}`))
	ch := c.challenge(resp)
	wantComponent(t, ch, flow.ComponentFlowError)
	if ch.Fields["error"] != nil {
		t.Fatalf("DRF resets the user before the flow error; got %s", ch.Raw)
	}
}

func TestBearerRequestsNeedNoCSRF(t *testing.T) {
	s, ts := newSim(t, Options{})
	c := newClient(t, ts, false)
	c.login("bob", "bob-demo", "")
	c.bearer = s.AdminToken()
	c.start("default-provider-authorization-explicit-consent", "")
	ch := c.get()
	wantRedirect(t, c.post(map[string]any{"component": flow.ComponentConsent, "token": ch.String("token")}), "/")
}

func TestBadBearerTokenIsAFlowError(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	c.bearer = "nope"
	ch := c.get()
	wantComponent(t, ch, flow.ComponentFlowError)
	if ch.Fields["error"] != nil {
		t.Fatalf("anonymous flow error shows details: %s", ch.Raw)
	}
}

func TestCSRFCheckerReasons(t *testing.T) {
	cases := []struct{ cookie, header, want string }{
		{"", "x", "CSRF Failed: CSRF cookie not set."},
		{newCSRFToken(), "", "CSRF Failed: CSRF token missing."},
		{newCSRFToken(), "short", "has incorrect length"},
		{newCSRFToken(), newCSRFToken(), "incorrect."},
	}
	for _, tc := range cases {
		r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/", nil)
		if tc.cookie != "" {
			r.AddCookie(&http.Cookie{Name: CSRFCookie, Value: tc.cookie})
		}
		if tc.header != "" {
			r.Header.Set(CSRFHeader, tc.header)
		}
		err := checkCSRF(r)
		if err == nil || !contains(err.Error(), tc.want) {
			t.Errorf("cookie %q header %q: %v, want %q", tc.cookie, tc.header, err, tc.want)
		}
	}
	tok := newCSRFToken()
	r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/", nil)
	r.AddCookie(&http.Cookie{Name: CSRFCookie, Value: tok})
	r.Header.Set(CSRFHeader, tok)
	if err := checkCSRF(r); err != nil {
		t.Fatal(err)
	}
}
