package model

import (
	"slices"
	"strings"
	"testing"
)

// readmeKeys are the keys README.md's Keys table documents, as the help
// spells them.
var readmeKeys = []string{
	"tab", "shift+tab", "↑/k", "↓/j", "pgup", "pgdn", "g/home", "G/end", "enter",
	"ctrl+s", "space", "←/↑", "→/↓", "ctrl+r", "[", "]", "1-8", "/", "n/N", "r",
	"e/ctrl+o", "L", "R", "S", "f", "b", "esc", "?", "q", "ctrl+c", "z", "y", "Y", ":", "H",
}

// Whichever pane has focus, `?` lists every documented key, and the
// overlay fits 80×24 without being cut.
func TestHelpOverlayListsEveryDocumentedKey(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for id := focusTimeline; id < paneCount; id++ {
			run := loadSimRun(t, "login")
			m := run.model(t, Options{DemoFunc: fixedBanner("banner")}, size[0], size[1])
			m.closeOverlay()
			run.deliver(m, 0)
			m.setFocus(id)
			m.openOverlay(overlayHelp)
			screen := helpScreens(m)
			want := readmeKeys
			if id == focusTimeline { // m, d and D act on the timeline's rows
				want = append(slices.Clone(want), "m", "d", "D")
			}
			for _, k := range want {
				if !strings.Contains(screen, " "+k+" ") {
					t.Errorf("%dx%d, focus %d: key %q missing from the help", size[0], size[1], id, k)
				}
			}
			if strings.Contains(screen, "│  …") {
				t.Errorf("%dx%d, focus %d: the help is cut:\n%s", size[0], size[1], id, screen)
			}
		}
	}
}

// A recording's overlay has its own keys and fits 80×24 too.
func TestHelpOverlayOfARecordingFits(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 80, 24)
	m.openOverlay(overlayHelp)
	screen := m.View()
	for _, k := range []string{">", "<", "H", "n/N", "L", "/", "[", "1-8", "q"} {
		if !strings.Contains(screen, " "+k+" ") {
			t.Errorf("key %q missing from the help", k)
		}
	}
	if strings.Contains(screen, "│  …") || strings.Contains(screen, "back to live") {
		t.Errorf("the help is cut or offers live keys:\n%s", screen)
	}
}

// Against a real server there is no demo banner: `?` does not offer b.
func TestHelpOverlayOffersTheBannerOnlyInTheDemo(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	m.setFocus(focusTimeline)
	m.openOverlay(overlayHelp)
	if strings.Contains(m.View(), "demo banner") {
		t.Fatalf("the help offers the demo banner without a demo:\n%s", m.View())
	}
}

// helpScreens is every screen of the open help, scrolling down with ↓
// until it stops moving (a small terminal's help scrolls).
func helpScreens(m *Model) string {
	screens := []string{m.View()}
	for i := 0; i < 50; i++ {
		m.update(keyMsg("down"))
		next := m.View()
		if next == screens[len(screens)-1] {
			break
		}
		screens = append(screens, next)
	}
	return strings.Join(screens, "\n")
}

// At 80×24 with the timeline focused the help does not fit: it says it
// scrolls, ↓ shows what was below and stops at the end, ↑ goes back.
func TestHelpScrollsWhenItDoesNotFit(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{DemoFunc: fixedBanner("banner")}, 80, 24)
	m.closeOverlay()
	run.deliver(m, 0)
	m.setFocus(focusTimeline)
	m.openOverlay(overlayHelp)
	first := m.View()
	if !strings.Contains(first, "↑/↓ scroll") {
		t.Fatalf("the help at 80x24 with the timeline focused does not say it scrolls:\n%s", first)
	}
	for i := 0; i < 50; i++ {
		m.update(keyMsg("down"))
	}
	last := m.View()
	if last == first {
		t.Fatal("↓ does not scroll the help")
	}
	m.update(keyMsg("down"))
	if m.View() != last {
		t.Error("the help scrolls past its end")
	}
	for i := 0; i < 50; i++ {
		m.update(keyMsg("up"))
	}
	if m.View() != first {
		t.Error("↑ does not come back to the top")
	}
}
