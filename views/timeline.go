package views

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
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

	rows   []ExchangeRow
	pos    map[int]int // exchange ID → index in rows
	cursor int
	offset int
	live   bool
	idW    int

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
		t.idW = max(t.idW, len(strconv.Itoa(r.ID)))
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
	if w := len(strconv.Itoa(row.ID)); w > t.idW {
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

// move puts the cursor on row i (clamped); a move leaves live mode.
func (t *Timeline) move(i int) tea.Cmd {
	i = max(0, min(i, len(t.rows)-1))
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

// columns computes the column widths for the pane width. The component
// column comes first: a narrow pane drops the duration (the Timing tab has
// it) before it cuts a stage name, and the path only gets what is left.
type columns struct {
	comp, path int
	dur        bool
}

const (
	methodW = 4
	statusW = 3
	durW    = 5
	marksW  = 3
	// compMin fits the longest stage names ("authenticator-validate");
	// compW adds room for a note's arrow ("→ authenticator-validate").
	compMin = 22
	compW   = 24
	pathMin = 12
)

// TimelineFixedWidth is the width of the columns that are always there
// (marker, #, method, status, marks and their gaps, for IDs up to 999).
const TimelineFixedWidth = 1 + 3 + 1 + methodW + 1 + statusW + 1 + 1 + marksW

// TimelineMinWidth is the inside width at which every stage name is shown
// whole with the duration beside it: the root sizes the pane from it. (A
// POST's "→ stage" note may lose its last cells; the GET above names the
// stage.)
const TimelineMinWidth = TimelineFixedWidth + compMin + durW + 1

func (t *Timeline) columns() columns {
	// marker id method status component [path] [duration] marks.
	fixed := 1 + t.idW + 1 + methodW + 1 + statusW + 1 + 1 + marksW
	avail := max(1, t.width-fixed)
	const durCol = durW + 1
	switch {
	case avail >= compW+1+pathMin+durCol:
		return columns{comp: compW, path: avail - compW - 1 - durCol, dur: true}
	case avail >= compMin+durCol:
		return columns{comp: avail - durCol, dur: true}
	}
	return columns{comp: avail}
}

func (t *Timeline) header() string {
	c := t.columns()
	h := " " + fmt.Sprintf("%*s", t.idW, "#") + " " + fitLine("METH", methodW) + " " + "STA" + " " + fitLine("COMPONENT", c.comp)
	if c.path > 0 {
		h += " PATH"
	}
	ind := t.indicator()
	style := t.th.Faint
	if t.live {
		style = t.th.Live
	}
	// The indicator sits at the right end, over the time and marks columns.
	iw := lipgloss.Width(ind)
	if iw+1 >= t.width {
		return t.th.Faint.Render(fitLine(h, t.width))
	}
	room := t.width - iw - 1
	if lipgloss.Width(h) > room {
		h = ansi.Truncate(h, room, "")
	}
	return t.th.Faint.Render(fitLine(h, room)) + " " + style.Render(ind)
}

// row renders row i; unselected rows come from the cache.
func (t *Timeline) row(i int) string {
	r := t.rows[i]
	if i == t.cursor {
		return t.selected(t.rowText(r, true, false))
	}
	if s, ok := t.rowCache[r.ID]; ok {
		return s
	}
	s := t.rowText(r, false, true)
	t.rowCache[r.ID] = s
	return s
}

// selected paints a plain row with the selection style. The style's
// escape sequences are taken once from a one-cell render, because
// lipgloss measuring a wide line on every frame is the costly part.
func (t *Timeline) selected(text string) string {
	if !t.selReady {
		t.selReady = true
		t.selOn, t.selOff, _ = strings.Cut(t.th.Selected.Render("x"), "x")
	}
	return t.selOn + text + t.selOff
}

// rowText lays out one row to exactly the pane width. styled colours the
// cells; the selected row is drawn plain under the selection style.
func (t *Timeline) rowText(r ExchangeRow, selected, styled bool) string {
	th := t.th
	paint := func(s lipgloss.Style, text string) string {
		switch {
		case !styled:
			return text
		case r.Dim:
			return th.Faint.Render(text)
		}
		return s.Render(text)
	}
	c := t.columns()
	marker := " "
	if selected {
		marker = "›"
	}
	status, statusStyle := statusCell(th, r)
	comp := termsafe.Line(flow.ShortComponent(r.Component))
	compStyle := th.App
	if comp == "" {
		// No challenge (a 302, an HTML page, a failed request): the note
		// says more than an empty cell.
		comp, compStyle = "—", th.Faint
		if r.Note != "" {
			comp = termsafe.Line(r.Note)
		}
	}
	var b strings.Builder
	b.WriteString(paint(th.Marker, marker))
	b.WriteString(paint(th.Faint, fmt.Sprintf("%*d", t.idW, r.ID)))
	b.WriteString(" " + paint(th.Method, fitLine(termsafe.Line(r.Method), methodW)))
	b.WriteString(" " + paint(statusStyle, status))
	b.WriteString(" " + paint(compStyle, fitLine(comp, c.comp)))
	if c.path > 0 {
		b.WriteString(" " + paint(th.Faint, fitLine(termsafe.Line(r.Path), c.path)))
	}
	if c.dur {
		dur := ""
		if !r.Pending && (r.Status != 0 || r.Duration > 0) {
			dur = formatDuration(r.Duration)
		}
		b.WriteString(" " + paint(th.Faint, fmt.Sprintf("%*s", durW, dur)))
	}
	b.WriteString(" " + paint(marksStyle(th, r), fitLine(marks(r), marksW)))
	return fitLine(b.String(), t.width)
}

// statusCell is the three-cell status column and its colour.
func statusCell(th *Theme, r ExchangeRow) (string, lipgloss.Style) {
	switch {
	case r.Pending:
		return " … ", th.Pending
	case r.Status == 0 && r.Error:
		return "ERR", th.Error
	case r.Status == 0:
		return " — ", th.Faint
	case r.Status >= 400:
		return strconv.Itoa(r.Status), th.Status4xx
	case r.Status >= 300:
		return strconv.Itoa(r.Status), th.Status3xx
	default:
		return strconv.Itoa(r.Status), th.Status2xx
	}
}

// marks are the row's flags: ↪ redirect, ✗ error, ⟳ session rotated,
// ! validation error, … pending.
func marks(r ExchangeRow) string {
	var m string
	if r.Pending {
		m += "…"
	}
	if r.Error {
		m += "✗"
	}
	if r.Invalid {
		m += "!"
	}
	if r.Redirect {
		m += "↪"
	}
	if r.Rotated {
		m += "⟳"
	}
	return m
}

func marksStyle(th *Theme, r ExchangeRow) lipgloss.Style {
	switch {
	case r.Error, r.Invalid:
		return th.Error
	case r.Pending:
		return th.Pending
	default:
		return th.Warning
	}
}

// formatDuration is a compact duration for narrow columns: 850µs, 42ms, 1.3s.
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0ms"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	default:
		return d.Truncate(time.Second).String()
	}
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
