package model

import (
	"strings"
	"testing"
)

// S starts a new session; N, which did that before, now only walks
// search matches and hits, and elsewhere says where the new session went.
// The help names S.
func TestNewSessionIsS(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 5) // logged in: the result box
	if !strings.Contains(m.helpLine, "S new session") || strings.Contains(m.helpLine, "N new session") {
		t.Fatalf("help line %q should offer S for a new session", m.helpLine)
	}
	press(t, m, "N")
	if m.busy() || !strings.Contains(m.status, "S starts a new session") {
		t.Fatalf("N in a live session: busy %v, status %q; want a pointer to S and nothing sent", m.busy(), m.status)
	}
	press(t, m, "S")
	if !m.busy() || !strings.Contains(m.status, "new session: cookie jar emptied") {
		t.Fatalf("S: busy %v, status %q; want a new session started", m.busy(), m.status)
	}
	m.cancelInFlight()
	m.openOverlay(overlayHelp)
	if screen := m.View(); !strings.Contains(screen, " S ") || !strings.Contains(screen, "new session") {
		t.Fatalf("the help overlay should list S for a new session:\n%s", screen)
	}
}

// In a recording with search hits N is the previous hit, as before, and
// never reaches the session keys.
func TestRecordingNWalksHitsBack(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	pressSettled(m, "/")
	typeText(m, "authenticator-VALIDATE")
	pressSettled(m, "enter")
	if m.timeline.SelectedID() != 7 {
		t.Fatalf("the search should be on #7, is on #%d", m.timeline.SelectedID())
	}
	pressSettled(m, "N") // wraps back to the last hit
	if m.timeline.SelectedID() != 8 || !strings.Contains(m.status, "match 2/2 in #8") {
		t.Fatalf("N: on #%d, status %q; want the previous hit #8", m.timeline.SelectedID(), m.status)
	}
	pressSettled(m, "esc")
	pressSettled(m, "S")
	if !strings.Contains(m.status, "no live connection") {
		t.Fatalf("S in a recording: status %q", m.status)
	}
}

// The form's keys are listed in a live session's overlay and left out of a
// recording's, where the form is read-only: the source says which.
func TestSourcesSayWhatTheFormMayDo(t *testing.T) {
	live := loadSimRun(t, "login").model(t, Options{}, 120, 40)
	rec := openOffline(t, cannedRecording(t), 120, 40)
	if !live.src.formKeys() || rec.src.formKeys() {
		t.Fatalf("form keys: live %v, recording %v", live.src.formKeys(), rec.src.formKeys())
	}
	if got := rec.state(); got != "offline" {
		t.Fatalf("a recording's state is %q", got)
	}
	if rec.src.send(nil) != nil || !strings.Contains(rec.status, "nothing can be sent") {
		t.Fatalf("a recording sent something: status %q", rec.status)
	}
	if rec.answer.Component == "" && rec.answer.Title == "" {
		t.Fatal("the recording's form should show the first stage as answered")
	}
}

// Keys typed faster than the terminal is read come as one message of
// several runes: outside a text field each is a key, so ">>" steps two
// stages; in a text field the runes are typed.
func TestABurstOfKeysActsKeyByKey(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	pressSettled(m, ">>")
	if got := m.timeline.SelectedID(); got != 7 {
		t.Fatalf(">> left the timeline on #%d, want #7 (two stages on)", got)
	}
	pressSettled(m, "/qz") // / opens the search: the rest is typed into it
	p := m.src.prompt()
	if p == nil || !strings.Contains(p.view(), "qz") {
		t.Errorf("the runes after / were not typed into the search prompt")
	}
}
