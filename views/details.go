package views

import (
	"bytes"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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
	TabURL         = "URL"
)

// allTabs are the tabs in key order: key n is allTabs[n-1] whether or not
// the tabs before it are shown (Inspector only with an inspection).
var allTabs = []string{TabResponse, TabRequest, TabReqHeaders, TabRespHeaders, TabCookies, TabTiming, TabInspector, TabURL}

// Tabs are the details pane's tabs in key order (key n is Tabs()[n-1]).
func Tabs() []string { return append([]string(nil), allTabs...) }

// shortTabs are used when the full tab bar does not fit.
var shortTabs = map[string]string{
	TabResponse: "Res", TabRequest: "Req", TabReqHeaders: "ReqH", TabRespHeaders: "ResH",
	TabCookies: "Jar", TabTiming: "Time", TabInspector: "Insp", TabURL: "URL",
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
		TabN:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8"), key.WithHelp("1-8", "go to tab")),
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
// JSON, highlighting, wrapping) happens once per exchange, tab switch or
// width change, never in View, which only joins strings. Small tabs are
// laid out at once; with SetAsyncAbove, a larger body is laid out by a
// command (TakeRender) while the pane shows a placeholder with its size,
// and SetRendered takes the result unless something newer was asked for.
// A body over 1 MiB streams in: its first screens show while the whole
// is laid out (details_stream.go).
type Details struct {
	th      *Theme
	keys    detailsKeys
	width   int
	height  int
	focused bool
	frame   frameCache // the last framed output (frame_cache.go)

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

	// Layout off the event loop (see SetAsyncAbove). gen numbers the
	// layout requests; a result for an older one is dropped.
	asyncAbove int
	gen        int
	job        tea.Cmd      // the command TakeRender hands out; nil when none
	stale      *atomic.Bool // tells the running job it is no longer wanted
	// waiting is the size of the body being laid out, 0 when nothing is
	// awaited. Meanwhile the placeholder shows and vp.YOffset keeps the
	// position to return to.
	waiting   int
	jumpToHit bool // a search was set while waiting: jump once it arrives
	// partial: while waiting, the body's beginning shows instead of the
	// placeholder; search and scrolling wait for the whole.
	partial bool

	vp      scroller
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
	return &Details{th: th, keys: newDetailsKeys(), tab: TabResponse, input: in, dirty: true}
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
		out := make([]string, 0, len(allTabs)-1)
		for _, t := range allTabs {
			if t != TabInspector {
				out = append(out, t)
			}
		}
		return out
	}
	return allTabs
}

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
		t := allTabs[int(km.String()[0]-'1')]
		if t == TabInspector && d.inspector == "" {
			return statusCmd("no inspector reading here: it needs --token or --inspector-token (a recording shows the inspector reads it holds)", false)
		}
		d.SetTab(t)
	case key.Matches(km, k.Editor):
		body := d.shownBody()
		return func() tea.Msg { return EditorMsg{Body: body} }
	default:
		d.scroll(km)
	}
	return nil
}

// shownBody is what `e` hands to the editor: the raw body of the body
// tabs, the tab's text otherwise.
func (d *Details) shownBody() []byte {
	switch d.tab {
	case TabResponse:
		return append([]byte(nil), d.x.ResponseBody...)
	case TabRequest:
		return append([]byte(nil), d.x.RequestBody...)
	case TabURL:
		return []byte(d.x.URL)
	}
	return []byte(strings.Join(d.plain, "\n"))
}

// Shown is what the pane shows as a value to copy: the raw body of the
// body tabs, the full URL on the URL tab, the tab's text otherwise; what
// names it ("response body of #7").
func (d *Details) Shown() (value []byte, what string) {
	if !d.has {
		return nil, ""
	}
	name := map[string]string{TabResponse: "response body", TabRequest: "request body", TabURL: "URL"}[d.tab]
	if name == "" {
		name = strings.ToLower(d.tab) + " tab"
	}
	return d.shownBody(), name + " of #" + strconv.Itoa(d.x.ID)
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
	top := d.top()
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
	if d.typing || d.query != "" || d.partial {
		line := d.searchLine()
		if d.partial && !d.typing {
			line = d.streamLine()
		}
		b.WriteByte('\n')
		b.WriteString(fitLine(line, d.width))
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
