package model

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap is every key the root model and its sources handle. Pane keys
// (arrows, enter, tabs of the details pane, ...) belong to the panes. A
// key means one thing in a pane: the details pane's /, n and N search the
// shown exchange and walk its matches in every mode, so a new session is
// S, not N, and a recording's hits across exchanges are ctrl+n and ctrl+p.
// The config's [keys] table gives actions other keys (Override,
// keys_config.go).
type KeyMap struct {
	NextPane key.Binding
	PrevPane key.Binding
	Submit   key.Binding
	Search   key.Binding
	Raw      key.Binding
	Editor   key.Binding
	// EditorWhileTyping is the editor key that still works while a text
	// input owns the keyboard, where "e" types an e.
	EditorWhileTyping key.Binding
	// The session's keys (a live session and a live replay).
	Restart    key.Binding
	NewSession key.Binding
	Flows      key.Binding

	Banner   key.Binding
	Zoom     key.Binding
	Copy     key.Binding
	CopyCurl key.Binding
	Palette  key.Binding
	Live     key.Binding
	// The diff (diff.go): mark, compare with the mark, whole run.
	Mark      key.Binding
	Diff      key.Binding
	DiffRun   key.Binding
	Cancel    key.Binding
	Help      key.Binding
	Quit      key.Binding
	ForceQuit key.Binding

	// Recordings (akinspect open).
	NextStage key.Binding
	PrevStage key.Binding
	Hidden    key.Binding
	NextHit   key.Binding
	PrevHit   key.Binding
}

// DefaultKeyMap is akinspect's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextPane:          key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field/pane")),
		PrevPane:          key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous")),
		Submit:            key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "submit")),
		Search:            key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Raw:               key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "raw answer")),
		Editor:            key.NewBinding(key.WithKeys("e", "ctrl+o"), key.WithHelp("e/ctrl+o", "open in $EDITOR")),
		EditorWhileTyping: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "$EDITOR")),
		Restart:           key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "restart flow")),
		NewSession:        key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "new session")),
		Flows:             key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "switch flow")),
		Banner:            key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "demo banner")),
		Zoom:              key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom pane")),
		Copy:              key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy shown body/URL")),
		CopyCurl:          key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy as curl")),
		Palette:           key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "every action by name")),
		Live:              key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "back to live")),
		Mark:              key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark exchange for diff")),
		Diff:              key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "diff selected vs marked")),
		DiffRun:           key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "diff run vs a recording")),
		Cancel:            key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel/back/leave field")),
		Help:              key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:              key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:         key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		// n/p and ]/[ belong to the details pane (matches, tabs).
		NextStage: key.NewBinding(key.WithKeys(">"), key.WithHelp(">", "next stage")),
		PrevStage: key.NewBinding(key.WithKeys("<"), key.WithHelp("<", "previous stage")),
		Hidden:    key.NewBinding(key.WithKeys("H"), key.WithHelp("H", "hide/show non-flow rows")),
		NextHit:   key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "next hit in the recording")),
		PrevHit:   key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "previous hit")),
	}
}

// ShortHelp is the root's part of the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextPane, k.Submit, k.Raw, k.Help, k.Quit}
}

// FullHelp is the root's part of the `?` overlay.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.NextPane, k.PrevPane, k.Submit, k.Cancel},
		{k.Search, k.Raw, k.Editor, k.Live},
		{k.Restart, k.NewSession, k.Flows, k.Banner},
		k.viewGroup(),
		{k.Help, k.Quit, k.ForceQuit},
	}
}

// viewGroup is the keys every mode has for the screen itself.
func (k KeyMap) viewGroup() []key.Binding {
	return []key.Binding{k.Zoom, k.Copy, k.CopyCurl, k.Palette}
}

// diffGroup is the diff's keys: m marks, d compares with the mark, D
// with a recording (inside the diff view, n/N walk the differences). The
// `?` overlay of 80×24 has no line left for them: the palette and the
// README list them, and `?` inside the diff view.
func (k KeyMap) diffGroup() []key.Binding { return []key.Binding{k.Mark, k.Diff, k.DiffRun} }

// handleKey applies the focus guard first (gh-dash): while a text input of
// the focused pane owns the keyboard, keys go to it, except ctrl+c, ctrl+s
// (submit), ctrl+o ($EDITOR), tab/shift+tab (fields, then panes), and esc
// while a request is in flight or in the raw editor.
// handleKeys takes a key message. Keys typed faster than the terminal is
// read arrive as one message of several runes (">>"); outside a text field
// each is a key of its own, so a burst of > steps as many stages. Typed
// text and pastes stay whole.
func (m *Model) handleKeys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste || m.capturing() || m.src.prompt() != nil {
		return m.handleKey(msg)
	}
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		cmds = append(cmds, m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
		if m.capturing() || m.src.prompt() != nil { // a key opened a text field: the rest is typed
			rest := msg.Runes[i+1:]
			if len(rest) > 0 {
				cmds = append(cmds, m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: rest}))
			}
			break
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.ForceQuit) {
		if m.overlay.kind == overlayQuit {
			return m.quitNow()
		}
		return m.askQuit()
	}
	if m.overlay.kind != overlayNone {
		return m.overlayKey(msg)
	}
	if p := m.src.prompt(); p != nil {
		return p.key(msg)
	}
	// Esc always reaches an in-flight request: nothing else matters then.
	if m.busy() && key.Matches(msg, k.Cancel) {
		m.cancelInFlight()
		return nil
	}
	if m.focus == focusForm && m.capturing() && key.Matches(msg, fillKeys) && !m.fillTOTP(nil) {
		return nil // a totp: secret that is not usable: the status says why
	}
	switch {
	case key.Matches(msg, k.NextPane):
		return m.focusNext()
	case key.Matches(msg, k.PrevPane):
		return m.focusPrev()
	}
	if m.capturing() {
		switch {
		case key.Matches(msg, k.Submit) && m.focus != focusForm:
			return m.submitFromAnywhere()
		case key.Matches(msg, k.Cancel) && m.focus == focusForm:
			return m.escapeField()
		case key.Matches(msg, k.EditorWhileTyping):
			return m.openEditor()
		}
		return m.focusedPane().Update(msg)
	}
	if m.paneClaims(msg) {
		return m.focusedPane().Update(msg)
	}
	return m.globalKey(msg)
}

// globalKey handles the source's key group, then the root's own keys;
// anything else goes to the focused pane.
func (m *Model) globalKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if cmd, ok := m.src.key(msg); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.askQuit()
	case key.Matches(msg, k.Help):
		m.openOverlay(overlayHelp)
	case key.Matches(msg, k.Submit):
		return m.submitFromAnywhere()
	case key.Matches(msg, k.Search):
		m.setFocus(focusDetails)
		return m.details.Update(keyMsgFor(detailsSearchKey)) // the search key may be another (config [keys])
	case key.Matches(msg, k.Raw):
		m.toggleRaw()
	case key.Matches(msg, k.Editor):
		return m.openEditor()
	case key.Matches(msg, k.Banner):
		m.openBanner()
	case key.Matches(msg, k.Zoom):
		m.toggleZoom()
	case key.Matches(msg, k.Copy):
		return m.copyShown()
	case key.Matches(msg, k.CopyCurl):
		return m.copyCurl()
	case key.Matches(msg, k.Palette):
		m.openPalette()
	case key.Matches(msg, k.Live):
		return m.goLive()
	case key.Matches(msg, k.Mark):
		return m.toggleMark()
	case key.Matches(msg, k.Diff):
		return m.diffMarked()
	case key.Matches(msg, k.DiffRun):
		return m.startDiffRun()
	case key.Matches(msg, k.Cancel):
		return m.escape()
	default:
		return m.focusedPane().Update(msg)
	}
	return nil
}

// detailsSearchKey is the details pane's own key that starts a search.
const detailsSearchKey = "/"

// fillKeys leave a field or send the form: a code field holding
// `totp:SECRET` fills itself with the current code first.
var fillKeys = key.NewBinding(key.WithKeys("enter", "tab", "shift+tab", "ctrl+s"))

// searchKeys are the details pane's keys for a search in progress; they
// come before the root's (N's word on the new session, esc back to live)
// only while there is one.
var searchKeys = key.NewBinding(key.WithKeys("n", "N", "esc"))

// paneClaims reports whether the focused pane should get a key that the
// root or the source also knows: the details pane's / (a recording's /
// searches every exchange from the other panes), and its n/N/esc while it
// shows search matches.
func (m *Model) paneClaims(msg tea.KeyMsg) bool {
	if m.focus != focusDetails {
		return false
	}
	if msg.String() == detailsSearchKey {
		return true
	}
	if !key.Matches(msg, searchKeys) {
		return false
	}
	_, total := m.details.Matches()
	return total > 0
}

// escape leaves the innermost mode: raw answer mode, then time travel.
func (m *Model) escape() tea.Cmd {
	switch {
	case m.form.Raw():
		m.form.SetRaw(false, "")
		m.setStatus("raw mode off", false)
	case !m.followNewest:
		return m.goLive()
	default:
		m.setStatus("", false)
	}
	return nil
}

// escapeField is esc while a form field owns the keyboard (text inputs
// have no use for it): leave raw mode or time travel, else leave the field
// for the timeline, where single-letter keys (r, f, ?, q) work again.
func (m *Model) escapeField() tea.Cmd {
	if m.form.Raw() || !m.followNewest {
		return m.escape()
	}
	m.setFocus(focusTimeline)
	m.setStatus(leftFormStatus+": keys such as r, f, ? and q work here; shift+tab returns to it", false)
	return nil
}

// leftFormStatus starts the status line esc leaves in a field.
const leftFormStatus = "left the form"

// submitFromAnywhere sends the form as it is, whichever pane has focus.
func (m *Model) submitFromAnywhere() tea.Cmd {
	if m.form.Raw() {
		return m.submitRaw([]byte(m.form.Values()[""]))
	}
	return m.submitValues(m.form.Values())
}

// askQuit quits at once when idle, and asks first while a request is in
// flight.
func (m *Model) askQuit() tea.Cmd {
	if m.busy() {
		m.openOverlay(overlayQuit)
		return nil
	}
	return m.quitNow()
}
