package sim

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

// Differences a client could observe between the simulator and authentik,
// each pinned to the authentik source it follows.

// Django's CsrfViewMiddleware.process_view (reused by DRF's
// SessionAuthentication.enforce_csrf) rejects a logged-in unsafe request
// whose Origin is not the server's, on plain HTTP too.
func TestLoggedInPostFromAnotherOriginIsACSRFFailure(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false)
	c.login("bob", "bob-demo", "")
	c.start("default-provider-authorization-explicit-consent", "")
	c.csrf = true
	token := c.get().String("token")

	c.origin = "http://evil.example"
	ch := c.post(map[string]any{"component": flow.ComponentConsent, "token": token})
	wantComponent(t, ch, flow.ComponentFlowError)

	c.origin = ts.URL // the server's own origin passes
	wantRedirect(t, c.post(map[string]any{"component": flow.ComponentConsent, "token": c.get().String("token")}), "/")
}

// authentik/stages/identification/stage.py
// IdentificationChallengeResponse.validate: no uid_field is "No
// identification data provided.", not "Failed to authenticate.".
func TestIdentificationWithoutUIDSaysNoIdentificationData(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	c.get()
	ch := c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": ""})
	wantError(t, ch, flow.NonFieldErrors, "No identification data provided.", "invalid")
	ch = c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "nobody"})
	wantError(t, ch, flow.NonFieldErrors, "Failed to authenticate.", "invalid")
}

// authentik/flows/views/executor.py handle_invalid_flow: an authentication
// flow finishes at once for a logged-in session, so default-denied denies
// only anonymous sessions; the banner says so.
func TestDeniedFlowSkipsALoggedInSessionAsAuthentikDoes(t *testing.T) {
	s, ts := newSim(t, Options{})
	c := newClient(t, ts, false)
	c.login("bob", "bob-demo", "")
	c.start("default-denied", "")
	wantRedirect(t, c.get(), "/")
	if d := s.flows["default-denied"].description; !contains(d, "logged-in session skips") {
		t.Errorf("the banner's description does not say what happens to a logged-in session: %q", d)
	}
}

// Response headers authentik's middleware sets on every response
// (authentik/core/middleware.py RequestIDMiddleware; Django's
// SecurityMiddleware and XFrameOptionsMiddleware defaults), and DRF's Allow
// on the executor; a flow error's request_id is the X-authentik-id.
func TestExecutorResponseHeadersAreAuthentiks(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("broken-flow", "")
	c.get()
	c.check302(c.do(http.MethodPost, c.executorURL(), "application/json", []byte(`{"component":"ak-stage-dummy"}`)), c.executorURL())
	resp := c.do(http.MethodGet, c.executorURL(), "", nil) // the crashing stage
	id := resp.Header.Get(HeaderRequestID)
	ch := c.challenge(resp)
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
		"Allow":                  "GET, POST, HEAD, OPTIONS",
	}
	for name, v := range want {
		if got := resp.Header.Get(name); got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
		t.Errorf("X-authentik-id = %q, want a uuid4 hex", id)
	}
	wantComponent(t, ch, flow.ComponentFlowError)
	if ch.String("request_id") != id {
		t.Errorf("request_id %q is not the response's X-authentik-id %q", ch.String("request_id"), id)
	}
}
