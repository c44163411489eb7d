package model

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// The live session's requests, which a live replay shares: one client
// call at a time, cancellable, its answer dropped when it comes late; the
// answers sent, so a rejected one can be corrected; the exchanges the
// recorder brings; whether the recording still writes.

// request is the client call in flight.
type request struct {
	// seq numbers the calls: an answer of another one is stale (cancelled
	// or superseded).
	seq    int
	cancel context.CancelFunc // nil when nothing is in flight
	sentAt time.Time
}

// stepDoneMsg is the result of one client call. seq tells a late answer to
// a cancelled or superseded request from the current one.
type stepDoneMsg struct {
	step *transport.Step
	err  error
	seq  int
}

func (s *liveSource) inFlight() (time.Time, bool) { return s.req.sentAt, s.req.cancel != nil }

// sendOn runs one call on the client in a command with a cancellable
// context and starts the spinner. A call already in flight is cancelled
// first.
func (s *liveSource) sendOn(call stepCall) tea.Cmd {
	m := s.m
	s.endRequest()
	ctx, cancel := context.WithCancel(context.Background())
	s.req.seq++
	seq, c := s.req.seq, s.client
	s.req.cancel, s.req.sentAt = cancel, m.now()
	m.setStatus("", false)
	m.rebuildHelpLine()
	run := func() tea.Msg {
		step, err := call(ctx, c)
		return stepDoneMsg{step: step, err: err, seq: seq}
	}
	return tea.Batch(run, m.spinner.Tick)
}

// endRequest cancels the call in flight, if any.
func (s *liveSource) endRequest() {
	if s.req.cancel != nil {
		s.req.cancel()
		s.req.cancel = nil
	}
}

// cancelRequest aborts the running request. The session stays usable: the
// live challenge is unchanged, and the aborted exchange reaches the
// timeline as failed when the recorder reports it.
func (s *liveSource) cancelRequest() {
	m := s.m
	s.endRequest()
	s.req.seq++ // the late stepDoneMsg is now stale
	m.src.answerDropped(false)
	m.setStatus("request cancelled", false)
	m.rebuildHelpLine()
}

// restart forgets the flow so far (challenge, form, step count, inspector
// reading) and sends call, which starts a flow.
func (s *liveSource) restart(call stepCall) tea.Cmd {
	m := s.m
	m.forgetFlow()
	s.lastSent = nil
	m.src.answerDropped(true)
	s.in, s.inErr = nil, ""
	return m.src.send(call)
}

func (s *liveSource) onStepDone(msg stepDoneMsg) tea.Cmd {
	m := s.m
	s.ingest(s.m.src.drain())
	if msg.step != nil {
		s.ingest(msg.step.Exchanges)
	}
	if msg.seq != s.req.seq {
		return nil // cancelled or superseded: its exchanges are all we keep
	}
	s.endRequest()
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
	tick := m.showChallenge(msg.step.Challenge, msg.step.Diagnosis, s.lastSent)
	return tea.Batch(tick, m.src.stepDone(msg.step.Challenge))
}

// submitValues answers the live challenge with the form's values.
func (s *liveSource) submitValues(values map[string]string) tea.Cmd {
	m := s.m
	if !s.canSubmit() || !m.fillTOTP(values) {
		return nil
	}
	ans, err := flow.BuildAnswer(m.answer, values, m.version)
	if err != nil {
		// A debugger sends what it is told: the same values submitted
		// again go as typed, so that authentik's own errors show.
		if key := valuesKey(values); key != s.refused {
			s.refused = key
			m.setStatus("not sent: "+err.Error()+" · ctrl+s again sends it as typed", true)
			return nil
		}
		var warnings []*flow.FieldError
		ans, warnings, err = flow.BuildAnswerAsTyped(m.answer, values, m.version)
		if err != nil {
			m.setStatus("not sent: "+err.Error(), true)
			return nil
		}
		s.refused, s.lastSent = "", values
		cmd := s.submit(ans)
		m.setStatus(fmt.Sprintf("sent as typed, %d check(s) ignored: %s", len(warnings), warnings[0].Error()), false)
		return cmd
	}
	s.refused = ""
	s.lastSent = values
	return s.submit(ans)
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
func (s *liveSource) submitRaw(body []byte) tea.Cmd {
	if !s.canSubmit() {
		return nil
	}
	return s.submit(flow.Answer{Component: s.m.challenge.Component, Body: body})
}

func (s *liveSource) canSubmit() bool {
	m := s.m
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

func (s *liveSource) submit(ans flow.Answer) tea.Cmd {
	m := s.m
	cmd := m.src.send(func(ctx context.Context, c *transport.Client) (*transport.Step, error) {
		return c.Submit(ctx, ans)
	})
	if cmd != nil {
		m.src.answerSent()
	}
	return cmd
}

// ingest adds exchanges not seen yet, in ID order, to the timeline. The
// same exchange can arrive twice (from the recorder and in its step).
// Their IDs follow the source's offset (a replay lists them after the
// recording's rows).
func (s *liveSource) ingest(xs []*transport.Exchange) {
	m := s.m
	var fresh []*transport.Exchange
	offset := m.src.idOffset()
	for _, x := range xs {
		if x == nil {
			continue
		}
		c := *x
		c.ID += offset
		x = &c
		if m.session.has(x.ID) || slices.ContainsFunc(fresh, func(y *transport.Exchange) bool { return y.ID == x.ID }) {
			continue
		}
		fresh = append(fresh, x)
	}
	if len(fresh) == 0 {
		return
	}
	s.checkRecording()
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].ID < fresh[j].ID })
	for _, x := range fresh {
		if row := m.session.add(x, x.ID-offset); m.src.listed(row) {
			m.timeline.Append(row)
		}
	}
	m.newExchanges()
}

// checkRecording notices, as exchanges arrive, that the recording failed:
// the file would end here while the session goes on.
func (s *liveSource) checkRecording() {
	m := s.m
	if s.recordErr != "" || m.opts.RecordingErr == nil {
		return
	}
	if err := m.opts.RecordingErr(); err != nil {
		s.recordErr = err.Error()
		m.setStatus(s.alert(), true)
	}
}

// alert: the recording stopped, until something more urgent.
func (s *liveSource) alert() string {
	if s.recordErr == "" {
		return ""
	}
	return "recording stopped: " + s.recordErr
}

func (s *liveSource) inspection() (*flow.Inspection, string) { return s.in, s.inErr }

// header: the header says when the recording stopped.
func (s *liveSource) header(h *views.HeaderState) { h.RecordingStopped = s.recordErr != "" }
