package model

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// liveSource is a live session: a client whose recorder feeds the
// timeline as exchanges complete, and a form that answers the live
// challenge. Its key group is the session's: R restarts the flow, S
// starts a new session (an empty cookie jar), f runs another flow in this
// one.
type liveSource struct {
	m      *Model
	client *transport.Client
	feed   *feed
	// flowOnly (H) hides the rows beside the flow: inspector reads.
	flowOnly bool
	// marks are the separator rows between flow runs, each before the
	// exchange count it was added at.
	marks []runMark
	// inspectCancel ends the inspector read in flight; nil when none.
	inspectCancel context.CancelFunc

	req request // the client call in flight (source_live_session.go)
	// lastSent are the values of the last answer sent: a rejected answer
	// keeps them; refused are the values the client-side checks refused
	// last (valuesKey), so the same values again go as typed.
	lastSent map[string]string
	refused  string
	// in and inErr are the flow inspector's reading after the last step.
	in        *flow.Inspection
	inErr     string
	recordErr string // why the recording stopped; "" while it is fine
}

func newLiveSource(m *Model, c *transport.Client) *liveSource {
	cfg := c.Config()
	m.flowSlug = cfg.Flow
	m.host = hostOf(cfg.BaseURL)
	// The model keeps the session's exchanges itself (sessionLog: the
	// newest whole, older ones in the archive); the recorder need not hold
	// them too, or a long session's memory would grow with every body.
	c.Recorder().Retain(0)
	return &liveSource{m: m, client: c, feed: newFeed(c.Recorder())}
}

func (s *liveSource) init() tea.Cmd {
	return tea.Batch(s.feed.listen(), s.m.startFlow(startPlain, "", ""))
}

func (s *liveSource) handle(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case exchangesMsg:
		s.ingest(msg.xs)
		return s.feed.listen(), true
	case stepDoneMsg:
		cmd := s.onStepDone(msg)
		s.m.rebuildHelpLine()
		return cmd, true
	case inspectDoneMsg:
		s.onInspectDone(msg)
		return nil, true
	}
	return nil, false
}

func (s *liveSource) close() {
	s.endRequest()
	s.stopInspect()
	s.feed.close()
}

// rows are the session's exchanges (the timeline also gets each one as
// it arrives), with a separator before each flow run after the first.
func (s *liveSource) rows() []views.ExchangeRow { return s.liveRows() }

// runMark is a separator row, shown before exchange number at.
type runMark struct {
	at  int
	row views.ExchangeRow
}

func (s *liveSource) liveRows() []views.ExchangeRow {
	out := make([]views.ExchangeRow, 0, s.m.session.len()+len(s.marks))
	k := 0
	for i, e := range s.m.session.entries {
		for ; k < len(s.marks) && s.marks[k].at <= i; k++ {
			out = append(out, s.marks[k].row)
		}
		if s.listed(e.row) {
			out = append(out, e.row)
		}
	}
	for ; k < len(s.marks); k++ {
		out = append(out, s.marks[k].row)
	}
	return out
}

// markRun puts a separator row into the timeline where a flow run
// starts (restart, new session, another flow); none before the first.
func (s *liveSource) markRun(what, slug string) {
	m := s.m
	if m.session.len() == 0 {
		return
	}
	row := views.ExchangeRow{ID: -(len(s.marks) + 1), Separator: true, Aside: true, Dim: true,
		Method: "RUN", Flow: slug, Note: what + " · " + slug}
	s.marks = append(s.marks, runMark{at: m.session.len(), row: row})
	m.timeline.Append(row)
}

// toggleFlowOnly is H: hide or show the rows beside the flow.
func (s *liveSource) toggleFlowOnly() {
	m := s.m
	s.flowOnly = !s.flowOnly
	n := 0
	for _, e := range m.session.entries {
		if e.row.Aside {
			n++
		}
	}
	m.refreshRows()
	if s.flowOnly {
		m.setStatus(plural(n, "inspector read")+" hidden ("+keyName(m.keys.Hidden)+" shows them)", false)
	} else {
		m.setStatus(plural(n, "inspector read")+" shown ("+keyName(m.keys.Hidden)+" hides them)", false)
	}
}

func (s *liveSource) idOffset() int                 { return 0 }
func (s *liveSource) drain() []*transport.Exchange  { return s.feed.drain() }
func (s *liveSource) selectRow(int) (tea.Cmd, bool) { return nil, false }
func (s *liveSource) goLive() tea.Cmd               { return s.m.followLive() }
func (s *liveSource) flowBase() (string, error)     { return s.client.Config().BaseURL, nil }
func (s *liveSource) answerSent()                   {}
func (s *liveSource) answerDropped(bool)            {}
func (s *liveSource) formKeys() bool                { return true }
func (s *liveSource) state(flowState string) string { return flowState }
func (s *liveSource) prompt() prompt                { return nil }
func (s *liveSource) fullHelp() [][]key.Binding {
	g := s.m.keys.FullHelp()
	g[2] = append(g[2], s.m.keys.Hidden) // with the other keys of the session
	return g
}
func (s *liveSource) hint() (string, bool)             { return "", false }
func (s *liveSource) stepDone(*flow.Challenge) tea.Cmd { return s.inspectIfAsked() }
func (s *liveSource) curl(int) (tea.Cmd, bool)         { return nil, false }
func (s *liveSource) listed(r views.ExchangeRow) bool  { return !(s.flowOnly && r.Aside) }

// send runs call on the client; the inspector read of the last step is
// stale once it goes.
func (s *liveSource) send(call stepCall) tea.Cmd {
	s.stopInspect()
	return s.sendOn(call)
}

// startFlow begins the flow again. Jar and flow changes happen inside the
// command, ordered before the Start they belong to.
func (s *liveSource) startFlow(mode startMode, slug, query string) tea.Cmd {
	m := s.m
	switch mode {
	case startOtherFlow:
		s.markRun("another flow", slug)
		m.flowSlug = slug
	case startNewJar:
		s.markRun("new session", m.flowSlug)
	default:
		s.markRun("restart", m.flowSlug)
	}
	cmd := s.restart(func(ctx context.Context, c *transport.Client) (*transport.Step, error) {
		switch mode {
		case startNewJar:
			c.ResetJar()
		case startOtherFlow:
			c.UseFlow(slug, query)
		}
		return c.Start(ctx)
	})
	switch mode {
	case startNewJar:
		m.setStatus("new session: cookie jar emptied, flow restarted", false)
	case startOtherFlow:
		m.setStatus("switched to "+slug+" in the same session (cookies kept)", false)
	}
	return cmd
}

// key is the session's key group: R, S, f. N, which started a new
// session before S did, is the details pane's key for the previous search
// match (the pane takes it first while there are matches); elsewhere it
// says where the new session went.
func (s *liveSource) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	m, k := s.m, s.m.keys
	switch {
	case key.Matches(msg, k.Restart):
		return m.startFlow(startPlain, "", ""), true
	case key.Matches(msg, k.NewSession):
		return m.startFlow(startNewJar, "", ""), true
	case key.Matches(msg, k.Flows):
		m.openOverlay(overlayFlows)
		return nil, true
	case key.Matches(msg, k.Hidden):
		s.toggleFlowOnly()
		return nil, true
	case key.Matches(msg, detailsPrevMatch):
		m.setStatus("N walks search matches back ("+keyName(k.Search)+" searches); "+keyName(k.NewSession)+" starts a new session", false)
		return nil, true
	}
	return nil, false
}

// shortHelp puts first what to do after the flow ended, or how to leave
// time travel.
func (s *liveSource) shortHelp() []key.Binding {
	m, k := s.m, s.m.keys
	switch {
	case m.busy():
		return []key.Binding{k.Cancel, k.Help, k.Quit}
	case m.answer.Terminal:
		return []key.Binding{k.Restart, k.Flows, k.NewSession, k.Help, k.Quit}
	case !m.followNewest:
		return []key.Binding{k.Live, k.NextPane, k.Submit, k.Help, k.Quit}
	}
	return k.ShortHelp()
}

// inspectIfAsked reads the flow inspector after a step when an API token
// was given.
func (s *liveSource) inspectIfAsked() tea.Cmd {
	if !s.m.opts.Inspector {
		return nil
	}
	return s.inspect()
}

// inspect reads the flow inspector in a command. Its context ends with
// the next request (the reading would be stale) or on quit.
func (s *liveSource) inspect() tea.Cmd {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopInspect()
	s.inspectCancel = cancel
	c, seq := s.client, s.req.seq
	return func() tea.Msg {
		defer cancel()
		in, _, err := c.Inspect(ctx)
		return inspectDoneMsg{in: in, err: err, seq: seq}
	}
}

func (s *liveSource) stopInspect() {
	if s.inspectCancel != nil {
		s.inspectCancel()
		s.inspectCancel = nil
	}
}

func (s *liveSource) onInspectDone(msg inspectDoneMsg) {
	m := s.m
	s.ingest(s.drain())
	if msg.seq != s.req.seq {
		return
	}
	s.in, s.inErr = msg.in, ""
	if msg.err != nil {
		s.inErr = describeError(msg.err)
	}
	m.renderInspection()
}

// detailsPrevMatch is the details pane's N (the previous search match),
// which started a new session once: without matches it says where that
// went.
var detailsPrevMatch = key.NewBinding(key.WithKeys("N"))
