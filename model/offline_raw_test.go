package model

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
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
