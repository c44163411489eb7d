package views

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

type timelineKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Select, Live key.Binding
}

func newTimelineKeys() timelineKeys {
	return timelineKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),
		Select:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "show")),
		Live:     key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "back to live")),
	}
}

// Timeline lists every exchange in order. Only the visible rows are drawn,
// and each row is rendered once per width, so 10,000 rows cost nothing per
// frame.
type Timeline struct {
	th      *Theme
	keys    timelineKeys
	width   int
	height  int
	focused bool
	frame   frameCache // the last framed output (frame_cache.go)

	rows   []ExchangeRow
	pos    map[int]int // exchange ID → index in rows
	cursor int
	offset int
	live   bool
	idW    int

	marked   int            // the exchange m marked for d, 0 for none; it outlives SetRows
	rowCache map[int]string // exchange ID → rendered unselected row
	head     string         // rendered header, for headKey
	headKey  string
	selOn    string // escape sequences that start and end the selection style
	selOff   string
	selReady bool
	view     string
	dirty    bool
}

// NewTimeline returns an empty timeline that follows new exchanges.
func NewTimeline(th *Theme) *Timeline {
	return &Timeline{th: th, keys: newTimelineKeys(), pos: map[int]int{}, live: true, idW: 3, rowCache: map[int]string{}, dirty: true}
}

// SetSize sets the inside size of the pane (without a frame).
func (t *Timeline) SetSize(width, height int) {
	if width != t.width {
		clear(t.rowCache)
	}
	t.width, t.height = width, height
	t.scrollToCursor()
	t.dirty = true
}

// Focus gives the pane the keyboard.
func (t *Timeline) Focus() { t.focused = true; t.dirty = true }

// Blur takes the keyboard away.
func (t *Timeline) Blur() { t.focused = false; t.dirty = true }

// Focused reports whether the pane has the keyboard.
func (t *Timeline) Focused() bool { return t.focused }

// SetRows replaces every row (opening a recording). A live timeline selects
// the newest row; otherwise the selection is kept when its ID survives.
func (t *Timeline) SetRows(rows []ExchangeRow) {
	sel := t.SelectedID()
	t.rows = append([]ExchangeRow(nil), rows...)
	clear(t.pos)
	clear(t.rowCache)
	t.idW = 3
	for i, r := range t.rows {
		t.pos[r.ID] = i
		if !r.Separator { // separators' IDs are never shown
			t.idW = max(t.idW, len(strconv.Itoa(r.ID)))
		}
	}
	t.cursor = 0
	if i, ok := t.pos[sel]; ok && !t.live {
		t.cursor = i
	} else if t.live {
		t.cursor = t.liveIndex()
	}
	t.scrollToCursor()
	t.dirty = true
}

// Append adds a new exchange; a live timeline moves onto it.
func (t *Timeline) Append(row ExchangeRow) {
	if _, ok := t.pos[row.ID]; ok {
		t.UpdateRow(row)
		return
	}
	t.rows = append(t.rows, row)
	t.pos[row.ID] = len(t.rows) - 1
	if w := len(strconv.Itoa(row.ID)); w > t.idW && !row.Separator {
		t.idW = w
		clear(t.rowCache)
	}
	if t.live {
		t.cursor = t.liveIndex()
		t.scrollToCursor()
	}
	t.dirty = true
}

// liveIndex is the row a live timeline sits on: the newest one that is
// part of the flow (not Aside), else the newest row.
func (t *Timeline) liveIndex() int {
	for i := len(t.rows) - 1; i >= 0; i-- {
		if !t.rows[i].Aside {
			return i
		}
	}
	return max(0, len(t.rows)-1)
}

// UpdateRow replaces the row with the same ID (pending → done).
// SetMarked marks exchange id (m, for a diff against it), 0 for none.
func (t *Timeline) SetMarked(id int) {
	delete(t.rowCache, t.marked)
	delete(t.rowCache, id)
	t.marked, t.dirty = id, true
}

// Marked is the marked exchange's ID, 0 for none.
func (t *Timeline) Marked() int { return t.marked }

func (t *Timeline) UpdateRow(row ExchangeRow) {
	i, ok := t.pos[row.ID]
	if !ok {
		return
	}
	t.rows[i] = row
	delete(t.rowCache, row.ID)
	if t.live {
		t.cursor = t.liveIndex()
		t.scrollToCursor()
	}
	t.dirty = true
}

// Len is the number of rows.
func (t *Timeline) Len() int { return len(t.rows) }

// SelectedID is the ID of the row under the cursor, 0 when empty.
func (t *Timeline) SelectedID() int {
	if len(t.rows) == 0 {
		return 0
	}
	return t.rows[t.cursor].ID
}

// Select moves the cursor to exchange id; selecting any but the newest
// flow row leaves live mode.
func (t *Timeline) Select(id int) {
	i, ok := t.pos[id]
	if !ok {
		return
	}
	t.cursor = i
	if i != t.liveIndex() {
		t.live = false
	}
	t.scrollToCursor()
	t.dirty = true
}

// Live reports whether the cursor follows the newest row.
func (t *Timeline) Live() bool { return t.live }

// SetLive turns following on (jumping to the newest flow row) or off.
func (t *Timeline) SetLive(on bool) {
	t.live = on
	if on && len(t.rows) > 0 {
		t.cursor = t.liveIndex()
		t.scrollToCursor()
	}
	t.dirty = true
}

// SetLiveHelp sets what the help says `L` does: "back to live" in a live
// session, "last exchange" in a recording where nothing is live.
func (t *Timeline) SetLiveHelp(desc string) {
	t.keys.Live.SetHelp("L", desc)
}

// Title names the pane with the live/position indicator.
func (t *Timeline) Title() string { return "Timeline · " + t.indicator() }

func (t *Timeline) indicator() string {
	if t.live {
		return "LIVE"
	}
	if len(t.rows) == 0 {
		return "empty"
	}
	return fmt.Sprintf("#%d of %d", t.cursor+1, len(t.rows))
}

// Click selects the row drawn on line y of the pane (0 is the column
// header) as enter would; nil when no exchange is drawn there.
func (t *Timeline) Click(y int) tea.Cmd {
	i := t.offset + y - 1
	if y < 1 || i >= len(t.rows) || i >= t.offset+t.visibleRows() || t.rows[i].Separator {
		return nil
	}
	t.cursor = i
	t.live = false
	t.dirty = true
	return selectCmd(t.SelectedID())
}

// ScrollInfo is the rows in view and their number.
func (t *Timeline) ScrollInfo() string { return scrollInfo(t.offset, t.visibleRows(), len(t.rows)) }

// Update handles keys while the pane is focused.
func (t *Timeline) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !t.focused || len(t.rows) == 0 {
		return nil
	}
	k := t.keys
	page := max(1, t.visibleRows()-1)
	switch {
	case key.Matches(km, k.Up):
		return t.move(t.cursor - 1)
	case key.Matches(km, k.Down):
		return t.move(t.cursor + 1)
	case key.Matches(km, k.PageUp):
		return t.move(t.cursor - page)
	case key.Matches(km, k.PageDown):
		return t.move(t.cursor + page)
	case key.Matches(km, k.Top):
		return t.move(0)
	case key.Matches(km, k.Bottom):
		return t.move(len(t.rows) - 1)
	case key.Matches(km, k.Select):
		return selectCmd(t.SelectedID())
	case key.Matches(km, k.Live):
		t.SetLive(true)
		return func() tea.Msg { return LiveMsg{} }
	}
	return nil
}

// move puts the cursor on row i (clamped); a move leaves live mode. A
// separator row is passed over in the direction of the move.
func (t *Timeline) move(i int) tea.Cmd {
	i = max(0, min(i, len(t.rows)-1))
	step := 1
	if i < t.cursor {
		step = -1
	}
	for j := i; j >= 0 && j < len(t.rows); j += step {
		if !t.rows[j].Separator {
			i = j
			break
		}
	}
	if i == t.cursor {
		return nil
	}
	t.cursor = i
	t.live = false
	t.scrollToCursor()
	t.dirty = true
	return selectCmd(t.SelectedID())
}

func selectCmd(id int) tea.Cmd {
	return func() tea.Msg { return SelectExchangeMsg{ID: id} }
}

// visibleRows is the number of exchange rows that fit under the header.
func (t *Timeline) visibleRows() int { return max(0, t.height-1) }

func (t *Timeline) scrollToCursor() {
	n := t.visibleRows()
	if t.live && n > 0 {
		// Following: keep the newest rows in view (an inspector read
		// below the cursor is still seen), as long as the cursor is.
		t.offset = max(0, len(t.rows)-n)
	}
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if n > 0 && t.cursor >= t.offset+n {
		t.offset = t.cursor - n + 1
	}
	t.offset = max(0, min(t.offset, len(t.rows)-n))
}

// View draws the column header and the visible rows, exactly width×height.
func (t *Timeline) View() string {
	if !t.dirty {
		return t.view
	}
	t.dirty = false
	if t.width <= 0 || t.height <= 0 {
		t.view = ""
		return t.view
	}
	if key := t.indicator() + "|" + strconv.Itoa(t.width) + "|" + strconv.Itoa(t.idW); key != t.headKey {
		t.headKey, t.head = key, t.header()
	}
	end := min(len(t.rows), t.offset+t.visibleRows())
	// Size the buffer up front: coloured rows are long, and regrowing
	// was most of the cost of a frame.
	size := len(t.head) + (t.width+1)*t.height
	rows := make([]string, 0, end-t.offset)
	for i := t.offset; i < end; i++ {
		r := t.row(i)
		rows = append(rows, r)
		size += len(r)
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(t.head)
	for _, r := range rows {
		b.WriteByte('\n')
		b.WriteString(r)
	}
	if len(t.rows) == 0 && t.height > 1 {
		b.WriteString("\n" + fitLine(t.th.Faint.Render(" no exchanges yet"), t.width))
		end++
	}
	for i := end - t.offset; i < t.visibleRows(); i++ {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat(" ", t.width))
	}
	t.view = b.String()
	return t.view
}

// ShortHelp lists the pane's main keys.
func (t *Timeline) ShortHelp() []key.Binding {
	return []key.Binding{t.keys.Up, t.keys.Down, t.keys.Live}
}

// FullHelp lists every key of the pane.
func (t *Timeline) FullHelp() [][]key.Binding {
	k := t.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Top, k.Bottom, k.Select, k.Live}}
}
