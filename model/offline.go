package model

import (
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/history"
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

// offlineState is what the model knows about an opened recording. Rows are
// the recording's summaries; full exchanges are read on selection, in a
// command. A recorded exchange at index i has the timeline ID i+1.
type offlineState struct {
	rec        *history.Recording
	name       string              // file name, for the header
	rows       []views.ExchangeRow // every recorded row, by index
	isHidden   []bool              // by index: not part of a flow (browser HAR)
	hidden     int                 // how many are
	showHidden bool
	stages     []int  // indices of stage challenges, ascending
	warn       string // the recording's warnings, for the status line

	want    int                         // index the panes should show, -1 none
	shown   int                         // index the panes show, -1 none
	cache   map[int]*transport.Exchange // exchanges read so far (bounded)
	loading bool

	search searchState
	replay *replayState // nil unless replaying against a live client
}

// NewOffline builds the model for a recording. Only summaries are turned
// into rows here (100,000 rows open at once); exchanges are read when
// selected.
func NewOffline(opts OfflineOptions) *Model {
	m := New(opts.Options)
	rec := opts.Recording
	o := &offlineState{rec: rec, want: -1, shown: -1, cache: map[int]*transport.Exchange{}}
	if rec.Path != "" {
		o.name = filepath.Base(rec.Path)
	}
	o.warn = strings.Join(rec.Warnings, "; ")
	o.buildRows()
	o.search.input = newSearchInput()
	m.offline = o
	if m.host == "" {
		m.host = hostOf(rec.Header.BaseURL)
	}
	if m.flowSlug == "" {
		m.flowSlug = rec.Header.Flow
	}
	if opts.Client != nil {
		m.startReplay()
	} else {
		m.live = false
		m.timeline.SetLive(false)
		m.timeline.SetLiveHelp(lastExchange.Help().Desc) // nothing is live
		m.focus = focusTimeline
		m.applyFocus()
	}
	m.refreshRows()
	if o.warn != "" {
		m.setStatus("recording: "+o.warn, true)
	}
	return m
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
			p = displayPath(s.URL)
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

// refreshRows hands the timeline the rows to show.
func (m *Model) refreshRows() { m.timeline.SetRows(m.timelineRows()) }

// timelineRows are the recorded rows (without hidden ones unless asked),
// then, when replaying, the split and the live rows.
func (m *Model) timelineRows() []views.ExchangeRow {
	o := m.offline
	rows := o.rows
	if o.hidden > 0 && !o.showHidden {
		rows = make([]views.ExchangeRow, 0, len(o.rows)-o.hidden)
		for i, r := range o.rows {
			if !o.isHidden[i] {
				rows = append(rows, r)
			}
		}
	}
	if o.replay == nil {
		return rows
	}
	// Recorded rows are context for the live replay below them.
	out := make([]views.ExchangeRow, len(rows), len(rows)+1+len(m.exchanges))
	for i, r := range rows {
		r.Dim = true
		out[i] = r
	}
	out = append(out, o.replay.splitRow())
	for _, x := range m.exchanges {
		out = append(out, exchangeRow(x))
	}
	return out
}

// recordedIndex maps a timeline ID to a recorded exchange index.
func (o *offlineState) recordedIndex(id int) (int, bool) {
	if o == nil || id < 1 || id > len(o.rows) {
		return 0, false
	}
	return id - 1, true
}

// toggleHidden shows or hides the exchanges that are not part of a flow.
func (m *Model) toggleHidden() tea.Cmd {
	o := m.offline
	if o.hidden == 0 {
		m.setStatus("this recording has no hidden exchanges", false)
		return nil
	}
	o.showHidden = !o.showHidden
	m.refreshRows()
	if o.showHidden {
		m.setStatus(plural(o.hidden, "non-flow exchange")+" shown (H hides them)", false)
	} else {
		m.setStatus(plural(o.hidden, "non-flow exchange")+" hidden (H shows them)", false)
	}
	if o.shown >= 0 && (o.showHidden || !o.isHidden[o.shown]) {
		m.timeline.Select(o.shown + 1)
	}
	return nil
}

// offlineHeader adjusts the header for a recording: its file, and the
// flow and stage of the selection.
func (m *Model) offlineHeader(s *views.HeaderState) {
	o := m.offline
	name := o.name
	if name == "" {
		name = "recording"
	}
	if o.replay == nil || !m.live {
		if i, ok := o.recordedIndex(m.timeline.SelectedID()); ok {
			run := o.rec.FlowAt(i)
			s.Flow = run.Slug
			if s.Flow == "" {
				s.Flow = o.rec.Summary(i).Flow
			}
			// Steps count from each flow start, as in a live session.
			s.Step = o.stageNumber(i) - o.stageNumber(run.First-1)
		}
	}
	if o.replay == nil {
		s.State = "offline · " + name
		return
	}
	s.State += " · replaying " + name
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
