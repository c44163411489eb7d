package replay

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// replay --keep-going against a server that shows another stage never sends
// the recorded password (or a TOTP code) to that stage.
func TestKeepGoingNeverSendsASecretToAnotherStage(t *testing.T) {
	s := sim.New(sim.Options{Now: func() time.Time { return simNow }, Variant: sim.VariantDummyBeforePassword})
	report, posted, alice := replayKeepGoing(t, s, nil)
	for _, body := range posted {
		if strings.Contains(body, alice.Password) || strings.Contains(body, `"code"`) {
			t.Errorf("a secret went to a stage it was not recorded for: %s", body)
		}
	}
	var held *StepResult
	for i := range report.Steps {
		if report.Steps[i].Action == "answer password" {
			held = &report.Steps[i]
		}
	}
	if held == nil {
		t.Fatalf("no password answer in the plan:\n%s", report.Text())
	}
	if held.Status != StepNotRun || !strings.Contains(held.Note, "not sent") || !strings.Contains(held.Note, "dummy") {
		t.Errorf("the password answer: %s, note %q: want it held back, naming the stage shown\n%s", held.Status, held.Note, report.Text())
	}
	if !report.Diverged {
		t.Error("the report does not say the replay diverged")
	}
}

// ShapeOnly (what load uses) still tells a rejected answer from a good one.
func TestShapeOnlyComparesStageStatusAndErrors(t *testing.T) {
	path, alice := recordSimLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, ts := newSimServer(t, "")
	for _, c := range []struct {
		password string
		diverged bool
	}{{alice.Password, false}, {"wrong", true}} {
		report, err := Replay(context.Background(), rec, ReplayOptions{BaseURL: ts.URL, ShapeOnly: true,
			Secrets: map[string]string{"password": c.password}, TOTPSecret: alice.TOTPSecret, Now: func() time.Time { return simNow }})
		if err != nil {
			t.Fatal(err)
		}
		if report.Diverged != c.diverged {
			t.Errorf("password %q: diverged %v, want %v\n%s", c.password, report.Diverged, c.diverged, report.Text())
		}
	}
}

// A step that brings no challenge back (a proxy's 500 page) leaves no stage
// to send a secret to: with --keep-going the password is held back, not
// posted to whatever the server does next.
func TestKeepGoingHoldsSecretsAfterAStepWithNoChallenge(t *testing.T) {
	s := sim.New(sim.Options{Now: func() time.Time { return simNow }})
	report, posted, alice := replayKeepGoing(t, s, func(w http.ResponseWriter, _ *http.Request, body string) bool {
		if !strings.Contains(body, "uid_field") {
			return false
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<html><title>502 Bad Gateway</title></html>")
		return true
	})
	if len(posted) == 0 {
		t.Fatal("nothing was posted: the identification answer should have been sent")
	}
	for _, body := range posted {
		if strings.Contains(body, alice.Password) || strings.Contains(body, `"code"`) {
			t.Errorf("a secret was sent after a step with no challenge: %s\n%s", body, report.Text())
		}
	}
	var held bool
	for _, st := range report.Steps {
		if st.Action == "answer password" && st.Status == StepNotRun && strings.Contains(st.Note, "no stage") {
			held = true
		}
	}
	if !held {
		t.Errorf("the password answer is not reported as held back for want of a stage:\n%s", report.Text())
	}
}

// The guard itself: with no live stage at all, an answer holding secrets is
// another stage's answer; without secrets it may go.
func TestNoLiveStageIsAnotherStageForSecrets(t *testing.T) {
	st := plannedStep{Answered: &transport.Exchange{Component: "ak-stage-password"}}
	r := &replayer{}
	if !r.wrongStageForSecrets(st, flow.Answer{Secrets: []string{"password"}}) {
		t.Error("a password would be sent while the server shows no stage")
	}
	if r.wrongStageForSecrets(st, flow.Answer{}) {
		t.Error("an answer without secrets is held back too")
	}
	r.live = &flow.Challenge{Component: "ak-stage-password"}
	if r.wrongStageForSecrets(st, flow.Answer{Secrets: []string{"password"}}) {
		t.Error("the password is held back from the password stage")
	}
}

// replayKeepGoing replays a recorded alice login with --keep-going against
// server, optionally answering a POST itself (intercept returns true), and
// returns the report and every POST body the server received.
func replayKeepGoing(t *testing.T, server http.Handler, intercept func(w http.ResponseWriter, r *http.Request, body string) bool) (*Report, []string, sim.User) {
	t.Helper()
	path, alice := recordSimLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var posted []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			posted = append(posted, string(b))
			mu.Unlock()
			r.Body = io.NopCloser(strings.NewReader(string(b)))
			if intercept != nil && intercept(w, r, string(b)) {
				return
			}
		}
		server.ServeHTTP(w, r)
	}))
	defer srv.Close()
	report, err := Replay(context.Background(), rec, ReplayOptions{
		BaseURL: srv.URL, Secrets: map[string]string{"password": alice.Password},
		TOTPSecret: alice.TOTPSecret, Now: func() time.Time { return simNow }, KeepGoing: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return report, append([]string(nil), posted...), alice
}
