package model

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

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
	startNewJar                     // S: empty jar
	startOtherFlow                  // f: another flow, same jar
)

// startFlow begins the flow again (R), in a new session (S), or another
// flow in this one (f), as far as the source has a session to do it in.
func (m *Model) startFlow(mode startMode, slug, query string) tea.Cmd {
	return m.src.startFlow(mode, slug, query)
}

// restart forgets the flow so far (challenge, form, step count, inspector
// reading) and sends call, which starts a flow.
func (m *Model) restart(call stepCall) tea.Cmd {
	m.challenge, m.answer, m.lastSent = nil, flow.Form{}, nil
	m.stepNo = 0
	m.src.answerDropped(true)
	m.inspection, m.inspectErr = nil, ""
	m.form.SetState(views.FormState{})
	return m.src.send(call)
}

// sendOn runs one call on client in a command with a cancellable context
// and starts the spinner. A call already in flight is cancelled first.
func (m *Model) sendOn(c *transport.Client, call stepCall) tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.seq++
	seq := m.seq
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
	m.src.answerDropped(false)
	m.setStatus("request cancelled", false)
	m.rebuildHelpLine()
}

func (m *Model) onStepDone(msg stepDoneMsg) tea.Cmd {
	m.ingest(m.src.drain())
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
	tick := m.showChallenge(msg.step.Challenge, msg.step.Diagnosis)
	return tea.Batch(tick, m.src.stepDone(msg.step.Challenge))
}

// showChallenge makes c the live challenge: the form is rebuilt for it and
// takes the focus on its first field. The command renews the notes of its
// code fields when their codes change.
func (m *Model) showChallenge(c *flow.Challenge, diagnosis string) tea.Cmd {
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
	notes, code := m.codeNotes(c)
	if code != "" {
		if values == nil {
			values = map[string]string{}
		}
		for _, k := range codeFields(m.answer) {
			values[k] = code
		}
	}
	m.form.SetState(views.FormState{Form: m.answer, Challenge: c, Values: values, Notes: notes})
	switch {
	case diagnosis != "":
		m.setStatus(diagnosis, true)
	case c.Rejected():
		m.setStatus("the server rejected the answer: see the form", true)
	default:
		m.setStatus("", false)
	}
	m.setFocus(focusForm)
	m.form.FocusFirst()
	return m.totpTick(c)
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

// settledState is the header state when nothing is in flight: the
// source's, given the flow's.
func (m *Model) settledState() string { return m.src.state(m.flowState()) }

// flowState is idle|done|denied|error by the live challenge.
func (m *Model) flowState() string {
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
	if !m.canSubmit() || !m.fillTOTP(values) {
		return nil
	}
	ans, err := flow.BuildAnswer(m.answer, values, m.version)
	if err != nil {
		// A debugger sends what it is told: the same values submitted
		// again go as typed, so that authentik's own errors show.
		if key := valuesKey(values); key != m.refused {
			m.refused = key
			m.setStatus("not sent: "+err.Error()+" · ctrl+s again sends it as typed", true)
			return nil
		}
		var warnings []*flow.FieldError
		ans, warnings, err = flow.BuildAnswerAsTyped(m.answer, values, m.version)
		if err != nil {
			m.setStatus("not sent: "+err.Error(), true)
			return nil
		}
		m.refused, m.lastSent = "", values
		cmd := m.submit(ans)
		m.setStatus(fmt.Sprintf("sent as typed, %d check(s) ignored: %s", len(warnings), warnings[0].Error()), false)
		return cmd
	}
	m.refused = ""
	m.lastSent = values
	return m.submit(ans)
}

// valuesKey identifies a set of form values, to tell "the same answer
// again" from an edited one.
func valuesKey(values map[string]string) string {
	keys := slices.Sorted(maps.Keys(values))
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "\x00" + values[k] + "\x00")
	}
	return b.String()
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
	cmd := m.src.send(func(ctx context.Context, c *transport.Client) (*transport.Step, error) {
		return c.Submit(ctx, ans)
	})
	if cmd != nil {
		m.src.answerSent()
	}
	return cmd
}

func (m *Model) renderInspection() {
	if m.inspection == nil && m.inspectErr == "" {
		return
	}
	m.details.SetInspector(views.RenderInspection(m.inspection, m.inspectErr, m.rects.details.innerWidth()))
}

// ingest adds exchanges not seen yet, in ID order, to the timeline. The
// same exchange can arrive twice (from the recorder and in its step).
func (m *Model) ingest(xs []*transport.Exchange) {
	var fresh []*transport.Exchange
	offset := m.src.idOffset()
	for _, x := range xs {
		if x == nil {
			continue
		}
		if offset != 0 { // live rows follow a recording's rows
			c := *x
			c.ID += offset
			x = &c
		}
		if m.session.has(x.ID) || slices.ContainsFunc(fresh, func(y *transport.Exchange) bool { return y.ID == x.ID }) {
			continue
		}
		fresh = append(fresh, x)
	}
	if len(fresh) == 0 {
		return
	}
	m.checkRecording()
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].ID < fresh[j].ID })
	for _, x := range fresh {
		if row := m.session.add(x, x.ID-offset); m.src.listed(row) {
			m.timeline.Append(row)
		}
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
	l := m.session
	for i := l.len() - 1; i >= 0; i-- {
		if e := l.entries[i]; e.kind != transport.KindInspector {
			if e.x != nil { // the newest are always whole
				m.showExchange(e.x)
			}
			return
		}
	}
}

func (m *Model) showExchange(x *transport.Exchange) {
	if x == nil || x.ID == m.shownID {
		return
	}
	m.shownID = x.ID
	m.details.SetExchange(exchangeDetail(x))
}

// readBackMsg is an exchange read back from the archive for the details.
type readBackMsg struct {
	id  int
	x   *transport.Exchange
	err error
}

// readBack reads exchange id back from the archive, in a command.
func (m *Model) readBack(id int) tea.Cmd {
	load, ok := m.session.loader(id)
	if !ok {
		return nil
	}
	m.setStatus(fmt.Sprintf("reading exchange #%d back from the recording…", id), false)
	return func() tea.Msg {
		x, err := load()
		return readBackMsg{id: id, x: x, err: err}
	}
}

// showReadBack shows an exchange read back, unless the person has moved
// on to another one meanwhile.
func (m *Model) showReadBack(msg readBackMsg) {
	if m.live || m.timeline.SelectedID() != msg.id {
		return
	}
	if msg.err != nil {
		m.setStatus(describeError(msg.err), true)
		return
	}
	m.shownID = 0 // the placeholder of the same ID gives way
	m.showExchange(msg.x)
	m.setStatus(fmt.Sprintf("viewing exchange #%d, read back from the recording (as open shows it); %s returns to live", msg.id, keyName(m.keys.Live)), false)
}

// timeTravel shows an old exchange; the form keeps the live challenge.
// The timeline's cursor wins over the message's ID: select messages of
// fast key repeats run as separate commands and may arrive out of order.
func (m *Model) timeTravel(id int) tea.Cmd {
	if cur := m.timeline.SelectedID(); cur != 0 {
		id = cur
	}
	if cmd, ok := m.src.selectRow(id); ok {
		return cmd
	}
	if !m.session.has(id) {
		return nil
	}
	m.live = false
	m.timeline.SetLive(false)
	m.rebuildHelpLine()
	x := m.session.get(id)
	if x == nil {
		// What the row knows, until the read comes back: y, Y and e act on
		// the exchange selected, not on the one shown before.
		m.showExchange(m.session.placeholder(id))
		return m.readBack(id)
	}
	m.showExchange(x)
	m.setStatus(fmt.Sprintf("viewing exchange #%d; %s returns to live", id, keyName(m.keys.Live)), false)
	return nil
}

// goLive is L, as the source means it.
func (m *Model) goLive() tea.Cmd { return m.src.goLive() }

// followLive makes the details follow the newest exchange again.
func (m *Model) followLive() tea.Cmd {
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

// refreshRows hands the timeline every row the source lists.
func (m *Model) refreshRows() { m.timeline.SetRows(m.src.rows()) }

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
