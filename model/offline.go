package model

import (
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/exchangeview"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// OfflineOptions opens a recording in the TUI. Options.Client, when set,
// replays the recording against that client: each live challenge gets the
// recorded answer pre-filled (`open --live`); the other Options apply to
// that live session as to any other.
type OfflineOptions struct {
	Options
	Recording *history.Recording
}

// offlineState is the browser of an opened recording that the recording
// and replay sources share: its rows, stages, the exchanges read so far,
// the search over every stored body. Rows are the recording's summaries;
// full exchanges are read on selection, in a command. A recorded exchange
// at index i has the timeline ID i+1.
type offlineState struct {
	m          *Model
	rec        *history.Recording
	name       string              // file name, for the header
	rows       []views.ExchangeRow // every recorded row, by index
	isHidden   []bool              // by index: not part of a flow (browser HAR)
	hidden     int                 // how many are
	showHidden bool
	hideAside  bool  // H also hides inspector reads
	stages     []int // indices of stage challenges, ascending
	// inspectorReads counts the recorded inspector reads (the Inspector
	// tab shows the one that belongs to the selection).
	inspectorReads int
	warn           string // the recording's warnings, for the status line

	want     int                         // index the panes should show, -1 none
	wantForm bool                        // the form should show want's stage, as answered
	shown    int                         // index the panes show, -1 none
	cache    map[int]*transport.Exchange // exchanges read so far (bounded)
	loading  bool
	// in and inErr are the inspector read recorded with the selection.
	in    *flow.Inspection
	inErr string

	search searchState
}

// newOfflineState indexes a recording for m. Only summaries are turned
// into rows here (100,000 rows open at once); exchanges are read when
// selected.
func newOfflineState(m *Model, rec *history.Recording) *offlineState {
	o := &offlineState{m: m, rec: rec, want: -1, shown: -1, cache: map[int]*transport.Exchange{}}
	if rec.Path != "" {
		o.name = filepath.Base(rec.Path)
	}
	o.warn = strings.Join(rec.Warnings, "; ")
	o.buildRows()
	o.search.input = newSearchInput()
	if m.host == "" {
		m.host = hostOf(rec.Header.BaseURL)
	}
	if m.flowSlug == "" {
		m.flowSlug = rec.Header.Flow
	}
	return o
}

// displayName is the recording's file name for the header.
func (o *offlineState) displayName() string {
	if o.name == "" {
		return "recording"
	}
	return o.name
}

// hostOf is the host of a base URL, or the URL as given.
func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}

// buildRows turns every summary into a timeline row and finds the stage
// challenges. URLs repeat (one executor URL per flow), so their display
// paths are computed once each.
func (o *offlineState) buildRows() {
	n := o.rec.Len()
	o.rows = make([]views.ExchangeRow, n)
	o.isHidden = make([]bool, n)
	paths := map[string]string{}
	stage := "" // the last stage challenge: what the next POST answers
	for i := 0; i < n; i++ {
		s := o.rec.Summary(i)
		p, ok := paths[s.URL]
		if !ok {
			p = exchangeview.DisplayPath(s.URL)
			paths[s.URL] = p
		}
		if s.Kind == transport.KindPage {
			stage = "" // a flow (re)starts
		}
		o.rows[i] = summaryRow(s, i+1, p, stage)
		if s.Hidden {
			o.isHidden[i] = true
			o.hidden++
		}
		if s.Kind == transport.KindInspector {
			o.inspectorReads++
		}
		if isStage(s) {
			o.stages = append(o.stages, i)
			stage = s.Component
		}
	}
}

// isStage: the exchange brought a challenge of the flow (not an inspector
// read, not a browser's other request).
func isStage(s history.Summary) bool {
	return s.Component != "" && !s.Hidden && s.Kind != transport.KindInspector
}

// visibleRows are the recorded rows, without hidden ones unless asked,
// with a separator row where each flow run after the first starts.
func (o *offlineState) visibleRows() []views.ExchangeRow {
	runs := o.rec.Flows
	if (o.hidden == 0 || o.showHidden) && !o.hideAside && len(runs) < 2 {
		return o.rows
	}
	rows := make([]views.ExchangeRow, 0, len(o.rows)+len(runs))
	k := 1
	for i, r := range o.rows {
		for ; k < len(runs) && runs[k].First <= i; k++ {
			rows = append(rows, runSeparator(k, runs[k]))
		}
		if (o.showHidden || !o.isHidden[i]) && !(o.hideAside && r.Aside) {
			rows = append(rows, r)
		}
	}
	return rows
}

// runSeparator is the timeline row where recorded flow run k starts.
func runSeparator(k int, run history.FlowRun) views.ExchangeRow {
	what := "flow " + strconv.Itoa(k+1)
	if run.NewSession {
		what += ", new session"
	}
	return views.ExchangeRow{ID: -(offlineSeparatorIDs + k), Separator: true, Aside: true, Dim: true,
		Method: "RUN", Flow: run.Slug, Note: what + " · " + run.Slug}
}

// offlineSeparatorIDs keeps a recording's separator IDs apart from those
// of a live replay's runs.
const offlineSeparatorIDs = 1 << 20

// curl is Y on recorded row id: the command reads the exchange and the
// jar before it.
func (o *offlineState) curl(id int) (tea.Cmd, bool) {
	i, ok := o.recordedIndex(id)
	if !ok {
		return nil, false
	}
	return o.m.recordedCurl(o.rec, i), true
}

// recordedIndex maps a timeline ID to a recorded exchange index.
func (o *offlineState) recordedIndex(id int) (int, bool) {
	if id < 1 || id > len(o.rows) {
		return 0, false
	}
	return id - 1, true
}

// toggleHidden shows or hides the exchanges that are not part of a flow.
func (o *offlineState) toggleHidden() tea.Cmd {
	m := o.m
	n := o.hidden + o.inspectorReads
	if n == 0 {
		m.setStatus("this recording has no exchanges beside the flow to hide", false)
		return nil
	}
	if o.hidden > 0 {
		o.showHidden = !o.showHidden
		o.hideAside = !o.showHidden
	} else {
		o.hideAside = !o.hideAside
	}
	m.refreshRows()
	if o.hideAside || !o.showHidden && o.hidden > 0 {
		m.setStatus(plural(n, "exchange")+" beside the flow hidden ("+keyName(m.keys.Hidden)+" shows them)", false)
	} else {
		m.setStatus(plural(n, "exchange")+" beside the flow shown ("+keyName(m.keys.Hidden)+" hides them)", false)
	}
	if o.shown >= 0 && (o.showHidden || !o.isHidden[o.shown]) && !(o.hideAside && o.rows[o.shown].Aside) {
		m.timeline.Select(o.shown + 1)
	}
	return nil
}

// headerForSelection puts the flow and stage of the selected recorded
// exchange into the header.
func (o *offlineState) headerForSelection(s *views.HeaderState) {
	i, ok := o.recordedIndex(o.m.timeline.SelectedID())
	if !ok {
		return
	}
	run := o.rec.FlowAt(i)
	s.Flow = run.Slug
	if s.Flow == "" {
		s.Flow = o.rec.Summary(i).Flow
	}
	// Steps count from each flow start, as in a live session.
	s.Step = o.stageNumber(i) - o.stageNumber(run.First-1)
}

// stageNumber is the 1-based number of the stage exchange i belongs to, 0
// before the first.
func (o *offlineState) stageNumber(i int) int {
	n, _ := slices.BinarySearch(o.stages, i+1)
	return n
}

// stageAtOrBefore is the index of the stage challenge that exchange i
// belongs to, -1 before the first.
func (o *offlineState) stageAtOrBefore(i int) int {
	n := o.stageNumber(i)
	if n == 0 {
		return -1
	}
	return o.stages[n-1]
}

// answerOf finds the recorded POST that answered stage s: the first POST
// to the executor after it, up to and including the next stage challenge
// (a POST can bring the next challenge itself), within the same flow run.
func (o *offlineState) answerOf(s int) int {
	end := o.rec.Len() - 1
	if k, _ := slices.BinarySearch(o.stages, s+1); k < len(o.stages) {
		end = o.stages[k]
	}
	run := o.rec.FlowAt(s).First
	for j := s + 1; j <= end; j++ {
		sum := o.rec.Summary(j)
		if o.rec.FlowAt(j).First != run {
			break
		}
		if sum.Method == "POST" && !sum.Hidden && sum.Kind != transport.KindInspector {
			return j
		}
	}
	return -1
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// key is the key group of browsing a recording, shared by the recording
// and replay sources: > and < step through stages, H shows hidden
// requests, / searches every stored body (in the details pane, / is the
// pane's search of the shown exchange), and while there are hits ctrl+n
// and ctrl+p walk them and esc clears them.
func (o *offlineState) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	k, hits := o.m.keys, len(o.search.hits) > 0
	switch {
	case key.Matches(msg, k.NextStage):
		return o.stepStage(1), true
	case key.Matches(msg, k.PrevStage):
		return o.stepStage(-1), true
	case key.Matches(msg, k.Hidden):
		return o.toggleHidden(), true
	case key.Matches(msg, k.Search):
		return o.openSearch(), true
	case hits && key.Matches(msg, k.NextHit):
		return o.gotoHit(o.search.hit + 1), true
	case hits && key.Matches(msg, k.PrevHit):
		return o.gotoHit(o.search.hit - 1), true
	case hits && key.Matches(msg, k.Cancel):
		o.clearSearch()
		return nil, true
	}
	return nil, false
}

// handle takes the messages of the recording's commands.
func (o *offlineState) handle(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case offlineLoadedMsg:
		return o.onLoaded(msg), true
	case searchDoneMsg:
		return o.onSearchDone(msg), true
	}
	return nil, false
}

// shortHelp is the one-line help while looking at the recording; extra
// comes before help and quit.
func (o *offlineState) shortHelp(extra ...key.Binding) []key.Binding {
	k := o.m.keys
	if len(o.search.hits) > 0 {
		return []key.Binding{k.NextHit, k.PrevHit, k.NextStage, k.PrevStage, k.Cancel, k.Help, k.Quit}
	}
	out := []key.Binding{k.NextStage, k.PrevStage, k.Search}
	if o.hidden > 0 {
		out = append(out, k.Hidden)
	}
	out = append(out, extra...)
	return append(out, k.Help, k.Quit)
}

// keyGroup is the `?` overlay's group of the recording's keys.
func (o *offlineState) keyGroup() []key.Binding {
	k := o.m.keys
	return []key.Binding{k.NextStage, k.PrevStage, k.Hidden, k.NextHit, k.PrevHit}
}

// stepStage moves the timeline to the next (+1) or previous (-1) stage
// challenge: recorded ones, then those of a live replay.
func (o *offlineState) stepStage(delta int) tea.Cmd {
	m := o.m
	ids := o.stageIDs()
	if len(ids) == 0 {
		m.setStatus("no stage challenges here", true)
		return nil
	}
	cur := m.timeline.SelectedID()
	k, found := slices.BinarySearch(ids, cur)
	switch {
	case delta > 0 && found:
		k++
	case delta < 0:
		k--
	}
	if k < 0 || k >= len(ids) {
		if delta > 0 {
			m.setStatus("that was the last stage", false)
		} else {
			m.setStatus("that was the first stage", false)
		}
		return nil
	}
	m.setStatus("", false)
	m.timeline.Select(ids[k])
	return m.timeTravel(ids[k])
}

// stageIDs are the timeline IDs of every stage challenge, ascending: the
// recorded ones, then those the session brought (a live replay's).
func (o *offlineState) stageIDs() []int {
	m := o.m
	ids := make([]int, 0, len(o.stages)+m.session.len())
	for _, i := range o.stages {
		ids = append(ids, i+1)
	}
	for _, e := range m.session.entries {
		if e.component != "" && e.kind != transport.KindInspector {
			ids = append(ids, e.id)
		}
	}
	return ids
}
