package model

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/har"
)

// recordingsWith makes a recordings directory (XDG_STATE_HOME) holding a
// copy of fixture name, so that D offers it.
func recordingsWith(t *testing.T, name string) string {
	t.Helper()
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	dir, err := history.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(fixturePath(name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+history.Extension)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// harOfFixture exports fixture name as a HAR file, as `akinspect export
// --har` does.
func harOfFixture(t *testing.T, name string) string {
	t.Helper()
	rec, err := history.Open(fixturePath(name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name+".har")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := har.Export(f, rec, har.Options{Header: &rec.Header}); err != nil {
		t.Fatal(err)
	}
	return path
}

// liveLoginDiffed is akadmin's live login (a wrong password, then the
// right one, the TOTP code) after D and enter, compared with the newest
// recording: login-next, the same login stopped at the password.
func liveLoginDiffed(t *testing.T, w, h int) *Model {
	t.Helper()
	recordingsWith(t, "login-next")
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, w, h)
	run.feed(m, len(run.steps))
	pressDiff(m, "D")
	if m.overlay.kind != overlayDiffPrompt || !strings.HasSuffix(m.overlay.input.Value(), "login-next"+history.Extension) {
		t.Fatalf("D: overlay %v, prompt %q; want the newest recording offered", m.overlay.kind, m.overlay.input.Value())
	}
	pressDiff(m, "enter")
	if m.diff.view == nil || m.diff.view.run == nil {
		t.Fatalf("enter opened no run diff; status %q", m.status)
	}
	return m
}

// stageLines are the view's stage list as text.
func stageLines(m *Model) string {
	var b strings.Builder
	for _, s := range m.diff.view.in.Stages {
		b.WriteString(s.Mark + " " + s.Text + "\n")
	}
	return b.String()
}

// The stage lines name the sides as the header does: the recording's file
// and "this session", never A and B.
func assertSidesNamed(t *testing.T, m *Model, file string) {
	t.Helper()
	lines := stageLines(m)
	if strings.Contains(lines, "only in A") || strings.Contains(lines, "only in B") || strings.Contains(lines, "(A #") {
		t.Errorf("stage lines name the sides A and B, the header %q and %q:\n%s", m.diff.view.in.A.Label, m.diff.view.in.B.Label, lines)
	}
	if !strings.Contains(lines, "only in this session") || !strings.Contains(lines, "the file #") {
		t.Errorf("stage lines do not name this session and the file:\n%s", lines)
	}
	if a := m.diff.view.in.A.Label; !strings.Contains(a, file) {
		t.Errorf("the header names the file side %q, want %s in it", a, file)
	}
	if !strings.Contains(m.diff.view.in.B.Label, "this session") || !strings.Contains(m.diff.view.in.A.Label, file) {
		t.Errorf("header: A %q, B %q", m.diff.view.in.A.Label, m.diff.view.in.B.Label)
	}
}

func TestPressingDComparesTheLiveSessionWithTheNewestRecording(t *testing.T) {
	m := liveLoginDiffed(t, 120, 40)
	assertSidesNamed(t, m, "login-next"+history.Extension)
	lines := stageLines(m)
	for _, want := range []string{"+ password (retry) 200", "+ authenticator-validate", "~ password 200"} {
		if !strings.Contains(lines, want) {
			t.Errorf("stage list lacks %q:\n%s", want, lines)
		}
	}
	screen := ansi.Strip(m.View())
	if !strings.Contains(screen, "Diff against login-next") || !strings.Contains(screen, "reply.status: 200 → (absent)") && !strings.Contains(screen, "answer: (absent)") {
		t.Errorf("the view does not show the first differing stage:\n%s", screen)
	}
	first := m.diff.view.run.cur
	pressDiff(m, "n")
	if m.diff.view.run.cur != first+1 || !strings.Contains(m.status, "difference 2 of") {
		t.Errorf("n: difference %d, status %q", m.diff.view.run.cur, m.status)
	}
}

// D on a HAR opened offline, against a recording; and the live session
// against a HAR.
func TestPressingDWorksOnAndAgainstAHAR(t *testing.T) {
	recordingsWith(t, "login-next")
	m := openOffline(t, harOfFixture(t, "login"), 120, 40)
	pressDiff(m, "D")
	pressDiff(m, "enter")
	if m.diff.view == nil || m.diff.view.run == nil || len(m.diff.view.run.steps) == 0 {
		t.Fatalf("D on a HAR opened no run diff; status %q", m.status)
	}
	assertSidesNamed(t, m, "login-next"+history.Extension)

	run := loadSimRun(t, "login")
	live := run.model(t, Options{}, 120, 40)
	run.feed(live, len(run.steps))
	live.openDiffPrompt(harOfFixture(t, "login-next"))
	pressDiff(live, "enter")
	if live.diff.view == nil || live.diff.view.run == nil || len(live.diff.view.run.steps) == 0 {
		t.Fatalf("D against a HAR opened no run diff; status %q", live.status)
	}
	assertSidesNamed(t, live, "login-next.har")
}

// The D view at 80×24 (unified) and 120×40 (side by side).
func TestGoldenDiffRun(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := liveLoginDiffed(t, size[0], size[1])
			screen := m.View()
			assertScreenSize(t, screen, size[0], size[1])
			golden.RequireEqual(t, []byte(screen))
		})
	}
}
