package transport

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/sim"
)

// A raw answer that is not JSON makes authentik's executor fail to parse it;
// the flow error hides why, but the client knows what it sent.
func TestFlowErrorAfterNonJSONAnswerBlamesTheBody(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Flow = "broken-flow" })
	step, err := c.Start(bg())
	if err != nil || step.Challenge.Component != flow.ComponentDummy {
		t.Fatalf("start: %v %+v", err, step.Challenge)
	}
	step, err = c.Submit(bg(), flow.Answer{Component: flow.ComponentDummy, Body: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	if step.Challenge.Component != flow.ComponentFlowError {
		t.Fatalf("a body of x reached %s", step.Challenge.Raw)
	}
	want := "the answer body was not valid JSON: authentik rejects it with a flow error (JSON parse error) (request_id "
	if !strings.HasPrefix(step.Diagnosis, want) || strings.Contains(step.Diagnosis, "hid the error") {
		t.Errorf("diagnosis = %q", step.Diagnosis)
	}
	if step.Last().Has(FlagLikelyCSRF) {
		t.Errorf("flags %v: a parse error is not CSRF", step.Last().Flags)
	}
}

// A valid body that still ends in a flow error keeps the generic diagnosis:
// the body note appears only when the body is the cause.
func TestFlowErrorAfterJSONAnswerDoesNotBlameTheBody(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"component": "ak-stage-flow-error", "request_id": "r9"})
	})
	c := newTestClient(t, f.URL)
	step, _ := c.Submit(bg(), answer(`{"component":"ak-stage-identification","uid_field":"x"}`))
	if strings.Contains(step.Diagnosis, "not valid JSON") || !strings.Contains(step.Diagnosis, "hid the error") {
		t.Errorf("diagnosis = %q", step.Diagnosis)
	}
}

// consentThenFlowError shows a consent challenge on GET and fails every POST.
func consentThenFlowError(t *testing.T) *fakeAK {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			writeJSON(w, 200, map[string]any{"component": "ak-stage-flow-error", "request_id": "r7"})
			return
		}
		writeJSON(w, 200, map[string]any{"component": "ak-stage-consent", "token": "t"})
	})
	return f
}

func TestFlowErrorNamesAnAnswerForAnotherComponent(t *testing.T) {
	c := newTestClient(t, consentThenFlowError(t).URL)
	if _, err := c.Start(bg()); err != nil {
		t.Fatal(err)
	}
	step, _ := c.Submit(bg(), answer(`{"component":"ak-stage-password","password":"p"}`))
	if !strings.Contains(step.Diagnosis, `the answer's component "ak-stage-password" is not the answered challenge's "ak-stage-consent"`) {
		t.Errorf("diagnosis = %q", step.Diagnosis)
	}
}

func TestFlowErrorSaysNothingOfComponentsWhenTheyAgreeOrAreUnknown(t *testing.T) {
	c := newTestClient(t, consentThenFlowError(t).URL)
	// No challenge seen yet: the client cannot know what the answer is for.
	step, _ := c.Submit(bg(), answer(`{"component":"ak-stage-password","password":"p"}`))
	if strings.Contains(step.Diagnosis, "component") {
		t.Errorf("unknown challenge, diagnosis = %q", step.Diagnosis)
	}
	if _, err := c.Challenge(bg()); err != nil {
		t.Fatal(err)
	}
	step, _ = c.Submit(bg(), answer(`{"component":"ak-stage-consent","token":"t"}`))
	if strings.Contains(step.Diagnosis, "component") {
		t.Errorf("matching component, diagnosis = %q", step.Diagnosis)
	}
	// Switching flows forgets the challenge: a mismatch can no longer be told.
	c.UseFlow(testSlug, "")
	step, _ = c.Submit(bg(), answer(`{"component":"ak-stage-password","password":"p"}`))
	if strings.Contains(step.Diagnosis, "component") {
		t.Errorf("after UseFlow, diagnosis = %q", step.Diagnosis)
	}
}
