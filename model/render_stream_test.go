package model

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/views"
)

// beginningIn runs cmd's commands in the order the runtime starts them,
// until one brings the beginning of a streamed body; it returns that and
// the commands not yet run (the whole layout among them).
func beginningIn(t *testing.T, cmd tea.Cmd) (views.RenderedMsg, []tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(append([]tea.Cmd(nil), msg...), queue...)
		case views.RenderedMsg:
			if !msg.Partial() {
				t.Fatal("the whole layout came before the beginning")
			}
			return msg, queue
		}
	}
	t.Fatal("no beginning was laid out")
	return views.RenderedMsg{}, nil
}

// Selecting an exchange with a body over 1 MiB shows the body's first
// lines as soon as they are laid out, with a hint that the rest is on its
// way; the whole replaces them without the hint. A key that moves the
// selection in between drops the whole, as it would drop any stale layout.
func TestLargeBodyStreamsIn(t *testing.T) {
	m := bigBodies(t, 2<<20, 120, 40)
	first, rest := beginningIn(t, selectRow(m, 2))
	m.update(first)
	screen := m.View()
	if !strings.Contains(screen, `"component": "ak-stage-prompt"`) || !strings.Contains(screen, `"name": "body-two"`) ||
		!strings.Contains(screen, "laying out 2.0 MiB") {
		t.Fatalf("the body's first lines and a hint should show:\n%s", screen)
	}
	m.update(renderedIn(t, tea.Batch(rest...)))
	if m.details.Rendering() != 0 {
		t.Fatal("the whole layout was dropped")
	}
	if screen := m.View(); strings.Contains(screen, "laying out") || !strings.Contains(screen, `"name": "body-two"`) {
		t.Fatalf("the whole should show without the hint:\n%s", screen)
	}

	// A key moves the selection between the beginning and the whole.
	selectRow(m, 1)
	first, rest = beginningIn(t, selectRow(m, 2))
	m.update(first)
	m.setFocus(focusTimeline)
	press(t, m, "down")
	if m.shownID == 2 {
		t.Fatal("down should select another exchange")
	}
	m.update(renderedIn(t, tea.Batch(rest...)))
	if screen := m.View(); strings.Contains(screen, "body-two") {
		t.Fatalf("#2's whole layout was shown while #%d is selected:\n%s", m.shownID, screen)
	}
}
