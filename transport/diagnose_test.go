package transport

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// flowErrorAfterLogin serves a flow whose executor "logs in" on the first
// GET (rotating the session) and answers every POST with a bare flow error,
// as authentik does when the CSRF check fails.
func flowErrorAfterLogin(t *testing.T) *fakeAK {
	f := newFakeAK(t)
	gets := 0
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			writeJSON(w, 200, map[string]any{"component": "ak-stage-flow-error", "request_id": "abc123"})
			return
		}
		gets++
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: strings.Repeat("s", gets), Path: "/"})
		writeJSON(w, 200, map[string]any{"component": "ak-stage-consent", "token": "t"})
	})
	return f
}

func TestFlowErrorAfterLoginWithoutCSRFHeaderNamesCSRF(t *testing.T) {
	f := flowErrorAfterLogin(t)
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.NoCSRF = true })
	if _, err := c.Start(bg()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Challenge(bg()); err != nil { // second GET: session rotates
		t.Fatal(err)
	}
	step, err := c.Submit(bg(), answer(`{"component":"ak-stage-consent","token":"t"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(step.Diagnosis, "likely a CSRF failure") || !strings.Contains(step.Diagnosis, "X-authentik-CSRF") ||
		!strings.Contains(step.Diagnosis, "abc123") {
		t.Errorf("diagnosis = %q", step.Diagnosis)
	}
	if ex := step.Last(); !ex.Has(FlagLikelyCSRF) || ex.Diagnosis != step.Diagnosis || ex.Failed() {
		t.Errorf("exchange flags %v, diagnosis %q, error %q", ex.Flags, ex.Diagnosis, ex.Error)
	}
}

func TestFlowErrorWithoutCSRFCookieSaysSo(t *testing.T) {
	f := flowErrorAfterLogin(t)
	c := newTestClient(t, f.URL)
	// Skip the page (no authentik_csrf), as an API-only client would.
	for i := 0; i < 2; i++ {
		if _, err := c.Challenge(bg()); err != nil {
			t.Fatal(err)
		}
	}
	step, _ := c.Submit(bg(), answer(`{"component":"ak-stage-consent"}`))
	if !strings.Contains(step.Diagnosis, "no authentik_csrf cookie") {
		t.Errorf("diagnosis = %q", step.Diagnosis)
	}
}

func TestFlowErrorForAnonymousSessionIsHidden(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"component": "ak-stage-flow-error", "request_id": "r1"})
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.NoCSRF = true })
	step, err := c.Submit(bg(), answer(`{"component":"ak-stage-identification"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := "the server hid the error; a superuser or the server log sees it (request_id r1)"
	if step.Diagnosis != want || step.Last().Has(FlagLikelyCSRF) {
		t.Errorf("diagnosis = %q flags %v", step.Diagnosis, step.Last().Flags)
	}
}

func TestFlowErrorWithTokenBlamesTheToken(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"component": "ak-stage-flow-error", "request_id": "r2"})
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Token = "expired"; cfg.TokenOnExecutor = true })
	step, err := c.Challenge(bg())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(step.Diagnosis, "the token may be invalid or expired") {
		t.Errorf("diagnosis = %q", step.Diagnosis)
	}
}

func TestFlowErrorWithServerTextIsQuoted(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"component": "ak-stage-flow-error", "request_id": "r3",
			"error": "CSRF Failed: CSRF token missing."})
	})
	c := newTestClient(t, f.URL)
	step, _ := c.Submit(bg(), answer(`{"component":"ak-stage-consent"}`))
	if !strings.Contains(step.Diagnosis, "CSRF Failed: CSRF token missing.") || !step.Last().Has(FlagLikelyCSRF) {
		t.Errorf("diagnosis = %q", step.Diagnosis)
	}
}

func TestJWTSessionClaimCountsAsLoggedIn(t *testing.T) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"sid":"x","authenticated":true}`))
	if auth, known := sessionClaimsAuthenticated("e30." + payload + ".sig"); !auth || !known {
		t.Errorf("authenticated JWT read as %v/%v", auth, known)
	}
	if _, known := sessionClaimsAuthenticated("plainsessionkey"); known {
		t.Error("a plain session key claimed to be known")
	}
}
