package model

import (
	"strings"
	"testing"
)

// While a text field owns the keyboard the one-line help offers only keys
// that work then: no "r raw answer", "? help" or "q quit", which would be
// typed into the field.
func TestShortHelpWhileTypingNamesOnlyWorkingKeys(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 3) // the wrong password came back with an error
	if !m.capturing() {
		t.Fatal("the password field should own the keyboard")
	}
	line := m.helpLine
	for _, want := range []string{"enter submit", "tab/shift+tab", "ctrl+r reveal", "esc leave", "ctrl+c quit"} {
		if !strings.Contains(line, want) {
			t.Errorf("help line %q lacks %q", line, want)
		}
	}
	for _, typed := range []string{"r raw", "? help", "q quit", "f switch", "L "} {
		if strings.Contains(line, typed) {
			t.Errorf("help line %q offers %q, which types into the field", line, typed)
		}
	}
}

// esc leaves the text field for the timeline, where the single-letter
// keys the help line then shows work.
func TestEscLeavesTheTextField(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	press(t, m, "esc")
	if m.focus != focusTimeline || m.capturing() {
		t.Fatalf("esc in a text field: focus %d, capturing %v", m.focus, m.capturing())
	}
	if !strings.Contains(m.helpLine, "q quit") || !strings.Contains(m.helpLine, "? help") {
		t.Errorf("outside the field the help line should offer q and ?: %q", m.helpLine)
	}
	press(t, m, "?")
	if m.overlay.kind != overlayHelp {
		t.Error("? should open the help once the field is left")
	}
}
