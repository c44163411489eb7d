package model

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/views"
)

// overlayKind names the box drawn over the panes; one at a time.
type overlayKind int

const (
	overlayNone overlayKind = iota
	overlayHelp
	overlayBanner
	overlayQuit
	overlayFlows
)

type overlay struct {
	kind   overlayKind
	cursor int // flow switcher selection; first line shown of the banner
}

var (
	keyYes    = key.NewBinding(key.WithKeys("y", "Y"))
	keyNo     = key.NewBinding(key.WithKeys("n", "N", "esc"))
	keyUp     = key.NewBinding(key.WithKeys("up", "k"))
	keyDown   = key.NewBinding(key.WithKeys("down", "j"))
	keyChoose = key.NewBinding(key.WithKeys("enter"))
	keyClose  = key.NewBinding(key.WithKeys("esc", "q", "?", "b", "enter"))
	keyPgUp   = key.NewBinding(key.WithKeys("pgup", "ctrl+u"))
	keyPgDown = key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "))
)

func (m *Model) openOverlay(kind overlayKind) {
	if kind == overlayFlows && len(m.opts.Flows) == 0 {
		m.setStatus("no other flows to switch to", true)
		return
	}
	m.overlay = overlay{kind: kind}
	if kind == overlayFlows {
		for i, f := range m.opts.Flows {
			if f.Slug == m.flowSlug {
				m.overlay.cursor = i
			}
		}
	}
}

func (m *Model) closeOverlay() { m.overlay = overlay{} }

// openBanner shows the demo banner, asking DemoFunc for a fresh text (its
// TOTP code changes every 30 s); never called from View.
func (m *Model) openBanner() {
	if m.opts.DemoFunc != nil {
		m.banner = m.opts.DemoFunc()
	} else {
		m.banner = m.opts.Demo
	}
	if m.banner != "" {
		m.openOverlay(overlayBanner)
	}
}

// overlayKey: an open overlay takes every key.
func (m *Model) overlayKey(msg tea.KeyMsg) tea.Cmd {
	switch m.overlay.kind {
	case overlayQuit:
		switch {
		case key.Matches(msg, keyYes):
			return m.quitNow()
		case key.Matches(msg, keyNo):
			m.closeOverlay()
		}
	case overlayFlows:
		return m.flowPickerKey(msg)
	case overlayBanner:
		m.scrollBanner(msg)
	default:
		if key.Matches(msg, keyClose) {
			m.closeOverlay()
		}
	}
	return nil
}

// scrollBanner moves through a banner taller than the screen; other keys
// close it.
func (m *Model) scrollBanner(msg tea.KeyMsg) {
	last := strings.Count(m.banner, "\n")
	page := max(1, m.rects.body.h-6)
	o := &m.overlay.cursor
	switch {
	case key.Matches(msg, keyUp):
		*o--
	case key.Matches(msg, keyDown):
		*o++
	case key.Matches(msg, keyPgUp):
		*o -= page
	case key.Matches(msg, keyPgDown):
		*o += page
	case key.Matches(msg, keyClose):
		m.closeOverlay()
		return
	}
	*o = max(0, min(*o, last))
}

func (m *Model) flowPickerKey(msg tea.KeyMsg) tea.Cmd {
	n := len(m.opts.Flows)
	switch {
	case key.Matches(msg, keyUp):
		m.overlay.cursor = (m.overlay.cursor + n - 1) % n
	case key.Matches(msg, keyDown):
		m.overlay.cursor = (m.overlay.cursor + 1) % n
	case key.Matches(msg, keyChoose):
		slug := m.opts.Flows[m.overlay.cursor].Slug
		m.closeOverlay()
		return m.startFlow(startOtherFlow, slug)
	case msg.Type == tea.KeyEsc || msg.String() == "q" || msg.String() == "f":
		m.closeOverlay()
	}
	return nil
}

// renderOverlay draws the open overlay into the body area.
func (m *Model) renderOverlay(width, height int) string {
	th := m.theme
	switch m.overlay.kind {
	case overlayHelp:
		return views.RenderHelp(th, m.fullHelp(), width, height)
	case overlayBanner:
		lines := strings.Split(m.banner, "\n")
		text := strings.Join(lines[min(m.overlay.cursor, len(lines)-1):], "\n")
		return views.RenderOverlay(th, "akinspect demo", "(↑/↓ scroll · b, esc or enter closes)\n\n"+text, width, height)
	case overlayQuit:
		return views.RenderOverlay(th, "Quit?", "A request is in flight.\nQuit anyway? (y/n)", width, height)
	case overlayFlows:
		var b strings.Builder
		for i, f := range m.opts.Flows {
			marker := "  "
			if i == m.overlay.cursor {
				marker = "› "
			}
			line := marker + f.Slug
			if f.Title != "" {
				line += " — " + f.Title
			}
			if f.Slug == m.flowSlug {
				line += " (current)"
			}
			fmt.Fprintln(&b, line)
		}
		b.WriteString("\nenter starts it in this session (cookies kept); esc closes")
		return views.RenderOverlay(th, "Switch flow", b.String(), width, height)
	}
	return ""
}
