package model

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
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
	overlayPalette
	overlayDiff       // the diff view (diff.go), full screen
	overlayDiffPrompt // D's prompt for a recording
)

type overlay struct {
	kind   overlayKind
	cursor int // flow switcher selection; first line shown of the banner
	// start marks the banner shown at start: typing goes through it to
	// the focused field (the README's "type alice, Enter, ...").
	start bool
	// The flow switcher's input and the reason it refused what was typed.
	input textinput.Model
	err   string
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
	if kind == overlayFlows {
		m.openFlowPicker()
		return
	}
	m.overlay = overlay{kind: kind}
}

// closeOverlay closes the overlay; one opened over the diff view (help)
// returns to it.
func (m *Model) closeOverlay() {
	m.overlay, m.palette = overlay{}, nil
	if m.diff.view != nil {
		m.overlay.kind = overlayDiff
	}
}

// openBanner shows the demo banner, asking DemoFunc for a fresh text (its
// TOTP code changes every 30 s); never called from View.
func (m *Model) openBanner() {
	m.banner = ""
	if m.opts.DemoFunc != nil {
		m.banner = m.opts.DemoFunc()
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
	case overlayPalette:
		return m.paletteKey(msg)
	case overlayDiff:
		return m.diffKey(msg)
	case overlayDiffPrompt:
		return m.diffPromptKey(msg)
	case overlayBanner:
		if m.overlay.start && passesBanner(msg) {
			m.closeOverlay()
			return m.handleKey(msg)
		}
		m.scrollBanner(msg)
	case overlayHelp:
		switch {
		case key.Matches(msg, keyClose), key.Matches(msg, m.keys.Help): // the key that opened it, wherever the config put it
			m.closeOverlay()
		case msg.Type == tea.KeyDown || msg.String() == "j":
			// Down moves only while there is more below (the help stops
			// at its last line).
			h := m.height - headerLines
			if views.RenderHelp(m.theme, m.fullHelp(), m.width, h, m.overlay.cursor+1) !=
				views.RenderHelp(m.theme, m.fullHelp(), m.width, h, m.overlay.cursor) {
				m.overlay.cursor++
			}
		case msg.Type == tea.KeyUp || msg.String() == "k":
			m.overlay.cursor = max(m.overlay.cursor-1, 0)
		}
	default:
		if key.Matches(msg, keyClose) {
			m.closeOverlay()
		}
	}
	return nil
}

// passesBanner: a key that closes the start banner and then does what it
// would have done without it. Only esc and b just close it; arrows and
// page keys scroll it.
func passesBanner(msg tea.KeyMsg) bool {
	switch msg.Type {
	case tea.KeyEsc, tea.KeyUp, tea.KeyDown, tea.KeyPgUp, tea.KeyPgDown, tea.KeyCtrlU, tea.KeyCtrlD:
		return false
	}
	return msg.String() != "b"
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

// renderOverlay draws the open overlay into the body area.
func (m *Model) renderOverlay(width, height int) string {
	th := m.theme
	switch m.overlay.kind {
	case overlayHelp:
		return views.RenderHelp(th, m.fullHelp(), width, height, m.overlay.cursor)
	case overlayBanner:
		lines := strings.Split(m.banner, "\n")
		text := strings.Join(lines[min(m.overlay.cursor, len(lines)-1):], "\n")
		hint := "(↑/↓ scroll · b, esc or enter closes)"
		if m.overlay.start {
			hint = "(↑/↓ scroll · esc or b closes · typing goes to the form)"
		}
		return views.RenderOverlay(th, "akinspect demo", hint+"\n\n"+text, width, height)
	case overlayQuit:
		return views.RenderOverlay(th, "Quit?", "A request is in flight.\nQuit anyway? (y/n)", width, height)
	case overlayFlows:
		return m.renderFlowPicker(width, height)
	case overlayPalette:
		return m.renderPalette(width, height)
	case overlayDiff:
		return m.renderDiff(width, height)
	case overlayDiffPrompt:
		return m.renderDiffPrompt(width, height)
	}
	return ""
}
