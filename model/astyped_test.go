package model

import (
	"strings"
	"testing"
)

// The client-side checks refuse once; the same values submitted again go
// as typed (a debugger sends what it is told), so authentik's own errors
// show. Editing a value checks again.
func TestSubmittingRefusedValuesTwiceSendsThemAsTyped(t *testing.T) {
	run := loadSimRun(t, "enrollment")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	values := map[string]string{"username": "x", "age": "abc"}
	if cmd := m.submitValues(values); cmd != nil || !strings.Contains(m.status, "ctrl+s again sends it as typed") {
		t.Fatalf("first submit: sent=%v status %q", cmd != nil, m.status)
	}
	if cmd := m.submitValues(map[string]string{"username": "y", "age": "abc"}); cmd != nil {
		t.Fatal("edited values were sent without being checked again")
	}
	cmd := m.submitValues(map[string]string{"username": "y", "age": "abc"})
	if cmd == nil || !strings.Contains(m.status, "sent as typed") {
		t.Fatalf("second submit of the same values: sent=%v status %q", cmd != nil, m.status)
	}
}
