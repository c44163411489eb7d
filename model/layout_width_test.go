package model

import (
	"strings"
	"testing"
)

// At 120 columns the timeline shows whole stage names, and the details
// pane keeps at least the form's width.
func TestWideLayoutFitsStageNames(t *testing.T) {
	for _, w := range []int{120, 140, 200} {
		l := computeLayout(w, 40)
		if l.timeline.w < timelineMinW || l.details.w < l.form.w {
			t.Errorf("width %d: timeline %d (min %d), details %d, form %d", w, l.timeline.w, timelineMinW, l.details.w, l.form.w)
		}
		if l.timeline.w+l.details.w+l.form.w != w {
			t.Errorf("width %d: panes do not fill the screen", w)
		}
	}
}

// At 120 columns the timeline keeps its duration column beside whole
// stage names.
func TestWideTimelineShowsDurations(t *testing.T) {
	m := sized(t, Options{Client: idleClient(t)}, 120, 40)
	feedSteps(t, m, []string{identificationJSON, passwordErrorJSON, validateJSON}, "")
	tl := m.timeline.View()
	if !strings.Contains(tl, "authenticator-validate") || !strings.Contains(tl, "12ms") {
		t.Fatalf("timeline at 120 columns:\n%s", tl)
	}
}
