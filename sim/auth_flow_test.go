package sim

import (
	"net/http"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func TestAuthenticationWithTOTPRotatesCookiesAndHonoursNext(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "next=%2Fapp%2F")
	page := c.do(http.MethodGet, ts.URL+"/if/flow/default-authentication-flow/?next=%2Fapp%2F", "", nil)
	readAll(t, page)
	if page.StatusCode != http.StatusOK || c.cookie(CSRFCookie) == "" {
		t.Fatalf("flow page: status %d, csrf cookie %q", page.StatusCode, c.cookie(CSRFCookie))
	}
	ch := c.get()
	wantComponent(t, ch, flow.ComponentIdentify)
	if ch.String("flow_designation") != "authentication" || ch.Bool("password_fields") {
		t.Fatalf("identification challenge: %s", ch.Raw)
	}
	csrfBefore, sessBefore := c.cookie(CSRFCookie), c.cookie(SessionCookie)
	if sessBefore == "" {
		t.Fatal("anonymous executor use set no authentik_session")
	}
	ch = c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "alice@example.com"})
	wantComponent(t, ch, flow.ComponentPassword)
	if ch.PendingUser != "alice" {
		t.Fatalf("pending_user %q", ch.PendingUser)
	}
	ch = c.post(map[string]any{"component": flow.ComponentPassword, "password": "alice-demo"})
	wantComponent(t, ch, flow.ComponentValidate)
	var devices []struct {
		DeviceClass string `json:"device_class"`
		DeviceUID   string `json:"device_uid"`
	}
	_ = ch.Get("device_challenges", &devices)
	if len(devices) != 2 || devices[0].DeviceClass != "totp" || devices[1].DeviceClass != "static" {
		t.Fatalf("device challenges %+v", devices)
	}
	ch = c.post(map[string]any{"component": flow.ComponentValidate, "code": "000000"})
	wantError(t, ch, "code", msgInvalidToken, "invalid")
	ch = c.post(map[string]any{"component": flow.ComponentValidate, "code": totpNow(t, secretAlice)})
	wantRedirect(t, ch, "/app/")
	if c.cookie(SessionCookie) == sessBefore || c.cookie(CSRFCookie) == csrfBefore {
		t.Fatal("login did not rotate authentik_session and authentik_csrf")
	}
	// An authentication flow for a logged-in session finishes at once.
	c.start("default-authentication-flow", "")
	wantRedirect(t, c.get(), "/")
}

// The password answer of a user without devices ends the flow: no
// authenticator-validate stage in between (the login helper would accept
// one, so this walks the flow itself).
func TestUserWithoutDevicesSkipsMFA(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	c.get()
	wantComponent(t, c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "bob"}), flow.ComponentPassword)
	ch := c.post(map[string]any{"component": flow.ComponentPassword, "password": "bob-demo"})
	if ch.Component == flow.ComponentValidate {
		t.Fatalf("bob has no devices, but the flow asks for MFA: %s", ch.Raw)
	}
	wantRedirect(t, ch, "/")
}

func TestUnknownUserFailsToAuthenticate(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	ch := c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "mallory"})
	wantComponent(t, ch, flow.ComponentIdentify)
	wantError(t, ch, flow.NonFieldErrors, "Failed to authenticate.", "invalid")
}

func TestFivePasswordFailuresDenyAccess(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "bob"})
	for i := 1; i < failedAttemptsBeforeCancel; i++ {
		ch := c.post(map[string]any{"component": flow.ComponentPassword, "password": "wrong"})
		wantComponent(t, ch, flow.ComponentPassword)
		wantError(t, ch, "password", "Invalid password", "invalid")
	}
	ch := c.post(map[string]any{"component": flow.ComponentPassword, "password": "wrong"})
	wantDenied(t, ch, "Invalid password")
	// The plan is gone: the next GET starts over.
	wantComponent(t, c.get(), flow.ComponentIdentify)
}

func TestStaticCodeIsSingleUse(t *testing.T) {
	_, ts := newSim(t, Options{})
	code := "al7f4s9q"
	for round := 0; round < 2; round++ {
		c := newClient(t, ts, false).start("default-authentication-flow", "")
		c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "alice"})
		c.post(map[string]any{"component": flow.ComponentPassword, "password": "alice-demo"})
		ch := c.post(map[string]any{"component": flow.ComponentValidate, "code": code})
		if round == 0 {
			wantRedirect(t, ch, "/")
		} else {
			wantError(t, ch, "code", msgInvalidToken, "invalid")
		}
	}
}

func TestValidateStageErrors(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "akadmin"})
	c.post(map[string]any{"component": flow.ComponentPassword, "password": "akadmin-demo"})
	ch := c.post(map[string]any{"component": flow.ComponentValidate})
	wantError(t, ch, flow.NonFieldErrors, msgEmpty, "invalid")
	ch = c.post(map[string]any{"component": flow.ComponentValidate, "selected_challenge": map[string]any{
		"device_class": "totp", "device_uid": "999", "challenge": map[string]any{}, "last_used": nil}})
	wantError(t, ch, "selected_challenge", "invalid challenge selected", "invalid")
	ch = c.post(map[string]any{"component": flow.ComponentValidate, "code": "ak2p6w5t"})
	wantRedirect(t, ch, "/")
}

func TestVariantInsertsDummyBeforePassword(t *testing.T) {
	_, ts := newSim(t, Options{Variant: VariantDummyBeforePassword})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	ch := c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "bob"})
	wantComponent(t, ch, flow.ComponentDummy)
	if ch.String("name") != "Changed stage" {
		t.Fatalf("dummy name %q", ch.String("name"))
	}
	wantComponent(t, c.post(map[string]any{"component": flow.ComponentDummy}), flow.ComponentPassword)

	_, plain := newSim(t, Options{})
	c = newClient(t, plain, false).start("default-authentication-flow", "")
	wantComponent(t, c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "bob"}), flow.ComponentPassword)
}

func TestAbsoluteNextIsDenied(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("hologram-flow", "next=https%3A%2F%2Fevil.example%2F")
	wantComponent(t, c.get(), ComponentHologram)
	wantDenied(t, c.post(map[string]any{"component": ComponentHologram, "anything": []int{1}}), "Invalid next URL")
}

func TestHologramIsUnknownAndAnyAnswerContinues(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("hologram-flow", "next=%2Fdone%2F")
	ch := c.get()
	if ch.Known() {
		t.Fatal("the hologram component is in flow's catalog")
	}
	wantRedirect(t, c.post(map[string]any{"component": ComponentHologram, "seen": true}), "/done/")
}

func TestDeniedFlow(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-denied", "")
	wantDenied(t, c.get(), msgDenied)
}
