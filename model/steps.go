package model

import (
	"context"
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/exchangeview"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

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

// forgetFlow forgets the flow so far: the challenge, its form and the
// step count, before a flow starts again.
func (m *Model) forgetFlow() {
	m.challenge, m.answer = nil, flow.Form{}
	m.stepNo = 0
	m.form.SetState(views.FormState{})
}

// cancelInFlight is esc while a request is in flight.
func (m *Model) cancelInFlight() {
	if m.busy() {
		m.src.cancelRequest()
	}
}

// showChallenge makes c the live challenge: the form is rebuilt for it and
// takes the focus on its first field; when c rejects an answer to the same
// stage, it keeps the values sent last (lastSent) but secrets. The command
// renews the notes of its code fields when their codes change.
func (m *Model) showChallenge(c *flow.Challenge, diagnosis string, lastSent map[string]string) tea.Cmd {
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
		values = keepNonSecret(m.answer, lastSent)
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
func (m *Model) busy() bool {
	_, ok := m.src.inFlight()
	return ok
}

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

// submitValues answers the live challenge with the form's values, as far
// as the source can send.
func (m *Model) submitValues(values map[string]string) tea.Cmd { return m.src.submitValues(values) }

// submitRaw sends a raw JSON body as it is.
func (m *Model) submitRaw(body []byte) tea.Cmd { return m.src.submitRaw(body) }

// renderInspection lays out the source's inspector reading for the
// details pane's width.
func (m *Model) renderInspection() {
	in, errText := m.src.inspection()
	if in == nil && errText == "" {
		return
	}
	m.details.SetInspector(views.RenderInspection(in, errText, m.rects.details.innerWidth()))
}

// newExchanges follows the session's newest exchange into the details
// pane, unless the person is looking at another one.
func (m *Model) newExchanges() {
	if m.followNewest {
		m.showLatest()
	}
}

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
	m.details.SetExchange(exchangeview.Detail(x))
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
	if m.followNewest || m.timeline.SelectedID() != msg.id {
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
	m.stopFollowing()
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

// stopFollowing: the person picked an exchange, so the details pane no
// longer follows the newest one (time travel).
func (m *Model) stopFollowing() {
	m.followNewest = false
	m.timeline.SetLive(false)
	m.rebuildHelpLine()
}

// goLive is L, as the source means it.
func (m *Model) goLive() tea.Cmd { return m.src.goLive() }

// followLive makes the details follow the newest exchange again.
func (m *Model) followLive() tea.Cmd {
	m.followNewest = true
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
