package views

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/internal/termsafe"
)

// Tab names of the details pane, in key order (1..7).
const (
	TabResponse    = "Response"
	TabRequest     = "Request"
	TabReqHeaders  = "Req headers"
	TabRespHeaders = "Resp headers"
	TabCookies     = "Cookies"
	TabTiming      = "Timing"
	TabInspector   = "Inspector"
)

var allTabs = []string{TabResponse, TabRequest, TabReqHeaders, TabRespHeaders, TabCookies, TabTiming, TabInspector}

// shortTabs are used when the full tab bar does not fit.
var shortTabs = map[string]string{
	TabResponse: "Resp", TabRequest: "Req", TabReqHeaders: "ReqH", TabRespHeaders: "RespH",
	TabCookies: "Cook", TabTiming: "Time", TabInspector: "Insp",
}

type detailsKeys struct {
	PrevTab, NextTab, TabN       key.Binding
	Up, Down, PageUp, PageDown   key.Binding
	Top, Bottom                  key.Binding
	Search, NextMatch, PrevMatch key.Binding
	Clear, Confirm, Editor       key.Binding
	// Matches is n and N as one help entry: "N" alone would read as the
	// root's new session.
	Matches key.Binding
}

func newDetailsKeys() detailsKeys {
	return detailsKeys{
		PrevTab:   key.NewBinding(key.WithKeys("["), key.WithHelp("[", "prev tab")),
		NextTab:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next tab")),
		TabN:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7"), key.WithHelp("1-7", "go to tab")),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "page down")),
		Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
		Search:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		NextMatch: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		PrevMatch: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "prev match")),
		Clear:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
		Confirm:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm search")),
		Editor:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "open in $EDITOR")),
		Matches:   key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n/N", "next/prev match")),
	}
}

// liveSearchLimit: below this many bytes of tab text, search runs on every
// keystroke; above it only on enter.
const liveSearchLimit = 256 << 10

// Details shows the selected exchange in tabs. Everything costly (pretty
// JSON, highlighting, wrapping) happens in SetExchange, on a tab switch or
// on a width change, and feeds a viewport once; View only joins strings.
type Details struct {
	th      *Theme
	keys    detailsKeys
	width   int
	height  int
	focused bool

	x         ExchangeDetail
	has       bool
	inspector string
	tab       string

	// Bodies are rendered once per exchange, on first use.
	resp, req *renderedBody

	// The active tab's text at the current width, line by line; plain is
	// the same text without colour, for search.
	lines     []shownLine
	plain     []string
	body      *renderedBody // colours the body lines on demand
	textBytes int

	vp      viewport.Model
	input   textinput.Model
	typing  bool
	query   string
	matches []match // pieces of hits, in screen order
	hits    int     // number of hits (a wrapped hit has several pieces)
	current int     // the current hit

	bar, barKey string
	view        string
	dirty       bool
}

// NewDetails returns an empty details pane.
func NewDetails(th *Theme) *Details {
	in := textinput.New()
	in.Prompt = "/"
	in.PromptStyle = th.Marker
	in.TextStyle = th.Input
	in.PlaceholderStyle = th.Faint
	in.Placeholder = "search"
	in.Cursor.SetMode(cursor.CursorStatic)
	vp := viewport.New(0, 0)
	vp.KeyMap = viewport.KeyMap{} // keys are ours
	return &Details{th: th, keys: newDetailsKeys(), tab: TabResponse, vp: vp, input: in, dirty: true}
}

// SetSize sets the inside size of the pane (without a frame).
func (d *Details) SetSize(width, height int) {
	widthChanged := width != d.width
	d.width, d.height = width, height
	d.input.Width = max(1, width-16)
	if widthChanged {
		d.rebuild()
	} else {
		d.layout()
	}
}

// Focus gives the pane the keyboard.
func (d *Details) Focus() { d.focused = true; d.dirty = true }

// Blur takes the keyboard away; a search being typed is confirmed.
func (d *Details) Blur() {
	if d.typing {
		d.confirmSearch()
	}
	d.focused = false
	d.dirty = true
}

// Focused reports whether the pane has the keyboard.
func (d *Details) Focused() bool { return d.focused }

// CapturesKeys is true while a search is being typed.
func (d *Details) CapturesKeys() bool { return d.typing }

// Tab returns the name of the active tab.
func (d *Details) Tab() string { return d.tab }

// Title names the pane and the exchange shown, for the frame.
func (d *Details) Title() string {
	if !d.has || d.x.Title == "" {
		return "Details"
	}
	return "Details · " + d.x.Title
}

// SetExchange shows another exchange; the tab and search query stay.
// Handing in the same exchange again (a pending one that finished, say)
// keeps the scroll position and reuses rendered bodies that did not change.
func (d *Details) SetExchange(x ExchangeDetail) {
	same := d.has && x.ID == d.x.ID
	if !same || !bytes.Equal(x.ResponseBody, d.x.ResponseBody) {
		d.resp = nil
	}
	if !same || !bytes.Equal(x.RequestBody, d.x.RequestBody) {
		d.req = nil
	}
	d.x, d.has = x, true
	if !same {
		d.vp.GotoTop()
	}
	d.rebuild()
}

// SetInspector sets the Inspector tab's text; "" removes the tab.
func (d *Details) SetInspector(lines string) {
	d.inspector = lines
	if lines == "" && d.tab == TabInspector {
		d.tab = TabResponse
		d.rebuild()
		return
	}
	if d.tab == TabInspector {
		d.rebuild()
	}
	d.dirty = true
}

// SetTab switches to a tab by name; unknown or absent tabs are ignored.
func (d *Details) SetTab(name string) {
	for _, t := range d.tabs() {
		if t == name && t != d.tab {
			d.tab = t
			d.vp.GotoTop()
			d.rebuild()
		}
	}
}

// tabs lists the tabs shown now.
func (d *Details) tabs() []string {
	if d.inspector == "" {
		return allTabs[:len(allTabs)-1]
	}
	return allTabs
}

// Matches returns the number of search matches and the current one (1-based).
func (d *Details) Matches() (current, total int) {
	if d.hits == 0 {
		return 0, 0
	}
	return d.current + 1, d.hits
}

// YOffset is the first line shown of the active tab.
func (d *Details) YOffset() int { return d.vp.YOffset }

// Update handles keys while the pane is focused.
func (d *Details) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !d.focused {
		return nil
	}
	d.dirty = true
	if d.typing {
		return d.updateSearchInput(km)
	}
	k := d.keys
	switch {
	case key.Matches(km, k.Search):
		d.typing = true
		d.input.SetValue("")
		d.layout()
		return d.input.Focus()
	case key.Matches(km, k.Clear):
		d.setQuery("")
	case key.Matches(km, k.NextMatch):
		d.step(1)
	case key.Matches(km, k.PrevMatch):
		d.step(-1)
	case key.Matches(km, k.PrevTab):
		d.cycleTab(-1)
	case key.Matches(km, k.NextTab):
		d.cycleTab(1)
	case key.Matches(km, k.TabN):
		if i := int(km.String()[0] - '1'); i < len(d.tabs()) {
			d.SetTab(d.tabs()[i])
		}
	case key.Matches(km, k.Editor):
		body := d.shownBody()
		return func() tea.Msg { return EditorMsg{Body: body} }
	default:
		d.scroll(km)
	}
	return nil
}

// scroll moves the viewport for a scrolling key, then colours the lines
// that came into view; other keys do nothing.
func (d *Details) scroll(km tea.KeyMsg) {
	k := d.keys
	switch {
	case key.Matches(km, k.Up):
		d.vp.ScrollUp(1)
	case key.Matches(km, k.Down):
		d.vp.ScrollDown(1)
	case key.Matches(km, k.PageUp):
		d.vp.PageUp()
	case key.Matches(km, k.PageDown):
		d.vp.PageDown()
	case key.Matches(km, k.Top):
		d.vp.GotoTop()
	case key.Matches(km, k.Bottom):
		d.vp.GotoBottom()
	default:
		return
	}
	d.colourVisible()
}

func (d *Details) updateSearchInput(km tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(km, d.keys.Confirm):
		d.confirmSearch()
		return nil
	case key.Matches(km, d.keys.Clear):
		d.typing = false
		d.input.Blur()
		d.setQuery("")
		return nil
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(km)
	if d.textBytes <= liveSearchLimit {
		d.setQuery(d.input.Value())
	}
	return cmd
}

func (d *Details) confirmSearch() {
	d.typing = false
	d.input.Blur()
	d.setQuery(d.input.Value())
}

// shownBody is what `e` hands to the editor: the raw body of the body
// tabs, the tab's text otherwise.
func (d *Details) shownBody() []byte {
	switch d.tab {
	case TabResponse:
		return append([]byte(nil), d.x.ResponseBody...)
	case TabRequest:
		return append([]byte(nil), d.x.RequestBody...)
	}
	return []byte(strings.Join(d.plain, "\n"))
}

func (d *Details) cycleTab(delta int) {
	tabs := d.tabs()
	for i, t := range tabs {
		if t == d.tab {
			d.SetTab(tabs[(i+delta+len(tabs))%len(tabs)])
			return
		}
	}
}

// rebuild lays out the active tab at the current width and hands it to
// the viewport, which keeps the scroll position. It runs on a new
// exchange, a tab switch or a width change, never from View.
func (d *Details) rebuild() {
	d.dirty = true
	d.lines, d.plain, d.body, d.textBytes = nil, nil, nil, 0
	if d.width <= 0 {
		return
	}
	var doc tabDoc
	if !d.has {
		doc.line(d.th.Faint.Render("No exchange selected."))
	} else {
		d.renderTab(&doc)
	}
	d.body = doc.body
	d.lines = doc.wrap(d.width)
	d.plain = make([]string, len(d.lines))
	for i, l := range d.lines {
		d.plain[i] = l.plain
		d.textBytes += len(l.plain) + 1
	}
	d.vp.SetContent(strings.Join(d.plain, "\n"))
	d.findMatches()
	d.layout()
}

// layout sizes the viewport: the tab bar takes the first line and the
// search line, while there is one, the last.
func (d *Details) layout() {
	d.dirty = true
	h := d.height - 1
	if d.typing || d.query != "" {
		h--
	}
	d.vp.Width, d.vp.Height = max(0, d.width), max(0, h)
	d.vp.SetYOffset(d.vp.YOffset)
	d.colourVisible()
}

// colourVisible makes sure the lines on screen have their colours; body
// lines are coloured block by block the first time they show.
func (d *Details) colourVisible() {
	end := min(len(d.lines), d.vp.YOffset+d.vp.Height)
	for i := max(0, d.vp.YOffset); i < end; i++ {
		if d.lines[i].ready {
			continue
		}
		// All pieces of one wrapped source line get coloured together.
		start := i - d.lines[i].piece
		stop := start + 1
		for stop < len(d.lines) && d.lines[stop].src == d.lines[start].src && d.lines[stop].piece > 0 {
			stop++
		}
		styled := d.body.styledLine(d.lines[start].src)
		pieces := []string{styled}
		if stop-start > 1 {
			pieces = strings.Split(ansi.Hardwrap(styled, d.width, true), "\n")
		}
		for k := start; k < stop; k++ {
			d.lines[k].ready = true
			d.lines[k].styled = d.lines[k].plain
			if len(pieces) == stop-start {
				d.lines[k].styled = pieces[k-start]
			}
		}
	}
}

// SetQuery searches the active tab for q as if it had been typed after
// `/` and confirmed: the first match is shown and n/N walk the matches.
// An empty q clears the search. It works with or without focus.
func (d *Details) SetQuery(q string) {
	d.typing = false
	d.input.Blur()
	d.input.SetValue(q)
	d.setQuery(q)
	d.dirty = true
}

// setQuery runs a search over the tab's plain text and jumps to the first
// match.
func (d *Details) setQuery(q string) {
	d.query = q
	d.findMatches()
	d.layout()
	d.jump()
}

// findMatches searches the tab's shown lines for the query; a hit may run
// over the break of a wrapped line.
func (d *Details) findMatches() {
	cont := make([]bool, len(d.lines))
	for i, l := range d.lines {
		cont[i] = l.piece > 0
	}
	d.matches, d.hits = findWrappedMatches(d.plain, cont, d.query)
	d.current = 0
}

// step moves to the next (+1) or previous (-1) match, wrapping around.
func (d *Details) step(delta int) {
	if d.hits == 0 {
		return
	}
	d.current = (d.current + delta + d.hits) % d.hits
	d.jump()
}

// jump scrolls so the current match sits a third of the way down.
func (d *Details) jump() {
	k := sort.Search(len(d.matches), func(k int) bool { return d.matches[k].n >= d.current })
	if k == len(d.matches) {
		return
	}
	d.vp.SetYOffset(d.matches[k].line - d.vp.Height/3)
	d.colourVisible()
	d.dirty = true
}

// matchesOn returns the matches on screen line i and the index of the
// current match among them (-1 if it is elsewhere).
func (d *Details) matchesOn(i int) ([]match, int) {
	lo := sort.Search(len(d.matches), func(k int) bool { return d.matches[k].line >= i })
	hi := lo
	for hi < len(d.matches) && d.matches[hi].line == i {
		hi++
	}
	cur := -1
	for k := lo; k < hi; k++ {
		if d.matches[k].n == d.current {
			cur = k - lo
		}
	}
	return d.matches[lo:hi], cur
}

// View draws the tab bar, the visible lines and the search line, exactly
// width×height. Only the visible lines are touched, and the result is
// cached until something changes.
func (d *Details) View() string {
	if !d.dirty {
		return d.view
	}
	d.dirty = false
	if d.width <= 0 || d.height <= 0 {
		d.view = ""
		return d.view
	}
	var b strings.Builder
	b.Grow((d.width + 8) * d.height * 2)
	b.WriteString(d.tabBarLine())
	blank := strings.Repeat(" ", d.width)
	top := d.vp.YOffset
	for i := top; i < top+d.vp.Height; i++ {
		b.WriteByte('\n')
		if i >= len(d.lines) {
			b.WriteString(blank)
			continue
		}
		l := d.lines[i]
		text := l.styled
		if !l.ready {
			text = l.plain
		}
		if ms, cur := d.matchesOn(i); len(ms) > 0 {
			b.WriteString(fitLine(markMatches(d.th, l.plain, ms, cur), d.width))
			continue
		}
		// Pad by the plain twin's width: cheaper than measuring escapes.
		b.WriteString(text)
		if pad := d.width - plainWidth(l.plain); pad > 0 {
			b.WriteString(blank[:pad])
		}
	}
	if d.typing || d.query != "" {
		b.WriteByte('\n')
		b.WriteString(fitLine(d.searchLine(), d.width))
	}
	d.view = b.String()
	return d.view
}

// plainWidth is the cell width of text without escapes, fast for ASCII.
func plainWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// tabBarLine is the tab bar fitted to the width, drawn once per tab,
// width and tab set.
func (d *Details) tabBarLine() string {
	key := d.tab + "|" + strconv.Itoa(d.width) + "|" + strconv.FormatBool(d.inspector != "")
	if key != d.barKey {
		d.barKey, d.bar = key, fitLine(d.tabBar(), d.width)
	}
	return d.bar
}

func (d *Details) tabBar() string {
	// Full names, then short ones, then short ones without padding, so
	// every tab stays visible in a narrow pane.
	render := func(short, tight bool) string {
		tab, active, sep := d.th.Tab, d.th.TabActive, ""
		if tight {
			tab, active, sep = tab.UnsetPadding(), active.UnsetPadding(), " "
		}
		var parts []string
		for _, t := range d.tabs() {
			name := t
			if short {
				name = shortTabs[t]
			}
			if t == d.tab {
				parts = append(parts, active.Render("["+name+"]"))
			} else {
				parts = append(parts, tab.Render(name))
			}
		}
		return strings.Join(parts, sep)
	}
	bar := render(false, false)
	if ansi.StringWidth(bar) > d.width {
		bar = render(true, false)
	}
	if ansi.StringWidth(bar) > d.width {
		bar = render(true, true)
	}
	return bar
}

func (d *Details) searchLine() string {
	if d.typing {
		return d.input.View()
	}
	status := "no matches"
	if n := d.hits; n > 0 {
		status = strconv.Itoa(d.current+1) + "/" + strconv.Itoa(n)
	}
	return d.th.Marker.Render("/") + termsafe.Line(d.query) + "  " + d.th.Bold.Render(status) + d.th.Faint.Render("  n/N next/prev · esc clear")
}

// ShortHelp lists the pane's main keys.
func (d *Details) ShortHelp() []key.Binding {
	if d.typing { // the search input owns the keyboard
		return []key.Binding{d.keys.Confirm, d.keys.Clear}
	}
	return []key.Binding{d.keys.NextTab, d.keys.Search, d.keys.Matches, d.keys.Editor}
}

// FullHelp lists every key of the pane.
func (d *Details) FullHelp() [][]key.Binding {
	k := d.keys
	return [][]key.Binding{
		{k.PrevTab, k.NextTab, k.TabN, k.Editor},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Search, k.Confirm, k.Matches, k.Clear},
	}
}
