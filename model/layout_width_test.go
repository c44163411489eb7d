package model

import (
	"regexp"
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
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 4)
	tl := m.timeline.View()
	if !regexp.MustCompile(`GET  200 authenticator-validate +[0-9.]+(µs|ms|s) `).MatchString(tl) {
		t.Fatalf("timeline at 120 columns:\n%s", tl)
	}
}
