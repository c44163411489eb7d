package views

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/internal/termsafe"
)

// RecordingRow is one recording in the picker of `akinspect open`: what
// ls prints of it. The text is the file's and the server's, raw: the pane
// sanitizes it.
type RecordingRow struct {
	Path      string
	Modified  time.Time // drawn in its own location: the caller picks Local
	Server    string
	Flows     []string
	Exchanges int
	Result    string // "✓ finished", "✗ denied", "at <stage>", "unreadable: …"
}

// recordingItem is a row as the list holds it: its text sanitized once.
type recordingItem struct {
	row                         RecordingRow
	when, server, flows, result string
	file                        string // the path, or the name alone in the listed directory
	filter                      string
}

func (it recordingItem) FilterValue() string { return it.filter }

// RecordingList is the picker's pane: the recordings newest first, two
// lines each, with a fuzzy filter. It draws and moves; which keys do what
// is the caller's (model.RecordingPicker).
type RecordingList struct {
	th        *Theme
	filtering bool // the filter line is open
	dir       string
	list      list.Model
	w, h      int
	total     int
}

// recordingsTop is how many lines of the inside of the frame come before
// the first row: the filter line and a blank.
const recordingsTop = 2

// NewRecordingList lists rows (newest first) found in dir.
func NewRecordingList(th *Theme, dir string, rows []RecordingRow) *RecordingList {
	items := make([]list.Item, len(rows))
	resultW := 0
	for _, r := range rows {
		resultW = max(resultW, ansi.StringWidth(termsafe.Line(r.Result)))
	}
	resultW = min(resultW, 24)
	for i, r := range rows {
		it := recordingItem{
			row:    r,
			when:   r.Modified.Format("2006-01-02 15:04"),
			server: termsafe.Line(r.Server),
			flows:  termsafe.Line(strings.Join(r.Flows, ", ")),
			result: termsafe.Line(r.Result),
			file:   termsafe.Line(r.Path),
		}
		if filepath.Dir(r.Path) == filepath.Clean(dir) {
			it.file = termsafe.Line(filepath.Base(r.Path))
		}
		it.filter = strings.Join([]string{it.flows, it.server, it.result, it.file, it.when}, " ")
		items[i] = it
	}
	l := list.New(items, recordingDelegate{th: th, resultW: resultW}, 0, 0)
	l.SetShowTitle(false)
	l.SetShowFilter(false)
	l.SetShowStatusBar(false)
	l.SetShowPagination(false)
	l.SetShowHelp(false)
	l.SetFilteringEnabled(true)
	l.Filter = substringFirst
	l.DisableQuitKeybindings()
	l.FilterInput.Prompt = "/ "
	l.FilterInput.Placeholder = "type to filter: flow, server, result, file"
	l.FilterInput.PromptStyle = th.Marker
	l.FilterInput.TextStyle = th.Input
	l.FilterInput.PlaceholderStyle = th.Faint
	l.FilterInput.Cursor.SetMode(cursor.CursorStatic)
	l.FilterInput.Cursor.Style = th.Marker
	l.FilterInput.Cursor.TextStyle = th.Input
	l.Styles.NoItems = th.Faint
	return &RecordingList{th: th, dir: dir, list: l, total: len(rows)}
}

// SetSize sets the pane's size, frame included.
func (r *RecordingList) SetSize(w, h int) {
	r.w, r.h = w, h
	r.list.SetSize(max(1, w-2), max(1, h-2-recordingsTop))
	r.list.FilterInput.Width = max(1, w-2-4)
}

// Title is the frame's title.
func (r *RecordingList) Title() string { return "Recordings in " + r.dir }

// Filtering reports whether a filter is being typed.
func (r *RecordingList) Filtering() bool { return r.filtering }

// Filter is the filter typed so far.
func (r *RecordingList) Filter() string { return r.list.FilterInput.Value() }

// StartFilter opens the filter line, keeping what was typed.
func (r *RecordingList) StartFilter() tea.Cmd {
	r.filtering = true
	r.list.FilterInput.CursorEnd()
	return r.list.FilterInput.Focus()
}

// StopFilter closes the filter line and lists every recording again.
func (r *RecordingList) StopFilter() {
	r.filtering = false
	r.list.ResetFilter()
	r.list.FilterInput.Blur()
}

// FilterKey gives a key to the filter line; the matches follow at once.
func (r *RecordingList) FilterKey(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	before := r.list.FilterInput.Value()
	r.list.FilterInput, cmd = r.list.FilterInput.Update(msg)
	if v := r.list.FilterInput.Value(); v != before {
		// The list filters at once; an empty filter lists every recording.
		if v != "" {
			r.list.SetFilterText(v)
		} else {
			r.list.ResetFilter()
		}
		r.list.FilterInput.Focus()
	}
	return cmd
}

// substringFirst is list's fuzzy filter with the targets that hold the
// term as typed (any case) first: "den" puts default-denied before
// default-enrollment-flow.
func substringFirst(term string, targets []string) []list.Rank {
	ranks := list.DefaultFilter(term, targets)
	lower := strings.ToLower(term)
	slices.SortStableFunc(ranks, func(a, b list.Rank) int {
		ina := strings.Contains(strings.ToLower(targets[a.Index]), lower)
		inb := strings.Contains(strings.ToLower(targets[b.Index]), lower)
		switch {
		case ina && !inb:
			return -1
		case inb && !ina:
			return 1
		}
		return 0
	})
	return ranks
}

// Up, Down, PageUp, PageDown, Home and End move the selection.
func (r *RecordingList) Up()   { r.list.CursorUp() }
func (r *RecordingList) Down() { r.list.CursorDown() }
func (r *RecordingList) PageUp() {
	r.list.PrevPage()
}
func (r *RecordingList) PageDown() {
	r.list.NextPage()
	if len(r.list.VisibleItems()) == 0 {
		return
	}
	// The last page may be shorter than the cursor's place on the one before.
	r.list.Select(min(r.list.Index(), len(r.list.VisibleItems())-1))
}
func (r *RecordingList) Home() { r.list.GoToStart() }
func (r *RecordingList) End()  { r.list.GoToEnd() }

// Selected is the selected recording, if any matches.
func (r *RecordingList) Selected() (RecordingRow, bool) {
	it, ok := r.list.SelectedItem().(recordingItem)
	return it.row, ok
}

// ClickAt selects the row drawn at line y of the pane (0: the top border)
// and reports whether there was one.
func (r *RecordingList) ClickAt(y int) bool {
	d := recordingDelegate{}
	slot := d.Height() + d.Spacing()
	y -= 1 + recordingsTop
	if y < 0 || y%slot >= d.Height() {
		return false
	}
	i := r.list.Paginator.Page*r.list.Paginator.PerPage + y/slot
	if y/slot >= r.list.Paginator.PerPage || i >= len(r.list.VisibleItems()) {
		return false
	}
	r.list.Select(i)
	return true
}

// View draws the pane: exactly its size, framed.
func (r *RecordingList) View() string {
	if r.w <= 0 || r.h <= 0 {
		return ""
	}
	iw := max(1, r.w-2)
	visible := len(r.list.VisibleItems())
	var top string
	switch {
	case r.Filtering():
		top = r.list.FilterInput.View()
	case r.total == 0:
		top = r.th.Faint.Render("no recordings")
	default:
		top = r.th.Faint.Render(fmt.Sprintf("%d %s, newest first · / filters", r.total, plural(r.total, "recording", "recordings")))
	}
	body := fitLine(top, iw) + "\n\n"
	if visible == 0 && r.total > 0 {
		body += r.th.Faint.Render("nothing matches " + termsafe.Line(r.Filter()))
	} else {
		body += r.list.View()
	}
	info := ""
	if visible > 0 {
		info = fmt.Sprintf("%d of %d", r.list.Index()+1, visible)
	}
	return PaneFrameInfo(r.th, r.Title(), info, true, body, r.w, r.h)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// recordingDelegate draws a row on two lines:
//
//	› 2026-11-26 12:00  ✓ finished   5 exchanges  default-authentication-flow
//	  127.0.0.1:9123 · login.akinspect.jsonl
type recordingDelegate struct {
	th      *Theme
	resultW int
}

func (d recordingDelegate) Height() int                         { return 2 }
func (d recordingDelegate) Spacing() int                        { return 1 }
func (d recordingDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }
func (d recordingDelegate) Render(w io.Writer, l list.Model, i int, li list.Item) {
	it, ok := li.(recordingItem)
	if !ok {
		return
	}
	width := l.Width()
	selected := i == l.Index()
	mark, text := "  ", d.th.Input
	if selected {
		mark, text = d.th.Marker.Render("› "), d.th.Bold
	}
	result := fitLine(it.result, d.resultW)
	switch {
	case strings.HasPrefix(it.result, "✓"):
		result = d.th.Success.Render(result)
	case strings.HasPrefix(it.result, "✗"), strings.HasPrefix(it.result, "unreadable"):
		result = d.th.Error.Render(result)
	default:
		result = d.th.Warning.Render(result)
	}
	exch := fmt.Sprintf("%4d %s", it.row.Exchanges, plural(it.row.Exchanges, "exchange ", "exchanges"))
	flows := it.flows
	if flows == "" {
		flows = "—"
	}
	first := mark + text.Render(it.when) + "  " + result + "  " + d.th.Faint.Render(exch) + "  " + text.Render(flows)
	where := it.file
	if it.server != "" {
		where = it.server + " · " + it.file
	}
	second := "  " + d.th.Faint.Render(where)
	fmt.Fprint(w, fitLine(first, width)+"\n"+fitLine(second, width))
}
