package model

import "testing"

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
