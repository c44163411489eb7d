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
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// liveReplay opens the recording at path in the app, replaying it against
// a fresh simulator.
func liveReplay(t *testing.T, path string) *app {
	t.Helper()
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m, s := liveReplayModel(t, rec)
	return &app{tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40)), sim: s}
}

// liveReplayModel is the model of a live replay of rec against a fresh
// simulator that lives as long as the test.
func liveReplayModel(t *testing.T, rec *history.Recording) (*Model, *sim.Server) {
	t.Helper()
	s := sim.New(sim.Options{Now: func() time.Time { return simClock }})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: rec.Header.Flow})
	if err != nil {
		t.Fatal(err)
	}
	return NewOffline(OfflineOptions{Recording: rec, Options: Options{Client: c}}), s
}

// The recording sent a wrong password first; the person sends the right
// one at once. The live flow moves on to MFA where the recording's next
// answer is its second password: the status line says so instead of
// pre-filling the code field.
func TestLiveReplaySaysWhereTheFlowLeftTheRecording(t *testing.T) {
	path, admin := recordedLogin(t)
	a := liveReplay(t, path)
	a.waitText(t, "pre-filled with the recorded answer #3", "> "+admin.Username)
	a.press(tea.KeyCtrlS)
	a.waitText(t, "pre-filled with the recorded answer #5", "type password")
	a.tm.Type(admin.Password)
	a.press(tea.KeyCtrlS)
	a.waitText(t, "MFA validation", "the recording answered password here; this is authenticator-validate")
	final := a.finish(t)
	if final.challenge == nil || final.challenge.Component != flow.ComponentValidate {
		t.Fatalf("live challenge %+v, want MFA validation", final.challenge)
	}
	if strings.Contains(final.status, "pre-filled") {
		t.Fatalf("status %q: nothing should be pre-filled after the flows parted", final.status)
	}
}

// prefillFor asks the replay what it pre-fills for a live challenge of
// component, running the command as the app would.
func prefillFor(t *testing.T, m *Model, component string) prefillMsg {
	t.Helper()
	c := &flow.Challenge{Component: component}
	m.showChallenge(c, "", nil)
	cmd := replayOf(m).replayChallenge(c)
	if cmd == nil {
		t.Fatalf("no prefill command for %s", component)
	}
	msg, ok := cmd().(prefillMsg)
	if !ok {
		t.Fatalf("the prefill command for %s sent %T", component, msg)
	}
	replayOf(m).onPrefill(msg)
	return msg
}

// Only answers the server took move the replay on: one the person
// cancelled does not, and past the run's last recorded answer the status
// line says the recording has no more.
func TestLiveReplayCountsTheAnswersSentInTheRun(t *testing.T) {
	path, _ := recordedLoginThenConsent(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := replay.Plan(rec)
	if err != nil || len(plan) != 2 || len(plan[0].Answers) != 2 {
		t.Fatalf("plan %+v, %v: want a login run with two answers, then consent", plan, err)
	}
	m, _ := liveReplayModel(t, rec)
	if msg := prefillFor(t, m, flow.ComponentIdentify); msg.from != plan[0].Answers[0].Index {
		t.Fatalf("first live challenge pre-filled from #%d, want the recorded username #%d", msg.from+1, plan[0].Answers[0].Index+1)
	}
	m.src.answerSent()
	m.src.answerDropped(false) // cancelled: the same challenge comes back
	if msg := prefillFor(t, m, flow.ComponentIdentify); msg.from != plan[0].Answers[0].Index {
		t.Fatalf("after a cancelled answer pre-filled from #%d, want the username #%d again", msg.from+1, plan[0].Answers[0].Index+1)
	}
	m.src.answerSent()
	if msg := prefillFor(t, m, flow.ComponentPassword); msg.from != plan[0].Answers[1].Index {
		t.Fatalf("second answer pre-filled from #%d, want the recorded password #%d", msg.from+1, plan[0].Answers[1].Index+1)
	}
	m.src.answerSent()
	msg := prefillFor(t, m, flow.ComponentValidate)
	if msg.from >= 0 || !strings.Contains(m.status, "the recording sent 2 answers in this flow run") {
		t.Fatalf("past the recorded answers: from #%d, status %q", msg.from+1, m.status)
	}
}
