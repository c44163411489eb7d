package model

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// A recorded simulator session, opened in the whole app: the timeline,
// a body and the answered form, with the password redacted.
func TestAppOpensARecordedSession(t *testing.T) {
	path, admin := recordedLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m := NewOffline(OfflineOptions{Recording: rec})
	a := &app{tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))}

	// The first stage, its body and what was answered.
	a.waitText(t, "offline · login.akinspect.jsonl", "Identification", `"user_fields"`, "> "+admin.Username)
	a.tm.Type(">")
	a.waitText(t, "«redacted:password»", "step 2")
	a.tm.Type(">") // the password rejected once: the second answer
	a.waitText(t, "«redacted:password#2»", "Invalid password")
	a.tm.Type(">")
	a.waitText(t, "«redacted:code»")

	final := a.finish(t)
	if final.timeline.Len() != rec.Len() {
		t.Fatalf("timeline has %d rows, the recording %d", final.timeline.Len(), rec.Len())
	}
	if strings.Contains(final.form.View(), admin.Password) {
		t.Fatal("the recorded password shows in the form")
	}
}

// Replaying a recording against a fresh simulator: each answer the person
// sends is pre-filled with the next recorded answer of the run, as the
// headless replay sends them: the username, the wrong password's field
// (redacted, so empty), then after the server rejects it as it did in the
// recording, the second password attempt, then the code.
func TestAppReplaysARecordingLive(t *testing.T) {
	path, admin := recordedLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sim.New(sim.Options{Now: func() time.Time { return simClock }})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: rec.Header.Flow})
	if err != nil {
		t.Fatal(err)
	}
	m := NewOffline(OfflineOptions{Recording: rec, Options: Options{Client: c}})
	a := &app{tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40)), sim: s}

	// Recorded: #3 username, #5 wrong password, #6 right password, #8 code.
	a.waitText(t, "pre-filled with the recorded answer #3", "> "+admin.Username)
	a.press(tea.KeyCtrlS) // send the recorded username as it is
	a.waitText(t, "pre-filled with the recorded answer #5", "type password (redacted in the recording)")
	a.tm.Type("not-the-password") // what the recording sent first
	a.press(tea.KeyCtrlS)
	a.waitText(t, "Invalid password", "pre-filled with the recorded answer #6", "type password (redacted in the recording)")
	a.tm.Type(admin.Password)
	a.press(tea.KeyCtrlS)
	a.waitText(t, "MFA validation", "pre-filled with the recorded answer #8", "type code")
	code, err := flow.TOTP(admin.TOTPSecret, simClock)
	if err != nil {
		t.Fatal(err)
	}
	a.tm.Type(code)
	a.press(tea.KeyCtrlS)
	a.waitText(t, "Flow finished")

	final := a.finish(t)
	if final.state() != "done" {
		t.Fatalf("state %q, want done", final.state())
	}
	// The recorded rows stay, then the split row, then the live ones.
	live := final.session.len()
	if want := rec.Len() + 1 + live; final.timeline.Len() != want || live < 6 {
		t.Fatalf("timeline has %d rows, want %d recorded + split + %d live", final.timeline.Len(), rec.Len(), live)
	}
	if first := sessionExchanges(final)[0].ID; first != rec.Len()+2 {
		t.Fatalf("the first live row is #%d, want #%d (after the recording and the split)", first, rec.Len()+2)
	}
}

// A recording of two flow runs (login, then consent in the same session)
// replays both: the second starts once the first finished, and the
// consent token comes from the live challenge, not the redacted recording.
func TestAppReplaysEveryRecordedFlowRun(t *testing.T) {
	path, bob := recordedLoginThenConsent(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Flows) != 2 {
		t.Fatalf("the recording has %d flow runs, want 2", len(rec.Flows))
	}
	m, _ := liveReplayModel(t, rec)
	a := &app{tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))}
	a.waitText(t, "> "+bob.Username)
	a.press(tea.KeyCtrlS)
	a.waitText(t, "type password")
	a.tm.Type(bob.Password)
	a.press(tea.KeyCtrlS)
	a.waitText(t, "Consent token", "pre-filled")
	a.press(tea.KeyCtrlS)
	a.waitText(t, "Flow finished")

	final := a.finish(t)
	if final.flowSlug != "default-provider-authorization-explicit-consent" || final.state() != "done" {
		t.Fatalf("flow %q state %q, want the consent flow done", final.flowSlug, final.state())
	}
}
