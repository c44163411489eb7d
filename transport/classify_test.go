package transport

import (
	"net"
	"net/http"
	"strings"
	"testing"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// DNS failures cannot be produced on loopback; the transport hands the
// client the error a resolver gives.
func TestDNSFailureSaysWhichName(t *testing.T) {
	c := newTestClient(t, "https://auth.example.invalid", func(cfg *Config) {
		cfg.Transport = roundTripFunc(func(*http.Request) (*http.Response, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "auth.example.invalid", IsNotFound: true}}
		})
	})
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrDNS)
	if !strings.Contains(e.Message, "cannot resolve auth.example.invalid") || e.Hint == "" {
		t.Errorf("error = %v", e)
	}
}

func TestInspectorNotFoundNamesThePermission(t *testing.T) {
	f := newFakeAK(t)
	f.mux.HandleFunc("/api/v3/flows/inspector/"+testSlug+"/", func(w http.ResponseWriter, r *http.Request) { notFoundHTML(w) })
	c := newTestClient(t, f.URL)
	_, ex, err := c.Inspect(bg())
	e := asError(t, err, ErrNotFound)
	if !strings.Contains(e.Hint, "authentik_flows.inspect_flow") || ex.Kind != KindInspector {
		t.Errorf("error = %v", e)
	}
}

func TestInspectDecodesThePlan(t *testing.T) {
	f := newFakeAK(t)
	f.mux.HandleFunc("/api/v3/flows/inspector/"+testSlug+"/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"plans": []any{}, "is_completed": false, "current_plan": map[string]any{
			"current_stage": map[string]any{"pk": "b1", "order": 10, "stage_obj": map[string]any{"name": "default-authentication-identification"}},
			"session_id":    "abc"}})
	})
	c := newTestClient(t, f.URL)
	in, ex, err := c.Inspect(bg())
	if err != nil {
		t.Fatal(err)
	}
	if in.CurrentPlan.CurrentStage.StageObj.Name != "default-authentication-identification" || ex.Status != 200 || ex.Method != "GET" {
		t.Errorf("inspection %+v", in.CurrentPlan)
	}
}

func TestValidationErrorIsFlagged(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		ch := identification()
		ch["response_errors"] = map[string]any{"non_field_errors": []any{map[string]string{"string": "Failed to authenticate.", "code": "invalid"}}}
		writeJSON(w, 200, ch)
	})
	c := newTestClient(t, f.URL)
	step, err := c.Submit(bg(), answer(`{"component":"ak-stage-identification","uid_field":"nobody"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !step.Last().Has(FlagValidation) || step.Last().Failed() || len(step.Challenge.NonFieldErrors()) != 1 {
		t.Errorf("flags %v", step.Last().Flags)
	}
}

func TestJSONWithoutComponentIsNotAChallenge(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{"hello": "world"}) })
	c := newTestClient(t, f.URL)
	step, err := c.Challenge(bg())
	e := failedStep(t, c, step, err, ErrNotJSON)
	if !strings.Contains(e.Message, "no component") {
		t.Errorf("error = %v", e)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{BaseURL: "auth.example.com", Flow: "x"},
		{BaseURL: "https://auth.example.com?x=1", Flow: "x"},
		{BaseURL: "https://auth.example.com", Flow: ""},
		{BaseURL: "https://auth.example.com", Flow: "a/b"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted a bad config", cfg)
		}
	}
	c, err := New(Config{BaseURL: "https://auth.example.com/prefix/", Flow: "x"})
	if err != nil || c.Config().BaseURL != "https://auth.example.com/prefix" || c.Config().MaxRedirects != DefaultMaxRedirects ||
		c.Config().BodyCap != DefaultBodyCap || c.Config().UserAgent != DefaultUserAgent || c.Config().Timeout != DefaultTimeout {
		t.Errorf("defaults: %+v %v", c.Config(), err)
	}
}
