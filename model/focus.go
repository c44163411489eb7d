package model

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/views"
)

// pane is what the root needs of each pane: the views.Pane contract, an
// in-place Update, and its frame, which the pane keeps while it does not
// change.
type pane interface {
	views.Pane
	Update(msg tea.Msg) tea.Cmd
	Framed(focused bool, width, height int) string
}

func (m *Model) paneAt(id focusID) pane {
	switch id {
	case focusTimeline:
		return m.timeline
	case focusDetails:
		return m.details
	default:
		return m.form
	}
}

func (m *Model) focusedPane() pane { return m.paneAt(m.focus) }

// capturing reports whether a text input of the focused pane owns the
// keyboard.
func (m *Model) capturing() bool {
	if o, ok := m.focusedPane().(views.KeyOwner); ok {
		return o.CapturesKeys()
	}
	return false
}

// setFocus gives the keyboard to one pane and takes it from the others.
func (m *Model) setFocus(id focusID) {
	m.focus = id
	m.applyFocus()
}

func (m *Model) applyFocus() {
	if m.zoomed && m.width > 0 {
		m.resize(m.width, m.height) // the newly focused pane fills the body
	}
	for id := focusTimeline; id < paneCount; id++ {
		if id == m.focus {
			m.paneAt(id).Focus()
		} else {
			m.paneAt(id).Blur()
		}
	}
	m.rebuildHelpLine()
}

// focusNext moves through the form's fields first, then to the next pane:
// timeline → details → form (first field) → timeline.
func (m *Model) focusNext() tea.Cmd {
	switch m.focus {
	case focusForm:
		if m.form.Next() {
			return nil
		}
		m.setFocus(focusTimeline)
	case focusTimeline:
		m.setFocus(focusDetails)
	case focusDetails:
		m.setFocus(focusForm)
		m.form.FocusUnfilled()
		m.clearLeftForm()
	}
	return nil
}

// focusPrev is focusNext backwards. Coming back to the form, from either
// side, lands on its first field still to fill, never on a choice list
// where typed text would go nowhere.
func (m *Model) focusPrev() tea.Cmd {
	switch m.focus {
	case focusForm:
		if m.form.Prev() {
			return nil
		}
		m.setFocus(focusDetails)
	case focusDetails:
		m.setFocus(focusTimeline)
	case focusTimeline:
		m.setFocus(focusForm)
		m.form.FocusUnfilled()
		m.clearLeftForm()
	}
	return nil
}

// clearLeftForm drops the status that said how to get back to the form,
// once back there.
func (m *Model) clearLeftForm() {
	if strings.HasPrefix(m.status, leftFormStatus) {
		m.setStatus("", false)
	}
}

// shortHelp is the one-line help: the focused pane's keys, then the root's
// that the pane did not already name.
func (m *Model) shortHelp() []key.Binding {
	if m.overlay.kind == overlayPalette {
		return paletteHelp
	}
	if h, ok := m.diffShortHelp(); ok {
		return h
	}
	if p := m.src.prompt(); p != nil {
		return p.help()
	}
	if m.capturing() {
		return m.typingHelp()
	}
	var out []key.Binding
	if !(m.focus == focusForm && m.answer.Terminal) { // a result box takes no keys
		out = append(out, m.focusedPane().ShortHelp()...)
	}
	named := map[string]bool{}
	for _, b := range out {
		for _, k := range b.Keys() { // "tab/shift+tab" names tab too
			named[k] = true
		}
		named[b.Help().Key] = true
	}
	for _, b := range m.src.shortHelp() {
		if !named[b.Help().Key] {
			out = append(out, b)
		}
	}
	return out
}

// typingHelp is the short help while a text input owns the keyboard: only
// keys that still work then (the pane's, esc for what it does now, ctrl+c).
func (m *Model) typingHelp() []key.Binding {
	out := m.focusedPane().ShortHelp()
	if m.focus == focusForm && m.form.Raw() {
		out = append(out, m.keys.EditorWhileTyping, nextPane)
	}
	if m.focus == focusForm {
		out = append(out, m.typingEsc())
	}
	return append(out, m.keys.ForceQuit)
}

// typingEsc is what esc does while a form field owns the keyboard.
func (m *Model) typingEsc() key.Binding {
	desc := "leave" // the field, for the timeline (see escapeField)
	switch {
	case m.busy():
		desc = "cancel"
	case m.form.Raw():
		desc = "leave raw"
	case !m.followNewest:
		desc = "to live"
	}
	return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", desc))
}

var nextPane = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane"))

// fullHelp is the `?` overlay: the focused pane's groups, then the root's,
// then the keys of the other panes that were not named yet, so every key
// the README lists is there whichever pane has focus. A key already named
// is not repeated for another pane (↑/k moves in the timeline and scrolls
// the details): the overlay has to fit 80×24.
func (m *Model) fullHelp() [][]key.Binding {
	groups := append([][]key.Binding(nil), m.focusedPane().FullHelp()...)
	switch {
	case m.diff.view != nil: // the diff view's keys first (n/N walk differences there)
		groups = append([][]key.Binding{diffViewKeys(), m.keys.diffGroup()}, groups...)
	case m.focus == focusTimeline: // m, d and D act on the timeline's rows
		groups = append(groups, m.keys.diffGroup())
	}
	same := map[string]bool{} // the focused pane's bindings, key and text
	for _, g := range groups {
		for _, b := range g {
			same[b.Help().Key+"\x00"+b.Help().Desc] = true
		}
	}
	for _, g := range m.src.fullHelp() {
		var fresh []key.Binding
		for _, b := range g {
			if !same[b.Help().Key+"\x00"+b.Help().Desc] {
				fresh = append(fresh, b)
			}
		}
		if len(fresh) > 0 {
			groups = append(groups, fresh)
		}
	}
	seen := map[string]bool{}
	for _, g := range groups {
		for _, b := range g {
			seen[b.Help().Key] = true
		}
	}
	for id := focusTimeline; id < paneCount; id++ {
		if id == m.focus || (id == focusForm && !m.src.formKeys()) {
			continue // a read-only form (a recording's): its keys do nothing
		}
		for _, g := range m.paneAt(id).FullHelp() {
			var fresh []key.Binding
			for _, b := range g {
				// The form's enter has a rule of its own (next field to
				// fill, else submit): it is listed even though the
				// timeline's enter was.
				formEnter := id == focusForm && b.Help().Key == "enter"
				if (!seen[b.Help().Key] || formEnter) && b.Enabled() {
					seen[b.Help().Key] = true
					fresh = append(fresh, b)
				}
			}
			if len(fresh) > 0 {
				groups = append(groups, fresh)
			}
		}
	}
	return groups
}

// searchPromptHelp is the help while the recording's search prompt is open.
var searchPromptHelp = []key.Binding{
	key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "search every exchange")),
	key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
}

// rebuildHelpLine caches the one-line help; it changes with focus, mode and
// width, never per frame. Help and quit are pinned at its end: what does
// not fit gives way before them.
func (m *Model) rebuildHelpLine() {
	if m.width <= 0 {
		return
	}
	// Pinned by binding, not by key text: a config file may move them.
	pins := map[string]bool{}
	for _, b := range []key.Binding{m.keys.Help, m.keys.Quit, m.keys.ForceQuit} {
		pins[b.Help().Key+"\x00"+b.Help().Desc] = true
	}
	var rest, pinned []key.Binding
	for _, b := range m.shortHelp() {
		if pins[b.Help().Key+"\x00"+b.Help().Desc] {
			pinned = append(pinned, b)
		} else {
			rest = append(rest, b)
		}
	}
	m.help.Width = 0
	tail := m.help.ShortHelpView(pinned)
	room := m.width - 2
	if len(pinned) > 0 && len(rest) > 0 {
		room -= ansi.StringWidth(tail) + ansi.StringWidth(m.help.ShortSeparator)
	}
	m.help.Width = max(1, room)
	head := m.help.ShortHelpView(rest)
	m.help.Width = m.width - 2
	switch {
	case len(pinned) == 0:
		m.helpLine = " " + head
	case len(rest) == 0 || ansi.StringWidth(head) == 0:
		m.helpLine = " " + tail
	default:
		m.helpLine = " " + head + m.help.Styles.ShortSeparator.Inline(true).Render(m.help.ShortSeparator) + tail
	}
}

// sendKeyTo delivers the first key of a binding to a pane that may not
// have focus. Panes only act on keys while focused, so the pane holds the
// focus for the duration of the call.
func (m *Model) sendKeyTo(p pane, b key.Binding) tea.Cmd {
	keys := b.Keys()
	if len(keys) == 0 {
		return nil
	}
	return m.sendTo(p, keyMsgFor(keys[0]))
}

func (m *Model) sendTo(p pane, msg tea.Msg) tea.Cmd {
	if p.Focused() {
		return p.Update(msg)
	}
	p.Focus()
	cmd := p.Update(msg)
	p.Blur()
	return cmd
}

// keyMsgFor builds the key message Bubble Tea would deliver for a key name
// as bubbles/key spells it ("e", "up", "ctrl+s").
func keyMsgFor(name string) tea.KeyMsg {
	for t, n := range keyNames {
		if n == name {
			return tea.KeyMsg{Type: t}
		}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

var keyNames = map[tea.KeyType]string{
	tea.KeyUp: "up", tea.KeyDown: "down", tea.KeyEnter: "enter", tea.KeyEsc: "esc",
	tea.KeyTab: "tab", tea.KeyShiftTab: "shift+tab", tea.KeyCtrlS: "ctrl+s",
	tea.KeyPgUp: "pgup", tea.KeyPgDown: "pgdown",
}
