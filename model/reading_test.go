package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/akinspect/akinspect/views"
)

// Focus and reading: the focused pane is marked without colour, the URL
// tab shows the whole request line and the flow's query, z zooms, every
// pane that scrolls says where it is, and the help line keeps ? and q.

// loginNext is the recorded login on its way to an OAuth authorization,
// at its password stage, with the details pane focused.
func loginNext(t *testing.T, w, h int) *Model {
	t.Helper()
	run := loadSimRun(t, "login-next")
	m := run.model(t, Options{}, w, h)
	run.feed(m, 2)
	press(t, m, "esc") // leave the password field
	press(t, m, "tab") // timeline → details
	if m.focus != focusDetails {
		t.Fatalf("focus = %d, want details", m.focus)
	}
	return m
}

func TestGoldenRequestView(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := loginNext(t, size[0], size[1])
			press(t, m, "8")
			if m.details.Tab() != views.TabURL {
				t.Fatalf("8 shows %q", m.details.Tab())
			}
			screen := m.View()
			assertScreenSize(t, screen, size[0], size[1])
			golden.RequireEqual(t, []byte(screen))
		})
	}
}

// The URL tab holds the whole URL and the decoded query, whatever the
// width: zoomed, it reads at once.
func TestRequestViewDecodesTheQuery(t *testing.T) {
	m := loginNext(t, 120, 40)
	press(t, m, "8")
	press(t, m, "z")
	screen := m.View()
	for _, want := range []string{"GET → 200 OK", "query, decoded", "next", "/application/o/authorize/", "client_id", "grafana", "redirect_uri"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the zoomed URL tab lacks %q:\n%s", want, screen)
		}
	}
}

func TestGoldenZoom(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := loginNext(t, size[0], size[1])
			press(t, m, "z")
			screen := m.View()
			assertScreenSize(t, screen, size[0], size[1])
			golden.RequireEqual(t, []byte(screen))
		})
	}
}

func TestZoomFollowsFocusAndGoesBack(t *testing.T) {
	m := loginNext(t, 120, 40)
	press(t, m, "z")
	if !m.zoomed || m.paneRect(focusDetails) != m.rects.body {
		t.Fatal("z did not zoom the details pane")
	}
	if !strings.Contains(m.View(), "▶ Details") || strings.Contains(m.View(), "Timeline ·") {
		t.Fatalf("zoomed screen:\n%s", m.View())
	}
	press(t, m, "tab") // details → form, still zoomed
	if !m.zoomed || m.paneRect(focusForm) != m.rects.body || !strings.Contains(m.View(), "▶ Password") {
		t.Fatalf("tab while zoomed should zoom the form:\n%s", m.View())
	}
	press(t, m, "esc") // leave the field: z is a key again, not a letter
	press(t, m, "z")
	if m.zoomed || m.paneRect(focusTimeline) != m.rects.timeline {
		t.Fatal("z did not put the panes back")
	}
	if !strings.Contains(m.View(), "Details ·") || !strings.Contains(m.View(), "Timeline") {
		t.Fatalf("unzoomed screen:\n%s", m.View())
	}
}

// Under NO_COLOR the focused pane is still marked: its title starts with
// the focus mark, and no escape sequence is drawn.
func TestGoldenNoColorFocus(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	run := loadSimRun(t, "login")
	m := run.model(t, Options{Theme: views.NewTheme()}, 80, 24)
	run.feed(m, 2)
	press(t, m, "esc")
	press(t, m, "tab")
	screen := m.View()
	if strings.Contains(screen, "\x1b[") {
		t.Fatal("NO_COLOR: the screen has escape sequences")
	}
	if strings.Count(screen, views.FocusMark) != 1 || !strings.Contains(screen, views.FocusMark+"Details") {
		t.Fatalf("the focused details pane is not marked (alone):\n%s", screen)
	}
	assertScreenSize(t, screen, 80, 24)
	golden.RequireEqual(t, []byte(screen))
}

// Every pane whose content is longer than it shows its position.
func TestScrollPositionInFrames(t *testing.T) {
	m := loginNext(t, 80, 24)
	if !strings.Contains(m.View(), "1-12/") {
		t.Fatalf("the details frame does not show its position:\n%s", m.View())
	}
	press(t, m, "G")
	total := len(strings.Split(m.details.ScrollInfo(), "/")[1])
	if total == 0 || !strings.Contains(m.details.ScrollInfo(), "/") {
		t.Fatalf("details ScrollInfo = %q", m.details.ScrollInfo())
	}
	info := m.details.ScrollInfo()
	if !strings.Contains(m.View(), info) {
		t.Fatalf("after G the frame does not show %q:\n%s", info, m.View())
	}
	first, last, n := 0, 0, 0
	fmt.Sscanf(info, "%d-%d/%d", &first, &last, &n)
	if last != n {
		t.Fatalf("after G the position is %q, want the end", info)
	}
}

// The help line drops other keys before ? help and q quit, at every width
// and in every pane.
func TestHelpLineKeepsHelpAndQuit(t *testing.T) {
	for _, w := range []int{200, 120, 80, 60} {
		m := loginNext(t, w, 30)
		for id := focusTimeline; id < paneCount; id++ {
			m.setFocus(id)
			if m.capturing() {
				press(t, m, "esc")
				m.setFocus(id)
			}
			if m.capturing() {
				continue
			}
			if !strings.Contains(m.helpLine, "? help") || !strings.Contains(m.helpLine, "q quit") {
				t.Errorf("width %d, focus %d: help line %q", w, id, m.helpLine)
			}
		}
		m.setFocus(focusTimeline)
		press(t, m, "up") // time travel: the longest help
		if !strings.Contains(m.helpLine, "? help") || !strings.Contains(m.helpLine, "q quit") {
			t.Errorf("width %d, time travel: help line %q", w, m.helpLine)
		}
	}
}
