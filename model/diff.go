package model

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	_ "github.com/akinspect/akinspect/history/har" // history.Open reads HAR files too (D picks one)
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/internal/exchangeview"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// The diff view: m marks the selected exchange, d compares the selected
// one with the mark, D compares the whole session with a recording chosen
// in a prompt, stage by stage (replay.DiffRecordings), and n/N step
// through what differs. The view is full screen, drawn in place of the
// panes as an overlay; reading, comparing and laying out run in commands.

// diffState is the mark and the open view.
type diffState struct {
	mark int       // timeline ID marked with m, 0 none
	view *diffView // nil when no view is open
	seq  int       // the latest request; older results are dropped
}

// diffView is one open comparison, laid out for a width.
type diffView struct {
	title string
	in    views.DiffInput
	lines []string
	hunks []int // first lines of the body hunks
	width int   // what lines were laid out for
	top   int
	// run is the whole-run comparison (D); nil for two exchanges (d).
	run *runDiff
	// cache of the last frame
	frame            string
	frameTop, frameW int
	frameH           int
}

// Diff keys: m, d and D outside text fields; inside the view n/N walk the
// differences (search matches have no meaning there), esc or q closes.
var (
	diffNext  = key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next difference"))
	diffPrev  = key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous difference"))
	diffClose = key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "close the diff"))
	diffUp    = key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll"))
	diffDown  = key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll"))
	diffPgUp  = key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up"))
	diffPgDn  = key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "page down"))
	diffHome  = key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top"))
	diffEnd   = key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom"))
	diffHelpK = key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help"))

	diffPromptRun   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "compare"))
	diffPromptClose = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
)

// diffViewKeys are the `?` overlay's group while the view is open.
func diffViewKeys() []key.Binding {
	return []key.Binding{diffNext, diffPrev, diffUp, diffDown, diffPgUp, diffPgDn, diffHome, diffEnd, diffClose}
}

// diffShortHelp is the help line while the view or its prompt is open.
func (m *Model) diffShortHelp() ([]key.Binding, bool) {
	switch m.overlay.kind {
	case overlayDiff:
		return []key.Binding{diffNext, diffPrev, diffDown, diffPgDn, diffHelpK, diffClose, m.keys.ForceQuit}, true
	case overlayDiffPrompt:
		return []key.Binding{diffPromptRun, diffPromptClose, m.keys.ForceQuit}, true
	}
	return nil, false
}

// Messages of the diff commands.
type (
	diffReadyMsg struct {
		seq  int
		view *diffView
		err  error
	}
	diffDefaultMsg struct {
		seq  int
		path string
	}
	diffLaidOutMsg struct {
		seq          int
		lines        []string
		hunks        []int
		width, stage int
	}
)

// handleDiff takes the diff commands' messages; ok is false for others.
func (m *Model) handleDiff(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case diffReadyMsg:
		if msg.seq == m.diff.seq {
			m.onDiffReady(msg)
		}
	case diffDefaultMsg:
		if msg.seq == m.diff.seq {
			m.openDiffPrompt(msg.path)
		}
	case diffLaidOutMsg:
		v := m.diff.view
		if msg.seq == m.diff.seq && v != nil && (v.run == nil || v.run.cur == msg.stage) {
			v.lines, v.hunks, v.width, v.frame = msg.lines, msg.hunks, msg.width, ""
			m.setStatus(m.diffStatus(), false)
		}
	default:
		return nil, false
	}
	return nil, true
}

// toggleMark is m: mark the selected exchange, or unmark it. The mark is
// the timeline's, so it survives rows being rebuilt (H, new rows).
func (m *Model) toggleMark() tea.Cmd {
	id := m.timeline.SelectedID()
	if m.diff.mark != 0 && m.diff.mark == id {
		m.diff.mark = 0
		m.timeline.SetMarked(0)
		m.setStatus(fmt.Sprintf("#%d unmarked", id), false)
		return nil
	}
	if _, ok := m.rowOf(id); !ok {
		m.setStatus("nothing to mark: select an exchange in the timeline", true)
		return nil
	}
	m.diff.mark = id
	m.timeline.SetMarked(id)
	m.setStatus(fmt.Sprintf("marked #%d: select another exchange and press d to compare", id), false)
	return nil
}

// rowOf finds timeline row id; separators are no exchange.
func (m *Model) rowOf(id int) (views.ExchangeRow, bool) {
	if id == 0 {
		return views.ExchangeRow{}, false
	}
	for _, r := range m.src.rows() {
		if r.ID == id && !r.Separator {
			return r, true
		}
	}
	return views.ExchangeRow{}, false
}

// loaderFor is how exchange id is read in a command: the source's (a
// recording's file) or the session's, already in memory.
func (m *Model) loaderFor(id int) (func() (*transport.Exchange, error), bool) {
	if load, ok := m.src.exchangeLoader(id); ok {
		return load, true
	}
	return m.session.loader(id)
}

// diffMarked is d: the marked exchange (A) against the selected one (B).
func (m *Model) diffMarked() tea.Cmd {
	sel := m.timeline.SelectedID()
	switch {
	case m.diff.mark == 0:
		m.setStatus("nothing marked: m marks an exchange, then d compares the selected one with it", true)
		return nil
	case sel == m.diff.mark:
		m.setStatus(fmt.Sprintf("#%d is the marked exchange: select another one to compare", sel), true)
		return nil
	}
	la, okA := m.loaderFor(m.diff.mark)
	lb, okB := m.loaderFor(sel)
	if !okA || !okB {
		m.setStatus("select an exchange (not a separator row) to compare", true)
		return nil
	}
	m.diff.seq++
	seq, th, width, idA, idB := m.diff.seq, m.theme, m.rects.body.w, m.diff.mark, sel
	m.setStatus(fmt.Sprintf("comparing #%d with #%d…", idA, idB), false)
	return func() tea.Msg {
		a, err := la()
		if err != nil {
			return diffReadyMsg{seq: seq, err: fmt.Errorf("#%d: %w", idA, err)}
		}
		b, err := lb()
		if err != nil {
			return diffReadyMsg{seq: seq, err: fmt.Errorf("#%d: %w", idB, err)}
		}
		in := pairInput(a, b, "", "")
		in.Changes = changesOf(replay.DiffExchanges(a, b, replay.DiffOptions{}))
		v := &diffView{title: fmt.Sprintf("Diff #%d ↔ #%d", idA, idB), in: in}
		v.lines, v.hunks = views.LayoutDiff(th, in, width)
		v.width = width
		return diffReadyMsg{seq: seq, view: v}
	}
}

// pairInput is the two sides of a comparison; a nil exchange is a side
// that has none.
func pairInput(a, b *transport.Exchange, nameA, nameB string) views.DiffInput {
	return views.DiffInput{A: sideOf(a, nameA), B: sideOf(b, nameB)}
}

func sideOf(x *transport.Exchange, name string) views.DiffSide {
	prefix := ""
	if name != "" {
		prefix = name + " "
	}
	if x == nil {
		return views.DiffSide{Label: prefix + "(no such stage)"}
	}
	label := fmt.Sprintf("%s#%d %s %s", prefix, x.ID, x.Method, exchangeview.DisplayPath(x.URL))
	if x.Status != 0 {
		label += fmt.Sprintf(" → %d", x.Status)
	}
	return views.DiffSide{Label: label, Request: x.RequestBody, Response: x.ResponseBody}
}

func changesOf(ds []replay.Diff) []views.DiffChange {
	out := make([]views.DiffChange, len(ds))
	for i, d := range ds {
		out[i] = views.DiffChange{Path: d.Path, Want: d.Want, Got: d.Got}
	}
	return out
}

// onDiffReady opens the view a command prepared.
func (m *Model) onDiffReady(msg diffReadyMsg) {
	if msg.err != nil {
		m.setStatus("cannot compare: "+msg.err.Error(), true)
		return
	}
	m.diff.view = msg.view
	if r := msg.view.run; r != nil && len(r.steps) > 0 {
		m.selectDiffRow(r.steps[r.cur].row)
	}
	m.overlay = overlay{kind: overlayDiff}
	m.palette = nil
	m.setStatus(m.diffStatus(), false)
	m.rebuildHelpLine()
}

// diffStatus says where in the comparison the view is.
func (m *Model) diffStatus() string {
	v := m.diff.view
	if v == nil {
		return ""
	}
	if r := v.run; r != nil {
		if len(r.steps) == 0 {
			return "no stage differs from " + r.name + " (volatile values ignored) · esc closes"
		}
		return fmt.Sprintf("difference %d of %d · n/N step through them · esc closes", r.cur+1, len(r.steps))
	}
	n := len(v.in.Changes)
	return fmt.Sprintf("%s, %s in the bodies · n/N walk the hunks · esc closes", plural(n, "difference"), plural(len(v.hunks), "hunk"))
}

// closeDiff is esc in the view.
func (m *Model) closeDiff() {
	m.diff.view = nil
	m.diff.seq++
	m.closeOverlay()
	m.setStatus("", false)
	m.rebuildHelpLine()
}

// diffKey is a key while the view is open.
func (m *Model) diffKey(msg tea.KeyMsg) tea.Cmd {
	v := m.diff.view
	if v == nil {
		m.closeOverlay()
		return nil
	}
	page := max(1, m.rects.body.h-3)
	switch {
	case key.Matches(msg, diffClose):
		m.closeDiff()
	case key.Matches(msg, diffHelpK):
		m.openOverlay(overlayHelp)
	case key.Matches(msg, diffNext):
		return m.stepDiff(1)
	case key.Matches(msg, diffPrev):
		return m.stepDiff(-1)
	case key.Matches(msg, diffUp):
		v.top--
	case key.Matches(msg, diffDown):
		v.top++
	case key.Matches(msg, diffPgUp):
		v.top -= page
	case key.Matches(msg, diffPgDn):
		v.top += page
	case key.Matches(msg, diffHome):
		v.top = 0
	case key.Matches(msg, diffEnd):
		v.top = len(v.lines)
	}
	if m.diff.view != nil {
		v.top = max(0, min(v.top, views.DiffMaxTop(len(v.lines), m.rects.body.h)))
	}
	return nil
}

// stepDiff is n/N: the next or previous differing stage of a whole-run
// comparison (selecting this session's exchange of it in the timeline),
// else the next or previous hunk of the bodies.
func (m *Model) stepDiff(delta int) tea.Cmd {
	v := m.diff.view
	if r := v.run; r != nil {
		k := r.cur + delta
		if k < 0 || k >= len(r.steps) {
			m.setStatus(edgeText(delta, "difference"), false)
			return nil
		}
		r.cur = k
		s := r.steps[k]
		v.in, v.top = s.in, 0
		cmd := m.layoutDiff(v)
		sel := m.selectDiffRow(s.row)
		m.setStatus(m.diffStatus(), false) // after the selection's own status: the view is what is open
		return tea.Batch(cmd, sel)
	}
	if delta > 0 {
		for _, h := range v.hunks {
			if h > v.top {
				v.top = h
				return nil
			}
		}
	} else {
		for i := len(v.hunks) - 1; i >= 0; i-- {
			if v.hunks[i] < v.top {
				v.top = v.hunks[i]
				return nil
			}
		}
	}
	m.setStatus(edgeText(delta, "hunk"), false)
	return nil
}

func edgeText(delta int, what string) string {
	if delta > 0 {
		return "that was the last " + what
	}
	return "that was the first " + what
}

// selectDiffRow moves the timeline (behind the view) to row id.
func (m *Model) selectDiffRow(id int) tea.Cmd {
	if id == 0 {
		return nil
	}
	m.timeline.Select(id)
	return m.timeTravel(id)
}

// layoutDiff lays the view out for the body's width: at once when the
// bodies are small, else in a command.
func (m *Model) layoutDiff(v *diffView) tea.Cmd {
	width, th, in := m.rects.body.w, m.theme, v.in
	size := len(in.A.Request) + len(in.A.Response) + len(in.B.Request) + len(in.B.Response)
	if size <= asyncRenderAbove {
		v.lines, v.hunks = views.LayoutDiff(th, in, width)
		v.width, v.frame = width, ""
		return nil
	}
	stage := -1
	if v.run != nil {
		stage = v.run.cur
	}
	seq := m.diff.seq
	return func() tea.Msg {
		lines, hunks := views.LayoutDiff(th, in, width)
		return diffLaidOutMsg{seq: seq, lines: lines, hunks: hunks, width: width, stage: stage}
	}
}

// relayoutDiff follows a resize.
func (m *Model) relayoutDiff() tea.Cmd {
	if v := m.diff.view; v != nil && v.width != m.rects.body.w {
		return m.layoutDiff(v)
	}
	return nil
}

// renderDiff draws the view into the body area; the frame is kept until
// the view scrolls or changes.
func (m *Model) renderDiff(width, height int) string {
	v := m.diff.view
	if v == nil {
		return ""
	}
	if v.frame == "" || v.frameTop != v.top || v.frameW != width || v.frameH != height {
		v.frame = views.RenderDiffView(m.theme, v.title, v.lines, v.top, width, height)
		v.frameTop, v.frameW, v.frameH = v.top, width, height
	}
	return v.frame
}

// D: the whole session against a recording.
