package model

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/har"
	"github.com/akinspect/akinspect/views"
)

func TestOfflineOpensOnTheFirstStageWithItsAnswer(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	if got := m.timeline.Len(); got != 8 {
		t.Fatalf("timeline has %d rows, want the 8 flow exchanges (the script is hidden)", got)
	}
	if id := m.timeline.SelectedID(); id != 3 {
		t.Fatalf("selected #%d, want #3 (the identification challenge)", id)
	}
	if !strings.Contains(m.details.View(), `"user_fields"`) {
		t.Errorf("details do not show the challenge body:\n%s", m.details.View())
	}
	form := m.form.View()
	if !strings.Contains(form, "akadmin") || !strings.Contains(form, "by #4") {
		t.Errorf("the form does not show what #4 answered:\n%s", form)
	}
	screen := m.View()
	if !strings.Contains(screen, "offline · canned.akinspect.jsonl") {
		t.Errorf("header does not say offline with the file name:\n%s", strings.SplitN(screen, "\n", 2)[0])
	}
}

func TestOfflineStageKeysStepThroughTheStages(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	steps := []struct {
		key    string
		id     int
		inForm string
	}{
		{">", 5, "«redacted:password»"},
		{">", 7, "«redacted:code»"},
		{">", 9, "Flow finished"},
		{"<", 7, "«redacted:code»"},
		{"<", 5, "«redacted:password»"},
	}
	for _, s := range steps {
		pressSettled(m, s.key)
		if got := m.timeline.SelectedID(); got != s.id {
			t.Fatalf("after %s the timeline is on #%d, want #%d", s.key, got, s.id)
		}
		if !strings.Contains(m.form.View(), s.inForm) {
			t.Fatalf("after %s the form does not show %q:\n%s", s.key, s.inForm, m.form.View())
		}
		if m.shownID != s.id {
			t.Fatalf("after %s details show #%d, want #%d", s.key, m.shownID, s.id)
		}
	}
	if strings.Contains(m.form.View(), "correct horse") {
		t.Fatal("the form shows the password the writer redacted")
	}
	// The POST of a stage shows the stage it answered.
	pressSettled(m, "down")
	if m.timeline.SelectedID() != 6 || !strings.Contains(m.form.View(), "«redacted:password»") {
		t.Fatalf("on the answering POST the form should still show the password stage:\n%s", m.form.View())
	}
	for i := 0; i < 3; i++ {
		pressSettled(m, ">")
	}
	if m.timeline.SelectedID() != 9 || !strings.Contains(m.status, "last stage") {
		t.Fatalf("> past the last stage: on #%d, status %q", m.timeline.SelectedID(), m.status)
	}
}

func TestOfflineHiddenRequestsToggle(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	if !strings.Contains(m.View(), "H shows 1 hidden request") {
		t.Error("the status line does not say that a request is hidden")
	}
	pressSettled(m, "H")
	if m.timeline.Len() != 9 {
		t.Fatalf("H: %d rows, want all 9", m.timeline.Len())
	}
	if m.timeline.SelectedID() != 3 {
		t.Fatalf("H moved the selection to #%d", m.timeline.SelectedID())
	}
	pressSettled(m, "up")
	if m.timeline.SelectedID() != 2 || !strings.Contains(m.details.View(), "poly") {
		t.Fatalf("the hidden script is not selectable once shown:\n%s", m.details.View())
	}
	pressSettled(m, "H")
	if m.timeline.Len() != 8 {
		t.Fatalf("second H: %d rows, want 8", m.timeline.Len())
	}
}

func TestOfflineSearchJumpsToTheExchange(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	pressSettled(m, "/")
	typeText(m, "authenticator-VALIDATE") // matched ignoring case
	pressSettled(m, "enter")
	// Hits: #7's response body, #8's request body.
	if m.timeline.SelectedID() != 7 {
		t.Fatalf("the search did not jump to #7, on #%d", m.timeline.SelectedID())
	}
	if !strings.Contains(m.status, "match 1/2 in #7 (response body)") {
		t.Fatalf("status = %q", m.status)
	}
	if _, total := m.details.Matches(); total == 0 || m.details.Tab() != views.TabResponse {
		t.Fatalf("details are not searching the response for the term (tab %s, %d matches)", m.details.Tab(), total)
	}
	pressSettled(m, "ctrl+n")
	if m.timeline.SelectedID() != 8 || m.details.Tab() != views.TabRequest {
		t.Fatalf("ctrl+n: on #%d tab %s, want #8's request body", m.timeline.SelectedID(), m.details.Tab())
	}
	if _, total := m.details.Matches(); total == 0 {
		t.Fatal("the request body's match is not highlighted")
	}
	if !strings.Contains(m.status, "match 2/2 in #8") {
		t.Fatalf("status = %q", m.status)
	}
	pressSettled(m, "ctrl+n") // wraps around
	if m.timeline.SelectedID() != 7 {
		t.Fatalf("ctrl+n after the last hit: on #%d, want #7", m.timeline.SelectedID())
	}
	pressSettled(m, "esc")
	if _, total := m.details.Matches(); total != 0 || len(offlineOf(m).search.hits) != 0 {
		t.Fatal("esc did not clear the search")
	}
}

func TestOfflineSearchLeavesHiddenRequestsOut(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	pressSettled(m, "/")
	typeText(m, "poly")
	pressSettled(m, "enter")
	if !m.statusErr || !strings.Contains(m.status, "H shows them") || m.timeline.SelectedID() != 3 {
		t.Fatalf("a hit only in a hidden request: status %q, on #%d", m.status, m.timeline.SelectedID())
	}
	pressSettled(m, "H")
	pressSettled(m, "/")
	typeText(m, "poly")
	pressSettled(m, "enter")
	if m.timeline.SelectedID() != 2 {
		t.Fatalf("with hidden requests shown the search should find #2, on #%d", m.timeline.SelectedID())
	}
}

func TestOfflineShowsTheRecordingsWarnings(t *testing.T) {
	path := cannedRecording(t)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"type":"exchange","id":10,"flow":"default-auth`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	m := openOffline(t, path, 120, 40)
	if m.timeline.Len() != 8 {
		t.Fatalf("%d rows, want the 8 whole exchanges", m.timeline.Len())
	}
	lines := strings.Split(m.View(), "\n")
	if status := lines[len(lines)-2]; !strings.Contains(status, "cut off") {
		t.Fatalf("the status line does not show the torn-line warning: %q", status)
	}
}

func TestOfflineIsReadOnly(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	m.setFocus(focusForm)
	typeText(m, "x")
	pressSettled(m, "ctrl+s")
	if !strings.Contains(m.status, "read-only") {
		t.Fatalf("ctrl+s offline: status %q", m.status)
	}
	if v := m.form.Values()["uid_field"]; v != "akadmin" {
		t.Fatalf("the recorded answer changed to %q", v)
	}
}

func TestAnsweredFormShowsMarkersAndLeavesUnsentFieldsEmpty(t *testing.T) {
	c := mustDecode(t, consentJSON)
	form, values := answeredForm(flow.FormFor(c), []byte(`{"component":"ak-stage-consent","token":"«redacted:token»"}`))
	if values["token"] != "«redacted:token»" {
		t.Fatalf("token = %q", values["token"])
	}
	for _, f := range form.Fields {
		if f.Key == "token" && f.Kind != flow.KindText {
			t.Fatal("a redacted field must show its marker, not bullets")
		}
	}
	_, values = answeredForm(flow.FormFor(c), []byte(`{"component":"ak-stage-consent"}`))
	if v, ok := values["token"]; !ok || v != "" {
		t.Fatalf("an unsent field must show empty, not the challenge's initial value: %q", v)
	}
}

func TestPrefillKeepsTheLiveConsentTokenAndBlanksSecrets(t *testing.T) {
	c := mustDecode(t, consentJSON)
	values, blanked, _ := prefillValues(flow.FormFor(c), []byte(`{"component":"ak-stage-consent","token":"«redacted:token»"}`))
	if _, ok := values["token"]; ok {
		t.Fatalf("the live token must stay, got %q", values["token"])
	}
	if len(blanked) != 0 {
		t.Fatalf("blanked %v", blanked)
	}
	p := mustDecode(t, passwordJSON)
	values, blanked, _ = prefillValues(flow.FormFor(p), []byte(`{"component":"ak-stage-password","password":"«redacted:password#2»"}`))
	if values["password"] != "" || len(blanked) != 1 {
		t.Fatalf("a redacted password must become an empty field to type: %q %v", values["password"], blanked)
	}
}

func TestOfflineOpensAHARFileTheSameWay(t *testing.T) {
	rec, err := history.Open(cannedRecording(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "login.har")
	var b bytes.Buffer
	if err := har.Export(&b, rec, har.Options{Header: &rec.Header}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	m := openOffline(t, path, 120, 40)
	if offlineOf(m).rec.Format != history.FormatHAR {
		t.Fatalf("opened as %q", offlineOf(m).rec.Format)
	}
	if m.timeline.Len() != 8 || m.timeline.SelectedID() != 3 {
		t.Fatalf("%d rows, on #%d: want the 8 flow exchanges and the identification", m.timeline.Len(), m.timeline.SelectedID())
	}
	pressSettled(m, ">")
	if !strings.Contains(m.form.View(), "«redacted:password»") {
		t.Fatalf("the HAR's password answer is not shown:\n%s", m.form.View())
	}
	pressSettled(m, "H")
	if m.timeline.Len() != 9 {
		t.Fatalf("H: %d rows, want 9", m.timeline.Len())
	}
}

func TestOfflineEmptyRecording(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: "http://127.0.0.1:9", Flow: "default-authentication-flow"}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	m := openOffline(t, path, 80, 24)
	pressSettled(m, ">")
	pressSettled(m, "/")
	typeText(m, "x")
	pressSettled(m, "enter")
	assertScreenSize(t, m.View(), 80, 24)
	if !strings.Contains(m.status, `no match for "x"`) {
		t.Fatalf("status %q", m.status)
	}
}

func TestOfflineScreenFitsEverySize(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 80, 24)
	pressSettled(m, ">")
	for _, typing := range []bool{false, true} {
		if typing {
			pressSettled(m, "/")
			typeText(m, "a very long search query that is wider than a small terminal")
		}
		for _, size := range [][2]int{{200, 60}, {120, 40}, {80, 24}, {69, 20}, {40, 12}, {20, 6}, {10, 3}} {
			m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			assertScreenSize(t, m.View(), size[0], size[1])
		}
	}
}

func TestOfflineLiveKeyShowsTheLastExchange(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	pressSettled(m, "L")
	if m.timeline.SelectedID() != 9 || m.shownID != 9 {
		t.Fatalf("L offline: on #%d showing #%d, want the last exchange #9", m.timeline.SelectedID(), m.shownID)
	}
	pressSettled(m, "esc")
	if m.timeline.SelectedID() != 9 {
		t.Fatal("esc moved the selection")
	}
}

func TestReplayPrefillsTheLiveChallengeAndIgnoresStaleAnswers(t *testing.T) {
	rec, err := history.Open(cannedRecording(t))
	if err != nil {
		t.Fatal(err)
	}
	m := NewOffline(OfflineOptions{Recording: rec, Options: Options{Client: idleClient(t), Now: func() time.Time { return fixedNow }}})
	m.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if m.timeline.Len() != 9 { // 8 recorded + the split row
		t.Fatalf("%d rows before the first live exchange", m.timeline.Len())
	}
	// The live session's start (#1 page, #2 identification); the step's
	// command reads the recorded answer: hold its message back.
	run := loadSimRun(t, "login")
	cmd := m.update(stepDoneMsg{step: run.steps[0], seq: liveOf(m).req.seq})
	var stale tea.Msg
	collectMsgs(cmd, func(msg tea.Msg) {
		if p, ok := msg.(prefillMsg); ok {
			stale = p
		}
	})
	if stale == nil {
		t.Fatal("no recorded answer was read for the identification stage")
	}
	settle(m, func() tea.Msg { return stale })
	if v := m.form.Values()["uid_field"]; v != "akadmin" {
		t.Fatalf("uid_field = %q, want the recorded akadmin", v)
	}
	// 9 recorded exchanges (one hidden), the split row #10, then live;
	// the live cursor on the challenge.
	if id := sessionExchanges(m)[0].ID; id != 11 || m.timeline.SelectedID() != 12 {
		t.Fatalf("the first live exchange is #%d (selected #%d), want #11 (selected #12)", id, m.timeline.SelectedID())
	}
	run.deliver(m, 1) // the identification answer: 302, then the password stage
	typeText(m, "typed")
	settle(m, func() tea.Msg { return stale }) // the identification answer, late
	if v := m.form.Values()["password"]; v != "typed" {
		t.Fatalf("a late answer for another step reset the form: password = %q", v)
	}
	if m.answer.Component != flow.ComponentPassword {
		t.Fatalf("form shows %s", m.answer.Component)
	}
}

func TestOfflineHeaderFollowsTheFlowRunOfTheSelection(t *testing.T) {
	path, _ := recordedLoginThenConsent(t)
	m := openOffline(t, path, 160, 40)
	header := func() string { return strings.SplitN(m.View(), "\n", 2)[0] }
	if h := header(); !strings.Contains(h, "default-authentication-flow") || !strings.Contains(h, "step 1") {
		t.Fatalf("header on the first stage: %q", h)
	}
	for i := 0; i < 3; i++ { // password, redirect, then the consent stage
		pressSettled(m, ">")
	}
	if h := header(); !strings.Contains(h, "default-provider-authorization-explicit-consent") || !strings.Contains(h, "step 1") {
		t.Fatalf("header on the consent stage: %q", h)
	}
	if !strings.Contains(m.form.View(), "«redacted:token»") {
		t.Fatalf("the consent answer is not shown:\n%s", m.form.View())
	}
}
