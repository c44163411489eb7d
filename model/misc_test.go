package model

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
)

func TestClickFocusesThePaneUnderThePointer(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	r := m.rects.timeline
	m.update(tea.MouseMsg{X: r.x + 3, Y: r.y + 3, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if m.focus != focusTimeline || !m.timeline.Focused() || m.form.Focused() {
		t.Fatalf("a click on the timeline should focus it, focus=%d", m.focus)
	}
	d := m.rects.details
	m.update(tea.MouseMsg{X: d.x + 5, Y: d.y + 5, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if m.focus != focusDetails {
		t.Fatalf("a click on details should focus it, focus=%d", m.focus)
	}
}

func TestWheelScrollsDetailsWithoutMovingFocus(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 20)
	run.feed(m, 4) // the MFA challenge: a body taller than the pane
	before := m.details.View()
	d := m.rects.details
	for i := 0; i < 3; i++ {
		m.update(tea.MouseMsg{X: d.x + 5, Y: d.y + 5, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelDown})
	}
	if m.details.View() == before {
		t.Fatal("the wheel did not scroll the details pane")
	}
	if m.focus != focusForm {
		t.Fatal("the wheel should not take the focus away from the form")
	}
}

func TestTerminalChallengeOffersRestart(t *testing.T) {
	run := loadSimRun(t, "denied")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 1)
	if m.state() != "denied" {
		t.Fatalf("header state = %q, want denied", m.state())
	}
	if !strings.Contains(m.View(), "restart flow") {
		t.Fatal("after a terminal challenge the help line should offer R restart")
	}
	m.update(keyMsg("r"))
	if m.form.Raw() {
		t.Fatal("raw mode makes no sense for a terminal challenge")
	}
}

func TestDiagnosisReachesFormAndStatus(t *testing.T) {
	// The consent POST of a logged-in session that sent no CSRF header:
	// the server hides the cause, the client diagnoses it.
	run := loadSimRun(t, "csrf")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 2)
	diag := run.steps[1].Diagnosis
	if !strings.Contains(diag, "CSRF") {
		t.Fatalf("test premise: the recorded step's diagnosis %q names no CSRF failure", diag)
	}
	if m.state() != "error" {
		t.Fatalf("header state = %q, want error", m.state())
	}
	if !m.statusErr || m.status != diag {
		t.Fatalf("status = %q, want the diagnosis", m.status)
	}
	if m.answer.Result == nil || !strings.Contains(m.answer.Result.Detail, diag) {
		t.Fatal("the diagnosis is not in the form's result")
	}
}

func TestInspectionShowsInDetails(t *testing.T) {
	run := loadSimRun(t, "login-inspected")
	m := run.model(t, Options{Inspector: true}, 200, 40) // wide: whole stage names
	run.deliver(m, 0)
	read := run.aside[0][0]
	in, err := flow.DecodeInspection(read.ResponseBody)
	if err != nil {
		t.Fatal(err)
	}
	stage := in.CurrentPlan.CurrentStage.StageObj.Name
	if stage == "" {
		t.Fatal("test premise: the recorded inspector read names no current stage")
	}
	m.update(exchangesMsg{xs: []*transport.Exchange{read}})
	m.update(inspectDoneMsg{in: in, seq: liveOf(m).req.seq})
	m.update(keyMsg("tab")) // → timeline
	m.update(keyMsg("tab")) // → details
	m.update(keyMsg("7"))
	if m.details.Tab() != "Inspector" {
		t.Fatalf("tab = %q, want the Inspector tab to exist", m.details.Tab())
	}
	if !strings.Contains(m.details.View(), stage) {
		t.Fatalf("the inspector tab does not show the plan:\n%s", m.details.View())
	}
}

func TestEditorRoundTripReplacesRawBody(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	m.update(keyMsg("tab")) // off the text field
	m.update(keyMsg("r"))
	if !m.capturing() {
		t.Fatal("the raw editor should own the keyboard")
	}
	cmd := m.update(tea.KeyMsg{Type: tea.KeyCtrlO}) // e would type an e here
	if cmd == nil {
		t.Fatal("ctrl+o in the raw editor did not start the editor")
	}
	ready, ok := cmd().(editorReadyMsg)
	if !ok || ready.err != nil || !ready.raw {
		t.Fatalf("writing the temp file failed: %+v", ready)
	}
	info, err := os.Stat(ready.path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("temp file mode = %o, want 600", perm)
	}
	written, _ := os.ReadFile(ready.path)
	if !strings.Contains(string(written), "ak-stage-identification") {
		t.Fatalf("the editor got %q, want the raw body", written)
	}
	// The "editor" changes the file.
	edited := `{"component":"ak-stage-identification","uid_field":"edited"}`
	if err := os.WriteFile(ready.path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	done := readBackCmd(editorExitMsg{path: ready.path, raw: true})()
	if _, err := os.Stat(ready.path); !os.IsNotExist(err) {
		t.Error("the temp file was not removed")
	}
	m.update(done)
	if got := m.form.Values()[""]; got != edited {
		t.Fatalf("raw body = %q, want the edited file", got)
	}
}

func TestRejectedPromptKeepsWhatWasTyped(t *testing.T) {
	run := loadSimRun(t, "enrollment")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	// Type what the recorded answer sent (enrollTyped), field by field.
	typeText(m, "jdoe")
	m.update(keyMsg("tab"))
	typeText(m, "Jane Doe")
	m.update(keyMsg("tab"))
	typeText(m, "not-an-email")
	m.update(keyMsg("tab"))
	typeText(m, "pw-1234")
	m.update(keyMsg("tab"))
	typeText(m, "pw-1234")
	// The answer is sent (its command is not run: the reply is the
	// recorded one).
	press(t, m, "ctrl+s")
	if !m.busy() {
		t.Fatalf("ctrl+s did not send the prompt answer (status %q)", m.status)
	}
	sent, err := flow.BuildAnswer(m.answer, liveOf(m).lastSent, m.version)
	if err != nil {
		t.Fatal(err)
	}
	if recorded := run.steps[1].Exchanges[0].RequestBody; !sameJSON(t, sent.Body, recorded) {
		t.Fatalf("test premise: the model sent %s, the recorded reply answers %s", sent.Body, recorded)
	}
	run.deliver(m, 1)
	got := m.form.Values()
	if got["username"] != "jdoe" || got["name"] != "Jane Doe" || got["email"] != "not-an-email" || got["team"] != "platform" {
		t.Fatalf("values after the rejection = %v, want what was typed", got)
	}
	// The form pane is narrow: the error may wrap.
	if !strings.Contains(strings.Join(strings.Fields(m.form.View()), " "), "Enter a valid email address.") {
		t.Fatal("the field error is not shown in the form")
	}
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(va, vb)
}
