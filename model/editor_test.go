package model

import "testing"

// Closing the editor on a copy of an exchange's body says that the edits
// go nowhere, rather than leaving the person to wonder.
func TestEditorOnACopySaysChangesAreNotUsed(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	before := m.form.Values()
	m.update(editorDoneMsg{body: []byte(`{"edited": true}`)})
	if m.status != "read-only copy: changes are not used (r for raw mode)" || m.statusErr {
		t.Fatalf("status after the editor = %q (error %v)", m.status, m.statusErr)
	}
	if m.form.Raw() || len(m.form.Values()) != len(before) {
		t.Fatal("a copy edited in the editor must not change the form")
	}
}

// The raw answer edited in the editor becomes the raw body to send.
func TestEditorOnTheRawAnswerFillsTheRawEditor(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	m.update(editorDoneMsg{body: []byte(`{"component": "x"}`), raw: true})
	if !m.form.Raw() || m.form.Values()[""] != `{"component": "x"}` {
		t.Fatalf("raw editor holds %q (raw %v)", m.form.Values()[""], m.form.Raw())
	}
}
