package model

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
)

func TestTabMovesThroughFormFieldsThenPanes(t *testing.T) {
	run := loadSimRun(t, "enrollment")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	if m.focus != focusForm || !m.form.Focused() {
		t.Fatalf("a new challenge should focus the form, focus=%d", m.focus)
	}
	// n fields take input: n-1 tabs stay in the form, landing on the last.
	n := inputFields(m.answer)
	if n < 3 {
		t.Fatalf("test premise: the enrollment prompt has %d input fields", n)
	}
	for i := 0; i < n-1; i++ {
		m.update(keyMsg("tab"))
		if m.focus != focusForm {
			t.Fatalf("tab %d left the form before its last field", i+1)
		}
	}
	// The next tab leaves the form: the tabs reached its last field.
	want := []focusID{focusTimeline, focusDetails, focusForm}
	for _, w := range want {
		m.update(keyMsg("tab"))
		if m.focus != w {
			t.Fatalf("focus = %d, want %d", m.focus, w)
		}
		if !m.paneAt(w).Focused() {
			t.Fatalf("pane %d does not know it has focus", w)
		}
		for id := focusTimeline; id < paneCount; id++ {
			if id != w && m.paneAt(id).Focused() {
				t.Fatalf("pane %d still focused after focus moved to %d", id, w)
			}
		}
	}
	// Entering the form with tab lands on its first field, so shift-tab
	// leaves the form backwards at once.
	m.update(keyMsg("shift+tab"))
	if m.focus != focusDetails {
		t.Fatalf("shift+tab from the first field: focus = %d, want details", m.focus)
	}
	m.update(keyMsg("shift+tab"))
	if m.focus != focusTimeline {
		t.Fatalf("shift+tab from details: focus = %d, want timeline", m.focus)
	}
}

func TestTypingQIntoTextInputTypesIt(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	if !m.capturing() {
		t.Fatal("the identification field should own the keyboard")
	}
	typeText(m, "qq?")
	if m.quitting {
		t.Fatal("typing q into a text field quit the program")
	}
	if m.overlay.kind != overlayNone {
		t.Fatal("typing ? into a text field opened an overlay")
	}
	if got := m.form.Values()["uid_field"]; got != "qq?" {
		t.Fatalf("field value = %q, want %q", got, "qq?")
	}
}

func TestHelpOpensOnlyWhenNotTyping(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	m.update(keyMsg("tab")) // the only field → timeline
	if m.focus != focusTimeline {
		t.Fatalf("focus = %d, want timeline", m.focus)
	}
	m.update(keyMsg("?"))
	if m.overlay.kind != overlayHelp {
		t.Fatal("? on the timeline should open the help overlay")
	}
	screen := m.View()
	for _, want := range []string{"restart flow", "new session", "switch flow"} {
		if !strings.Contains(screen, want) {
			t.Errorf("help overlay lacks %q", want)
		}
	}
	m.update(keyMsg("esc"))
	if m.overlay.kind != overlayNone {
		t.Fatal("esc should close the help overlay")
	}
}

func TestCtrlSSubmitsFromAnyPane(t *testing.T) {
	run := loadSimRun(t, "enrollment")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	m.update(keyMsg("esc")) // leave the form for the timeline
	if m.focus != focusTimeline {
		t.Fatalf("focus = %d, want timeline", m.focus)
	}
	// Required fields are empty: the answer cannot be built, nothing is sent
	// and the status line says why.
	m.update(keyMsg("ctrl+s"))
	if m.busy() {
		t.Fatal("an answer that cannot be built was sent")
	}
	if !m.statusErr || !strings.Contains(m.status, "not sent") {
		t.Fatalf("status = %q, want a build error", m.status)
	}
}

func TestEscLeavesTimeTravel(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	// #5, the live exchange: the wrong password's answer.
	run.feed(m, 3)
	m.update(keyMsg("tab")) // → timeline (password form has one field)
	if m.focus != focusTimeline {
		t.Fatalf("focus = %d, want timeline", m.focus)
	}
	press(t, m, "up")
	press(t, m, "up")
	if m.followNewest || m.shownID == 5 {
		t.Fatalf("moving up the timeline should show an old exchange, shown=%d live=%v", m.shownID, m.followNewest)
	}
	if m.answer.Component != "ak-stage-password" {
		t.Fatal("time travel must keep the live challenge in the form")
	}
	m.update(keyMsg("esc"))
	if !m.followNewest || m.shownID != 5 {
		t.Fatalf("esc should return to live: shown=%d live=%v", m.shownID, m.followNewest)
	}
}

func TestRawModeIsPrefilledFromTheAnswer(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	typeText(m, "akadmin")
	m.update(keyMsg("tab")) // leave the text input so r is a command
	m.update(keyMsg("r"))
	if !m.form.Raw() {
		t.Fatal("r should switch the form to raw mode")
	}
	body := m.form.Values()[""]
	for _, want := range []string{`"component": "ak-stage-identification"`, `"uid_field": "akadmin"`} {
		if !strings.Contains(body, want) {
			t.Errorf("raw body %q lacks %s", body, want)
		}
	}
	if m.focus != focusForm {
		t.Fatal("raw mode should focus the form")
	}
}

func TestFlowSwitcherListsFlows(t *testing.T) {
	m := sized(t, Options{Client: idleClient(t), Flows: []FlowChoice{
		{Slug: "default-authentication-flow", Title: "Login"},
		{Slug: "default-provider-authorization-explicit-consent", Title: "Consent"},
	}}, 120, 40)
	m.update(keyMsg("f"))
	if m.overlay.kind != overlayFlows {
		t.Fatal("f should open the flow switcher")
	}
	screen := m.View()
	if !strings.Contains(screen, "default-provider-authorization-explicit-consent") {
		t.Fatal("the flow switcher does not list the consent flow")
	}
	m.update(keyMsg("esc"))
	if m.overlay.kind != overlayNone {
		t.Fatal("esc should close the flow switcher")
	}
}

func TestDemoBannerShowsAtStartAndOnB(t *testing.T) {
	m := sized(t, Options{Client: idleClient(t), DemoFunc: fixedBanner("Demo users: akadmin / akadmin-demo")}, 120, 40)
	if !strings.Contains(m.View(), "akadmin-demo") {
		t.Fatal("the demo banner should show at start")
	}
	m.update(keyMsg("down"))
	if m.overlay.kind != overlayBanner {
		t.Fatal("arrows should scroll the banner, not close it")
	}
	m.update(keyMsg("esc"))
	if strings.Contains(m.View(), "akadmin-demo") {
		t.Fatal("esc should close the banner")
	}
	m.update(keyMsg("tab")) // off the form, in case it captures keys
	m.update(keyMsg("b"))
	if !strings.Contains(m.View(), "akadmin-demo") {
		t.Fatal("b should show the banner again")
	}
}

func TestSlashSearchesDetailsAndCapturesKeys(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	m.update(keyMsg("tab")) // off the text field, to the timeline
	m.update(keyMsg("/"))
	if m.focus != focusDetails || !m.capturing() {
		t.Fatalf("/ should focus the details search: focus=%d capturing=%v", m.focus, m.capturing())
	}
	typeText(m, "q")
	if m.quitting {
		t.Fatal("typing q into the search quit")
	}
	m.update(keyMsg("enter"))
	if m.capturing() {
		t.Fatal("enter should confirm the search and give the keys back")
	}
}

func TestLongBannerScrolls(t *testing.T) {
	var lines []string
	for i := 0; i < 60; i++ {
		lines = append(lines, fmt.Sprintf("flow %02d", i))
	}
	lines = append(lines, "bob password bob-demo")
	m := sized(t, Options{Client: idleClient(t), DemoFunc: fixedBanner(strings.Join(lines, "\n"))}, 80, 24)
	if strings.Contains(m.View(), "bob-demo") {
		t.Fatal("test premise: the last banner line should not fit at 80×24")
	}
	for i := 0; i < 5 && !strings.Contains(m.View(), "bob-demo"); i++ {
		m.update(tea.KeyMsg{Type: tea.KeyPgDown})
	}
	if !strings.Contains(m.View(), "bob-demo") {
		t.Fatal("paging down did not reach the end of the banner")
	}
}

func TestDemoFuncIsAskedEachTimeTheBannerOpens(t *testing.T) {
	calls := 0
	banner := func() string {
		calls++
		return fmt.Sprintf("TOTP code: %06d", calls)
	}
	m := sized(t, Options{Client: idleClient(t), DemoFunc: banner}, 120, 40)
	if calls != 1 || !strings.Contains(m.View(), "TOTP code: 000001") {
		t.Fatalf("the banner should open at start with a fresh text (calls=%d)", calls)
	}
	for i := 0; i < 3; i++ {
		_ = m.View()
	}
	if calls != 1 {
		t.Fatalf("View asked for the banner text (%d calls)", calls)
	}
	press(t, m, "b") // closes it
	press(t, m, "b") // opens it again
	if calls != 2 || !strings.Contains(m.View(), "TOTP code: 000002") {
		t.Fatalf("b should show a fresh banner (calls=%d):\n%s", calls, m.View())
	}
}

func TestHeaderShowsTheRecordingFile(t *testing.T) {
	m := sized(t, Options{Client: idleClient(t), RecordingPath: "/tmp/rec/20261126T120000.000Z-login.akinspect.jsonl"}, 120, 40)
	if header := strings.SplitN(m.View(), "\n", 2)[0]; !strings.Contains(header, "rec 20261126T120000.000Z-login.akinspect.jsonl") {
		t.Fatalf("header: %q", header)
	}
}

// inputFields counts the fields of a form that take input (tab stops).
func inputFields(f flow.Form) int {
	n := 0
	for _, fld := range f.Fields {
		if fld.Kind != flow.KindReadOnly {
			n++
		}
	}
	return n
}
