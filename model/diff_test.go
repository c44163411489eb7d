package model

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// settleDiff runs a command tree and feeds the model the diff's messages
// (and the offline machinery's), until nothing is left.
func settleDiff(m *Model, cmd tea.Cmd) {
	for depth := 0; cmd != nil && depth < 20; depth++ {
		var next []tea.Cmd
		collectMsgs(cmd, func(msg tea.Msg) {
			switch msg.(type) {
			case diffReadyMsg, diffDefaultMsg, diffLaidOutMsg, offlineLoadedMsg:
				next = append(next, m.update(msg))
			}
		})
		cmd = tea.Batch(next...)
	}
}

func pressDiff(m *Model, k string) { settleDiff(m, m.update(keyMsg(k))) }

// diffWrongRight opens login and compares the wrong password's POST (#5,
// marked) with the right one's (#6).
func diffWrongRight(t *testing.T, w, h int) *Model {
	t.Helper()
	m := openOffline(t, fixturePath("login"), w, h)
	m.timeline.Select(5)
	pressDiff(m, "m")
	if m.diff.mark != 5 || !strings.Contains(m.status, "marked #5") {
		t.Fatalf("m: mark %d, status %q", m.diff.mark, m.status)
	}
	m.timeline.Select(6)
	pressDiff(m, "d")
	if m.overlay.kind != overlayDiff || m.diff.view == nil {
		t.Fatalf("d opened no diff view; status %q", m.status)
	}
	return m
}

func TestDiffMarkAndCompare(t *testing.T) {
	m := diffWrongRight(t, 80, 24)
	screen := ansi.Strip(m.View())
	for _, want := range []string{"Diff #5 ↔ #6", "status: 200 → 302", "not-the-password", "akadmin-demo", "Request body"} {
		if !strings.Contains(screen, want) && !strings.Contains(strings.Join(m.diff.view.lines, "\n"), want) {
			t.Errorf("diff view lacks %q:\n%s", want, screen)
		}
	}
	top := m.diff.view.top
	pressDiff(m, "n")
	if m.diff.view.top <= top {
		t.Errorf("n did not move to the next hunk (top %d)", m.diff.view.top)
	}
	pressDiff(m, "N")
	pressDiff(m, "esc")
	if m.overlay.kind != overlayNone || m.diff.view != nil {
		t.Fatalf("esc left the diff open")
	}
	// m on the marked row unmarks it; d without a mark says what to do.
	m.timeline.Select(5)
	pressDiff(m, "m")
	if m.diff.mark != 0 {
		t.Fatalf("m on the marked row kept the mark")
	}
	pressDiff(m, "d")
	if !strings.Contains(m.status, "m marks an exchange") {
		t.Errorf("d without a mark: status %q", m.status)
	}
}

func TestDiffRunAgainstRecording(t *testing.T) {
	m := openOffline(t, fixturePath("login-next"), 120, 40)
	m.openDiffPrompt(fixturePath("login"))
	pressDiff(m, "enter")
	v := m.diff.view
	if v == nil || v.run == nil || len(v.run.steps) == 0 {
		t.Fatalf("D opened no run diff; status %q", m.status)
	}
	first := v.run.cur
	pressDiff(m, "n")
	if v.run.cur != first+1 {
		t.Errorf("n: difference %d, want %d", v.run.cur, first+1)
	}
	if row := v.run.steps[v.run.cur].row; row != 0 && m.timeline.SelectedID() != row {
		t.Errorf("n selected row %d, want %d", m.timeline.SelectedID(), row)
	}
	pressDiff(m, "N")
	if v.run.cur != first {
		t.Errorf("N: difference %d, want %d", v.run.cur, first)
	}
	pressDiff(m, "esc")
	if m.diff.view != nil {
		t.Fatal("esc left the diff open")
	}
}

// The diff view at 80×24 (unified) and 120×40 (side by side).
func TestGoldenDiff(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := diffWrongRight(t, size[0], size[1])
			screen := m.View()
			assertScreenSize(t, screen, size[0], size[1])
			golden.RequireEqual(t, []byte(screen))
		})
	}
}

// The mark is shown on its row and survives the rows being rebuilt (H).
func TestTheMarkSurvivesARowRebuild(t *testing.T) {
	m := openOffline(t, fixturePath("login"), 120, 40)
	m.timeline.Select(5)
	pressDiff(m, "m")
	m.timeline.Select(7) // the mark shows where the cursor is not
	markedRow := func() bool {
		for _, l := range strings.Split(ansi.Strip(m.timeline.View()), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "◆") && strings.Contains(l, " 5 ") {
				return true
			}
		}
		return false
	}
	if !markedRow() {
		t.Fatalf("row #5 does not show the mark:\n%s", ansi.Strip(m.timeline.View()))
	}
	pressDiff(m, "H")
	pressDiff(m, "H")
	if !markedRow() || m.timeline.Marked() != 5 {
		t.Errorf("the mark is gone after the rows were rebuilt:\n%s", ansi.Strip(m.timeline.View()))
	}
}
