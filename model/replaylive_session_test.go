package model

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
)

// recordedLoginThenNewSession records bob's login, then a new session (an
// emptied jar, as N does) that runs the consent flow anonymously.
func recordedLoginThenNewSession(t *testing.T) (string, sim.User) {
	t.Helper()
	var bob sim.User
	path := recordSim(t, "newsession", func(r *simScript) {
		bob = r.user("bob")
		r.start("default-authentication-flow")
		r.answer(map[string]string{"uid_field": bob.Username})
		r.answer(map[string]string{"password": bob.Password})
		r.c.ResetJar()
		r.start("default-provider-authorization-explicit-consent")
		r.reached(flow.ComponentAccessDenied)
	})
	return path, bob
}

// A live replay empties the jar where the recording did: the consent run
// that was anonymous in the recording is anonymous again, not logged in.
func TestAppLiveReplayStartsANewSessionWhereTheRecordingDid(t *testing.T) {
	path, bob := recordedLoginThenNewSession(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Flows) != 2 || !rec.Flows[1].NewSession {
		t.Fatalf("flow runs %+v: want a second run marked as a new session", rec.Flows)
	}
	m, _ := liveReplayModel(t, rec)
	a := &app{tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))}
	a.waitText(t, "> "+bob.Username)
	a.press(tea.KeyCtrlS)
	a.waitText(t, "type password")
	a.tm.Type(bob.Password)
	a.press(tea.KeyCtrlS)
	a.waitText(t, "Access denied")
	final := a.finish(t)
	if final.flowSlug != "default-provider-authorization-explicit-consent" {
		t.Fatalf("flow %q, want the consent flow", final.flowSlug)
	}
}

// Starting the next recorded run forgets the inspector reading of the last
// one, as R and N do: it described a flow that is over.
func TestLiveReplayNextRunForgetsTheInspectorReading(t *testing.T) {
	path, _ := recordedLoginThenNewSession(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := liveReplayModel(t, rec)
	s := liveOf(m)
	s.in, s.inErr = &flow.Inspection{}, "stale"
	m.stepNo = 3
	if replayOf(m).startRun(1) == nil {
		t.Fatal("the second recorded run should start")
	}
	if in, errText := m.src.inspection(); in != nil || errText != "" || m.stepNo != 0 {
		t.Fatalf("after starting run 2: inspection %v, error %q, step %d", in, errText, m.stepNo)
	}
	m.cancelInFlight()
}
