package model

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
)

// recordedRawAnswer records a consent stage answered in raw mode with a
// body that is not JSON at all ("x"), as a person would to see how the
// server reacts.
func recordedRawAnswer(t *testing.T) string {
	t.Helper()
	return recordSim(t, "raw", func(r *simScript) {
		r.start("default-authentication-flow")
		if _, err := r.c.Submit(r.ctx, flow.Answer{Component: flow.ComponentIdentify, Body: []byte("x")}); err != nil {
			t.Logf("raw answer: %v", err) // a flow error is the expected reply
		}
	})
}

// The read-only form of a stage whose answer was a raw body shows that
// body as sent, not the stage's fields with values that were never sent.
func TestOfflineRawAnswerShowsTheBodySent(t *testing.T) {
	m := openOffline(t, recordedRawAnswer(t), 120, 40)
	if m.answer.Component != flow.ComponentIdentify {
		t.Fatalf("the first stage shown is %q, want identification", m.answer.Component)
	}
	v := ansi.Strip(m.form.View())
	if !strings.Contains(v, "Raw body sent:") || !strings.Contains(v, "  x") {
		t.Fatalf("the form should show the raw body sent:\n%s", v)
	}
	if strings.Contains(v, "Username") {
		t.Fatalf("the form shows the stage's fields, which were never sent:\n%s", v)
	}
}

// A consent answer sent as raw text must not show the challenge's token
// as if it had been sent.
func TestAnsweredFormOfARawBodyHidesTheStageFields(t *testing.T) {
	c := mustDecode(t, consentJSON)
	form, values := answeredForm(flow.FormFor(c), []byte("x"))
	if len(form.Fields) != 1 || form.Fields[0].Label != "Raw body sent:" || form.Fields[0].Initial != "x" || values["token"] != "" {
		t.Fatalf("fields %+v, values %v", form.Fields, values)
	}
}

// A recorded answer that was not a JSON object (raw mode sent it on
// purpose) is put into the raw editor as it was sent, and the status line
// says so, rather than leaving the live form empty without a word.
func TestReplayPrefillsARawRecordedAnswerIntoTheRawEditor(t *testing.T) {
	rec, err := history.Open(cannedRecording(t))
	if err != nil {
		t.Fatal(err)
	}
	m := NewOffline(OfflineOptions{Recording: rec, Options: Options{Client: idleClient(t), Now: func() time.Time { return fixedNow }}})
	m.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	loadSimRun(t, "login").deliver(m, 0) // the live start: identification
	m.update(prefillMsg{step: m.stepNo, from: 3, body: []byte(`{"uid_field": "akad`)})
	if !m.form.Raw() || m.form.Values()[""] != `{"uid_field": "akad` {
		t.Fatalf("raw editor %v holds %q, want the recorded body as sent", m.form.Raw(), m.form.Values()[""])
	}
	if !strings.Contains(m.status, "#4") || !strings.Contains(m.status, "raw editor") {
		t.Fatalf("status %q should say the recorded answer is in the raw editor", m.status)
	}
}

// A live replay given an API token reads the flow inspector after each
// step, as a live session does (`open --live --token`).
func TestReplayWithATokenReadsTheInspector(t *testing.T) {
	rec, err := history.Open(cannedRecording(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, token := range []bool{false, true} {
		m := NewOffline(OfflineOptions{Recording: rec, Options: Options{Client: idleClient(t), Inspector: token}})
		loadSimRun(t, "login").deliver(m, 0)
		if reading := liveOf(m).inspectCancel != nil; reading != token {
			t.Errorf("with a token %v: inspector read started %v", token, reading)
		}
		liveOf(m).stopInspect()
	}
}
