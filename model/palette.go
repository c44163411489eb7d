package model

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/views"
)

// The command palette (`:`): every named action of this mode, with its
// key, in a list with a fuzzy filter. Choosing one does what its key
// does, so the palette also teaches the keys.

// action is one entry of the palette.
type action struct {
	name, keyName string
	run           func(m *Model) tea.Cmd
}

func (a action) FilterValue() string { return a.name + " " + a.keyName }

// paletteKeys: the palette takes every key; these steer it.
var (
	paletteUp     = key.NewBinding(key.WithKeys("up", "ctrl+p"))
	paletteDown   = key.NewBinding(key.WithKeys("down", "ctrl+n"))
	paletteChoose = key.NewBinding(key.WithKeys("enter"))
	paletteClose  = key.NewBinding(key.WithKeys("esc"))
)

// paletteActions lists what can be done now: the mode's keys (as the `?`
// overlay lists them, pane motions left out) and the details tabs.
func (m *Model) paletteActions() []list.Item {
	var items []list.Item
	seen := map[string]bool{}
	add := func(name, k string, run func(m *Model) tea.Cmd) {
		if seen[name+k] || name == "" {
			return
		}
		seen[name+k] = true
		items = append(items, action{name: name, keyName: k, run: run})
	}
	for _, g := range m.src.fullHelp() {
		for _, b := range g {
			h := b.Help()
			if !b.Enabled() || len(b.Keys()) == 0 || paletteSkips[h.Key] {
				continue
			}
			msg := keyMsgFor(b.Keys()[0])
			add(h.Desc, h.Key, func(m *Model) tea.Cmd {
				if m.capturing() {
					m.setFocus(focusTimeline) // a letter must not be typed into a field
				}
				return m.handleKey(msg)
			})
		}
	}
	for _, b := range m.keys.diffGroup() {
		msg := keyMsgFor(b.Keys()[0])
		add(b.Help().Desc, b.Help().Key, func(m *Model) tea.Cmd {
			if m.capturing() {
				m.setFocus(focusTimeline)
			}
			return m.handleKey(msg)
		})
	}
	for i, tab := range views.Tabs() {
		n := fmt.Sprint(i + 1)
		add("details: "+strings.ToLower(tab)+" tab", n, func(m *Model) tea.Cmd {
			m.setFocus(focusDetails)
			return m.details.Update(keyMsgFor(n))
		})
	}
	add("search the shown body", "/", func(m *Model) tea.Cmd {
		m.setFocus(focusDetails)
		return m.handleKey(keyMsgFor("/"))
	})
	return items
}

// paletteSkips are keys that move or pick rather than act: the palette
// names actions.
var paletteSkips = map[string]bool{
	"tab": true, "shift+tab": true, "esc": true, ":": true, "ctrl+c": true,
}

// paletteDelegate draws an action as "name ……… key" on one line.
type paletteDelegate struct{ th *views.Theme }

func (d paletteDelegate) Height() int                         { return 1 }
func (d paletteDelegate) Spacing() int                        { return 0 }
func (d paletteDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }
func (d paletteDelegate) Render(w io.Writer, l list.Model, i int, it list.Item) {
	a, ok := it.(action)
	if !ok {
		return
	}
	width := l.Width()
	k := d.th.HelpKey.Render(a.keyName)
	room := max(1, width-2-ansi.StringWidth(a.keyName)-1)
	name := fitLine(a.name, room)
	if i == l.Index() {
		fmt.Fprint(w, d.th.Marker.Render("› ")+d.th.Bold.Render(name)+" "+k)
		return
	}
	fmt.Fprint(w, "  "+d.th.HelpDesc.Render(name)+" "+k)
}

// openPalette builds the list for this moment and opens it, filter first.
func (m *Model) openPalette() {
	items := m.paletteActions()
	w, h := m.paletteSize(len(items))
	l := list.New(items, paletteDelegate{th: m.theme}, w, h)
	l.SetShowTitle(false)
	l.SetShowStatusBar(false)
	l.SetShowHelp(false)
	l.SetShowPagination(true)
	l.SetFilteringEnabled(true)
	l.FilterInput.Prompt = ": "
	l.FilterInput.Placeholder = "type to filter actions"
	l.Styles.FilterPrompt = m.theme.Marker
	l.Styles.FilterCursor = m.theme.Marker
	l.SetFilterState(list.Filtering)
	m.overlay = overlay{kind: overlayPalette}
	m.palette = &l
}

// paletteSize is the list's size: as tall as its items, within the body.
func (m *Model) paletteSize(n int) (w, h int) {
	w = min(60, max(20, m.rects.body.w-8))
	h = min(n+2, max(4, m.rects.body.h-6)) // the filter line and pagination
	return w, h
}

// paletteKey steers the palette: arrows move, enter runs the action, esc
// closes, anything else edits the filter.
func (m *Model) paletteKey(msg tea.KeyMsg) tea.Cmd {
	l := m.palette
	switch {
	case key.Matches(msg, paletteClose):
		m.closeOverlay()
	case key.Matches(msg, paletteUp):
		l.CursorUp()
	case key.Matches(msg, paletteDown):
		l.CursorDown()
	case key.Matches(msg, paletteChoose):
		a, ok := l.SelectedItem().(action)
		m.closeOverlay()
		if !ok {
			m.setStatus("no action matches", false)
			return nil
		}
		return a.run(m)
	default:
		// The filter runs here, not in list's own command: a few dozen
		// actions filter in microseconds.
		l.FilterInput, _ = l.FilterInput.Update(msg)
		if v := l.FilterInput.Value(); v != "" {
			l.SetFilterText(v)
		} else {
			l.ResetFilter()
		}
		l.SetFilterState(list.Filtering)
	}
	return nil
}

// renderPalette draws the palette in a box over the panes.
func (m *Model) renderPalette(width, height int) string {
	if m.palette == nil {
		return ""
	}
	lines := strings.Split(m.palette.View(), "\n")
	for len(lines) > 0 && strings.TrimSpace(ansi.Strip(lines[len(lines)-1])) == "" {
		lines = lines[:len(lines)-1] // the list pads itself to its height
	}
	return views.RenderOverlay(m.theme, "Actions", strings.Join(lines, "\n"), width, height)
}

// paletteHelp is the help line while the palette is open.
var paletteHelp = []key.Binding{
	key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
	key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
	key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
	key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
}
