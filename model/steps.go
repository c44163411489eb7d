package model

import (
	"context"
	"errors"
	"fmt"
	"sort"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// stepDoneMsg is the result of one client call. seq tells a late answer to
// a cancelled or superseded request from the current one.
type stepDoneMsg struct {
	step *transport.Step
	err  error
	seq  int
}

// inspectDoneMsg is the result of reading the flow inspector.
type inspectDoneMsg struct {
	in  *flow.Inspection
	err error
	seq int
}

// startMode says how a (re)start treats the session.
type startMode int

const (
	startPlain     startMode = iota // first start, or R: same jar
	startNewJar                     // N: empty jar
	startOtherFlow                  // f: another flow, same jar
)

// startFlow begins the flow again. Jar and flow changes happen inside the
// command, ordered before the Start they belong to.
func (m *Model) startFlow(mode startMode, slug, query string) tea.Cmd {
	if m.client == nil {
		m.setStatus("no live connection: nothing to start", true)
		return nil
	}
	if mode == startOtherFlow {
		m.flowSlug = slug
	}
	cmd := m.restart(func(ctx context.Context, c *transport.Client) (*transport.Step, error) {
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

// restart forgets the flow so far (challenge, form, step count, inspector
// reading) and sends call, which starts a flow.
func (m *Model) restart(call func(context.Context, *transport.Client) (*transport.Step, error)) tea.Cmd {
	m.challenge, m.answer, m.lastSent = nil, flow.Form{}, nil
	m.stepNo = 0
	m.answerDropped(true)
	m.inspection, m.inspectErr = nil, ""
	m.form.SetState(views.FormState{})
	return m.send(call)
}

// send runs one client call in a command with a cancellable context and
// starts the spinner. A call already in flight is cancelled first.
func (m *Model) send(call func(context.Context, *transport.Client) (*transport.Step, error)) tea.Cmd {
	if m.client == nil {
		m.setStatus("no live connection: nothing can be sent", true)
		return nil
	}
	if m.cancel != nil {
		m.cancel()
	}
	m.stopInspect()
	ctx, cancel := context.WithCancel(context.Background())
	m.seq++
	seq, c := m.seq, m.client
	m.cancel, m.sentAt = cancel, m.now()
	m.setStatus("", false)
	m.rebuildHelpLine()
	run := func() tea.Msg {
		step, err := call(ctx, c)
		return stepDoneMsg{step: step, err: err, seq: seq}
	}
	return tea.Batch(run, m.spinner.Tick)
}

// cancelInFlight aborts the running request. The session stays usable: the
// live challenge is unchanged, and the aborted exchange reaches the
// timeline as failed when the recorder reports it.
func (m *Model) cancelInFlight() {
	if !m.busy() {
		return
	}
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.seq++ // the late stepDoneMsg is now stale
	m.answerDropped(false)
	m.setStatus("request cancelled", false)
	m.rebuildHelpLine()
}

func (m *Model) onStepDone(msg stepDoneMsg) tea.Cmd {
	m.ingest(m.feed.drain())
	if msg.step != nil {
		m.ingest(msg.step.Exchanges)
	}
	if msg.seq != m.seq {
		return nil // cancelled or superseded: its exchanges are all we keep
	}
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	if msg.err != nil {
		text := describeError(msg.err)
		if msg.step != nil && msg.step.Diagnosis != "" {
			text = joinWith(" — likely cause: ", text, msg.step.Diagnosis)
		}
		m.setStatus(text, true)
		if msg.step == nil || msg.step.Challenge == nil {
			return nil
		}
	}
	if msg.step == nil || msg.step.Challenge == nil {
		m.setStatus("the server sent no challenge", true)
		return nil
	}
	m.showChallenge(msg.step.Challenge, msg.step.Diagnosis)
	var cmds []tea.Cmd
	if m.offline != nil && m.offline.replay != nil {
		cmds = append(cmds, m.replayChallenge(msg.step.Challenge))
	}
	if m.opts.Inspector {
		cmds = append(cmds, m.inspect())
	}
	return tea.Batch(cmds...)
}

// showChallenge makes c the live challenge: the form is rebuilt for it and
// takes the focus on its first field.
func (m *Model) showChallenge(c *flow.Challenge, diagnosis string) {
	if m.version == "" {
		m.version = flow.DetectVersion(c)
	}
	same := m.challenge != nil && m.challenge.Component == c.Component
	m.challenge = c
	m.stepNo++
	m.answer = flow.FormFor(c)
	if diagnosis != "" && m.answer.Result != nil {
		r := *m.answer.Result
		r.Detail = joinNonEmpty("Likely cause: "+diagnosis, r.Detail)
		m.answer.Result = &r
	}
	var values map[string]string
	if same && len(c.ResponseErrors) > 0 {
		values = keepNonSecret(m.answer, m.lastSent)
	}
	m.form.SetState(views.FormState{Form: m.answer, Challenge: c, Values: values})
	switch {
	case diagnosis != "":
		m.setStatus(diagnosis, true)
	case len(c.ResponseErrors) > 0:
		m.setStatus("the server rejected the answer: see the form", true)
	default:
		m.setStatus("", false)
	}
	m.setFocus(focusForm)
	m.form.FocusFirst()
}

// busy: a request is in flight.
func (m *Model) busy() bool { return m.cancel != nil }

// state is the header's state: idle|sending|done|denied|error|offline.
func (m *Model) state() string {
	if m.busy() {
		return "sending"
	}
	return m.settledState()
}

// settledState is the header state when nothing is in flight.
func (m *Model) settledState() string {
	if m.client == nil {
		return "offline"
	}
	if m.challenge == nil || !m.answer.Terminal {
		return "idle"
	}
	outcome := flow.OutcomeNone
	if m.answer.Result != nil {
		outcome = m.answer.Result.Outcome
	}
	switch {
	case outcome == flow.OutcomeDenied || m.challenge.Component == flow.ComponentAccessDenied:
		return "denied"
	case outcome == flow.OutcomeError || m.challenge.Component == flow.ComponentFlowError:
		return "error"
	default:
		return "done"
	}
}

// submitValues answers the live challenge with the form's values.
func (m *Model) submitValues(values map[string]string) tea.Cmd {
	if !m.canSubmit() {
		return nil
	}
	ans, err := flow.BuildAnswer(m.answer, values, m.version)
	if err != nil {
		m.setStatus("not sent: "+err.Error(), true)
		return nil
	}
	m.lastSent = values
	return m.submit(ans)
}

// submitRaw sends a raw JSON body as it is.
func (m *Model) submitRaw(body []byte) tea.Cmd {
	if !m.canSubmit() {
		return nil
	}
	return m.submit(flow.Answer{Component: m.challenge.Component, Body: body})
}

func (m *Model) canSubmit() bool {
	switch {
	case m.busy():
		m.setStatus("a request is in flight (esc cancels it)", true)
	case m.challenge == nil:
		m.setStatus("no challenge to answer yet", true)
	case m.answer.Terminal:
		m.setStatus("the flow has ended: R restarts it", true)
	default:
		return true
	}
	return false
}

func (m *Model) submit(ans flow.Answer) tea.Cmd {
	cmd := m.send(func(ctx context.Context, c *transport.Client) (*transport.Step, error) {
		return c.Submit(ctx, ans)
	})
	if cmd != nil {
		m.answerSent()
	}
	return cmd
}

// inspect reads the flow inspector in a command. Its context ends with
// the next request (the reading would be stale) or on quit.
func (m *Model) inspect() tea.Cmd {
	ctx, cancel := context.WithCancel(context.Background())
	m.stopInspect()
	m.inspectCancel = cancel
	c, seq := m.client, m.seq
	return func() tea.Msg {
		defer cancel()
		in, _, err := c.Inspect(ctx)
		return inspectDoneMsg{in: in, err: err, seq: seq}
	}
}

func (m *Model) stopInspect() {
	if m.inspectCancel != nil {
		m.inspectCancel()
		m.inspectCancel = nil
	}
}

func (m *Model) onInspectDone(msg inspectDoneMsg) tea.Cmd {
	m.ingest(m.feed.drain())
	if msg.seq != m.seq {
		return nil
	}
	m.inspection, m.inspectErr = msg.in, ""
	if msg.err != nil {
		m.inspectErr = describeError(msg.err)
	}
	m.renderInspection()
	return nil
}

func (m *Model) renderInspection() {
	if m.inspection == nil && m.inspectErr == "" {
		return
	}
	m.details.SetInspector(views.RenderInspection(m.inspection, m.inspectErr, m.rects.details.innerWidth()))
}

// onExchanges adds what the recorder reported and listens again.
func (m *Model) onExchanges(msg exchangesMsg) tea.Cmd {
	m.ingest(msg.xs)
	return m.feed.listen()
}

// ingest adds exchanges not seen yet, in ID order, to the timeline. The
// same exchange can arrive twice (from the recorder and in its step).
func (m *Model) ingest(xs []*transport.Exchange) {
	var fresh []*transport.Exchange
	for _, x := range xs {
		if x == nil {
			continue
		}
		if m.idOffset != 0 { // live rows follow a recording's rows
			c := *x
			c.ID += m.idOffset
			x = &c
		}
		if m.byID[x.ID] != nil {
			continue
		}
		m.byID[x.ID] = x
		fresh = append(fresh, x)
	}
	if len(fresh) == 0 {
		return
	}
	m.checkRecording()
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].ID < fresh[j].ID })
	for _, x := range fresh {
		m.exchanges = append(m.exchanges, x)
		m.timeline.Append(exchangeRow(x))
	}
	if m.live {
		m.showLatest()
	}
}

// checkRecording notices, as exchanges arrive, that the recording failed:
// the file would end here while the session goes on.
func (m *Model) checkRecording() {
	if m.recordErr != "" || m.opts.RecordingErr == nil {
		return
	}
	if err := m.opts.RecordingErr(); err != nil {
		m.recordErr = err.Error()
		m.setStatus(m.recordingStopped(), true)
	}
}

func (m *Model) recordingStopped() string { return "recording stopped: " + m.recordErr }

// showLatest puts the newest exchange that is part of the flow (not an
// inspector read) into the details pane.
func (m *Model) showLatest() {
	for i := len(m.exchanges) - 1; i >= 0; i-- {
		if x := m.exchanges[i]; x.Kind != transport.KindInspector {
			m.showExchange(x.ID)
			return
		}
	}
}

func (m *Model) showExchange(id int) {
	x := m.byID[id]
	if x == nil || id == m.shownID {
		return
	}
	m.shownID = id
	m.details.SetExchange(exchangeDetail(x))
}

// timeTravel shows an old exchange; the form keeps the live challenge.
// The timeline's cursor wins over the message's ID: select messages of
// fast key repeats run as separate commands and may arrive out of order.
func (m *Model) timeTravel(id int) tea.Cmd {
	if cur := m.timeline.SelectedID(); cur != 0 {
		id = cur
	}
	if i, ok := m.offline.recordedIndex(id); ok {
		return m.selectRecorded(i)
	}
	if m.byID[id] == nil {
		return nil
	}
	m.live = false
	m.timeline.SetLive(false)
	m.showExchange(id)
	m.rebuildHelpLine()
	m.setStatus(fmt.Sprintf("viewing exchange #%d; L returns to live", id), false)
	return nil
}

func (m *Model) goLive() tea.Cmd {
	if m.offline != nil && m.client == nil {
		return m.offlineLast()
	}
	m.live = true
	m.timeline.SetLive(true)
	m.showLatest()
	m.rebuildHelpLine()
	if m.shownID != 0 {
		m.timeline.Select(m.shownID)
	}
	m.setStatus("", false)
	return nil
}

// describeError makes a transport error readable: what happened, then what
// to try.
func describeError(err error) string {
	var te *transport.Error
	if errors.As(err, &te) {
		return joinWith(" — ", te.Message, te.Hint)
	}
	if errors.Is(err, context.Canceled) {
		return "request cancelled"
	}
	return err.Error()
}

// keepNonSecret returns the last values sent minus secret fields, so a
// rejected answer can be corrected without typing everything again.
func keepNonSecret(f flow.Form, sent map[string]string) map[string]string {
	if len(sent) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, fld := range f.Fields {
		if v, ok := sent[fld.Key]; ok && !fld.Secret && fld.Kind != flow.KindSecret && fld.Kind != flow.KindCode {
			out[fld.Key] = v
		}
	}
	return out
}

func joinNonEmpty(a, b string) string { return joinWith("\n", a, b) }

func joinWith(sep, a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}
