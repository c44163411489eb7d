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

// In a recording, ctrl+p is the previous hit across exchanges; N never
// reaches the session keys.
func TestRecordingCtrlPWalksHitsBack(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	pressSettled(m, "/")
	typeText(m, "authenticator-VALIDATE")
	pressSettled(m, "enter")
	if m.timeline.SelectedID() != 7 {
		t.Fatalf("the search should be on #7, is on #%d", m.timeline.SelectedID())
	}
	pressSettled(m, "ctrl+p") // wraps back to the last hit
	if m.timeline.SelectedID() != 8 || !strings.Contains(m.status, "match 2/2 in #8") {
		t.Fatalf("ctrl+p: on #%d, status %q; want the previous hit #8", m.timeline.SelectedID(), m.status)
	}
	pressSettled(m, "esc")
	pressSettled(m, "S")
	if !strings.Contains(m.status, "no live connection") {
		t.Fatalf("S in a recording: status %q", m.status)
	}
}

// In a recording's details pane, /, n and N mean what they mean in a live
// session's: search the shown exchange, walk its matches. They never
// reach the search over the whole recording, whether or not the pane has
// matches; its hits are ctrl+n and ctrl+p there too, and the help says so.
func TestRecordingDetailsKeysMeanOneThing(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	pressSettled(m, "/")
	typeText(m, "authenticator-VALIDATE")
	pressSettled(m, "enter") // hits in #7 and #8; the details search #7's response
	pressSettled(m, "tab")
	if m.focus != focusDetails {
		t.Fatalf("tab from the timeline: focus %d", m.focus)
	}
	pressSettled(m, "esc") // the details pane's esc clears its own matches
	if _, total := m.details.Matches(); total != 0 || len(offlineOf(m).search.hits) != 2 {
		t.Fatalf("esc in the details: %d matches, %d hits; want the pane's cleared, the hits kept", total, len(offlineOf(m).search.hits))
	}
	pressSettled(m, "n") // no matches in the pane: n still is the pane's
	if m.timeline.SelectedID() != 7 {
		t.Fatalf("n in the details pane went to #%d: it walked the recording's hits", m.timeline.SelectedID())
	}
	if !strings.Contains(m.helpLine, "ctrl+n") {
		t.Fatalf("the help line %q should name ctrl+n for the hits", m.helpLine)
	}
	pressSettled(m, "ctrl+n")
	if m.timeline.SelectedID() != 8 {
		t.Fatalf("ctrl+n in the details pane: on #%d, want the next hit #8", m.timeline.SelectedID())
	}
	m.setFocus(focusDetails)
	pressSettled(m, "/")
	if m.src.prompt() != nil || !m.details.CapturesKeys() {
		t.Fatalf("/ in the details pane opened the recording's search (prompt %v), not the pane's", m.src.prompt() != nil)
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
