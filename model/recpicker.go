package model

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/views"
)

// RecordingPicker is `akinspect open` without a file: the recent
// recordings full screen, to pick one to open. It owns its keys, its help
// line and its size; after the program ends, Picked says which file, if
// any, was chosen.
type RecordingPicker struct {
	th     *views.Theme
	list   *views.RecordingList
	help   help.Model
	width  int
	height int
	picked string
	chosen bool
}

// The picker's keys. While a filter is typed, letters go to the filter:
// only the arrows, enter, esc and ctrl+c act.
var (
	pickUp       = key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up"))
	pickDown     = key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down"))
	pickPageUp   = key.NewBinding(key.WithKeys("pgup", "left", "b"), key.WithHelp("pgup", "page up"))
	pickPageDown = key.NewBinding(key.WithKeys("pgdown", "right", "f", " "), key.WithHelp("pgdn", "page down"))
	pickHome     = key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "newest"))
	pickEnd      = key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "oldest"))
	pickFilter   = key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter"))
	pickOpen     = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open"))
	pickQuit     = key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "quit"))
	pickForce    = key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))

	pickFilterUp    = key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/↓", "move"))
	pickFilterDown  = key.NewBinding(key.WithKeys("down", "ctrl+n"))
	pickFilterClear = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter"))
)

// NewRecordingPicker lists rows (newest first) found in dir.
func NewRecordingPicker(th *views.Theme, dir string, rows []views.RecordingRow) *RecordingPicker {
	h := help.New()
	h.Styles.ShortKey = th.HelpKey
	h.Styles.ShortDesc = th.HelpDesc
	h.Styles.ShortSeparator = th.Faint
	h.Styles.Ellipsis = th.Faint
	return &RecordingPicker{th: th, list: views.NewRecordingList(th, dir, rows), help: h}
}

// Picked is the file chosen, or false when the picker was left without one.
func (p *RecordingPicker) Picked() (string, bool) { return p.picked, p.chosen }

// Init implements tea.Model.
func (p *RecordingPicker) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (p *RecordingPicker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.width, p.height = msg.Width, msg.Height
		p.list.SetSize(p.width, max(1, p.height-1))
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && !msg.Paste && len(msg.Runes) > 1 {
			// Keys typed faster than read arrive together: "/den" is
			// "/" then a filter.
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				cmds = append(cmds, p.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
			}
			return p, tea.Sequence(cmds...)
		}
		return p, p.key(msg)
	case tea.MouseMsg:
		switch {
		case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft:
			p.list.ClickAt(msg.Y)
		case msg.Button == tea.MouseButtonWheelUp:
			p.list.Up()
		case msg.Button == tea.MouseButtonWheelDown:
			p.list.Down()
		}
	}
	return p, nil
}

func (p *RecordingPicker) key(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, pickForce) {
		return tea.Quit
	}
	if key.Matches(msg, pickOpen) {
		row, ok := p.list.Selected()
		if !ok {
			return nil // nothing matches the filter
		}
		p.picked, p.chosen = row.Path, true
		return tea.Quit
	}
	if p.list.Filtering() {
		switch {
		case key.Matches(msg, pickFilterClear):
			p.list.StopFilter()
		case key.Matches(msg, pickFilterUp):
			p.list.Up()
		case key.Matches(msg, pickFilterDown):
			p.list.Down()
		case msg.Type == tea.KeyPgUp:
			p.list.PageUp()
		case msg.Type == tea.KeyPgDown:
			p.list.PageDown()
		default:
			return p.list.FilterKey(msg)
		}
		return nil
	}
	switch {
	case key.Matches(msg, pickQuit):
		return tea.Quit
	case key.Matches(msg, pickUp):
		p.list.Up()
	case key.Matches(msg, pickDown):
		p.list.Down()
	case key.Matches(msg, pickPageUp):
		p.list.PageUp()
	case key.Matches(msg, pickPageDown):
		p.list.PageDown()
	case key.Matches(msg, pickHome):
		p.list.Home()
	case key.Matches(msg, pickEnd):
		p.list.End()
	case key.Matches(msg, pickFilter):
		return p.list.StartFilter()
	}
	return nil
}

// View implements tea.Model: the list framed, the keys below it.
func (p *RecordingPicker) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	bindings := []key.Binding{pickUp, pickDown, pickPageDown, pickFilter, pickOpen, pickQuit}
	if p.list.Filtering() {
		bindings = []key.Binding{pickFilterUp, pickOpen, pickFilterClear, pickForce}
	}
	p.help.Width = max(1, p.width-1)
	line := fitLine(" "+p.help.ShortHelpView(bindings), p.width)
	if p.height == 1 {
		return line
	}
	return p.list.View() + "\n" + line
}
