package replay

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/har"
	"github.com/akinspect/akinspect/transport"
)

const consentFlow = "default-provider-authorization-explicit-consent"

// recordRestarts records what the TUI's R and N keys do: alice logs in,
// restarts the login flow (R: same jar), then starts the consent flow in a
// new session (N: ResetJar, then Start) and restarts that (R).
func recordRestarts(t *testing.T) (path, password, totpSecret string) {
	t.Helper()
	s, ts := newSimServer(t, "")
	alice := simUser(t, s, "alice")
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), history.FileName(simNow, "default-authentication-flow"))
	w, err := history.Create(path, history.Header{BaseURL: ts.URL, Flow: "default-authentication-flow"}, history.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	ctx := context.Background()
	expect := func(want string, step *transport.Step, err error) {
		t.Helper()
		if err != nil || step.Challenge == nil || step.Challenge.Component != want {
			t.Fatalf("recording: want %s, got %+v (%v)", want, step.Challenge, err)
		}
	}
	st, err := c.Start(ctx)
	expect(flow.ComponentIdentify, st, err)
	st, err = c.Submit(ctx, answer(flow.ComponentIdentify, map[string]any{"uid_field": alice.Username}))
	expect(flow.ComponentPassword, st, err)
	st, err = c.Submit(ctx, answer(flow.ComponentPassword, map[string]any{"password": alice.Password}, "password"))
	expect(flow.ComponentValidate, st, err)
	code, _ := flow.TOTP(alice.TOTPSecret, simNow)
	st, err = c.Submit(ctx, answer(flow.ComponentValidate, map[string]any{"code": code}, "code"))
	expect(flow.ComponentRedirect, st, err)
	st, err = c.Start(ctx) // R: a logged-in session is sent on at once
	expect(flow.ComponentRedirect, st, err)
	c.ResetJar() // N: a new session, in another flow
	c.UseFlow(consentFlow, "")
	st, err = c.Start(ctx)
	expect(flow.ComponentAccessDenied, st, err) // anonymous now
	st, err = c.Start(ctx)                      // R again
	expect(flow.ComponentAccessDenied, st, err)
	stop()
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path, alice.Password, alice.TOTPSecret
}

func replayOnFreshSim(t *testing.T, rec *history.Recording, password, totpSecret string) *Report {
	t.Helper()
	_, fresh := newSimServer(t, "")
	report, err := Replay(context.Background(), rec, ReplayOptions{
		BaseURL: fresh.URL, Secrets: map[string]string{"password": password},
		TOTPSecret: totpSecret, Now: func() time.Time { return simNow }, KeepGoing: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return report
}

func TestRecordingSplitsRestartsAndNewSessionsIntoFlowRuns(t *testing.T) {
	path, _, _ := recordRestarts(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rec.Flows {
		got = append(got, f.Slug+map[bool]string{true: "+new", false: ""}[f.NewSession])
	}
	want := "default-authentication-flow default-authentication-flow " + consentFlow + "+new " + consentFlow
	if strings.Join(got, " ") != want {
		t.Errorf("flow runs = %v, want %s", got, want)
	}
	data, _ := os.ReadFile(path)
	if n := bytes.Count(data, []byte(`"new_session":true`)); n != 1 {
		t.Errorf("the file has %d new_session flow records, want 1 (for the N)", n)
	}
}

func TestReplayRepeatsRestartsAndEmptiesTheJarForNewSessions(t *testing.T) {
	path, password, totpSecret := recordRestarts(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	report := replayOnFreshSim(t, rec, password, totpSecret)
	if report.Diverged {
		t.Fatalf("replay of restarts and a new session diverged:\n%s", report.Text())
	}
	var actions []string
	for _, s := range report.Steps {
		actions = append(actions, s.Action)
	}
	want := []string{
		"start default-authentication-flow", "answer identification", "answer password",
		"answer authenticator-validate", "start default-authentication-flow",
		"start " + consentFlow + " (new session)", "start " + consentFlow,
	}
	if strings.Join(actions, "|") != strings.Join(want, "|") {
		t.Errorf("replayed steps:\n  %s\nwant:\n  %s", strings.Join(actions, "\n  "), strings.Join(want, "\n  "))
	}
}

// Files written before the writer marked restarts have flow records only
// where the slug changed, and none with new_session: replay still finds
// the restarts (page GETs) and the new session (a page GET without cookies).
func TestReplayOfOlderFileWithoutRestartRecordsMatches(t *testing.T) {
	path, password, totpSecret := recordRestarts(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept [][]byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if bytes.HasPrefix(line, []byte(`{"type":"flow"`)) && !bytes.Contains(line, []byte(`"flow":"`+consentFlow+`"`)) {
			continue // a restart record an older writer would not have written
		}
		kept = append(kept, bytes.Replace(line, []byte(`,"new_session":true`), nil, 1))
	}
	old := filepath.Join(t.TempDir(), "old"+history.Extension)
	if err := os.WriteFile(old, bytes.Join(kept, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	rec, err := history.Open(old)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Flows) != 4 || !rec.Flows[2].NewSession || rec.Flows[1].NewSession || rec.Flows[3].NewSession {
		t.Errorf("older file opens with flow runs %+v, want 4 with the third in a new session", rec.Flows)
	}
	report := replayOnFreshSim(t, rec, password, totpSecret)
	if report.Diverged || len(report.Steps) != 7 || report.Steps[5].Action != "start "+consentFlow+" (new session)" {
		t.Fatalf("replay of the older file:\n%s", report.Text())
	}
}

func TestRestartsSurviveHARAndInMemoryRecordings(t *testing.T) {
	path, password, totpSecret := recordRestarts(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var harOut bytes.Buffer
	if err := har.Export(&harOut, rec, har.Options{Header: &rec.Header}); err != nil {
		t.Fatal(err)
	}
	imported, err := har.Import(&harOut)
	if err != nil {
		t.Fatal(err)
	}
	exs, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*history.Recording{"HAR": imported, "in memory": history.FromExchanges(rec.Header, exs)} {
		if len(r.Flows) != 4 || !r.Flows[2].NewSession {
			t.Errorf("%s: flow runs %+v, want 4 with the third in a new session", name, r.Flows)
		}
		if report := replayOnFreshSim(t, r, password, totpSecret); report.Diverged || len(report.Steps) != 7 {
			t.Errorf("%s: replay:\n%s", name, report.Text())
		}
	}
}
