package model

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// replaySource is a recording stepped through again against a live
// server (`akinspect open --live`): a live session whose timeline lists
// the recording's rows above its own, and whose form gets each recorded
// answer pre-filled. It has the session's key group and the recording's.
type replaySource struct {
	*liveSource
	o *offlineState
	r *replayState
}

// replayState steps through a recording against a live server: each
// recorded flow run is started again, and the n-th answer the person sends
// in a run gets the n-th recorded answer of that run pre-filled (the order
// the headless replay sends them in), for the person to change or send as
// it is.
type replayState struct {
	splitID int  // the timeline row between recorded and live rows; live IDs follow it
	run     int  // the recorded flow run being replayed
	sent    int  // answers the server took in this run
	pending bool // an answer is in flight: the next challenge counts it
	// plan holds the recorded answers of each run of rec.Flows, by index;
	// nil until the first prefill command read it.
	plan [][]replay.PlannedAnswer
}

// prefillMsg carries the recorded answer for the live challenge of step,
// or, in note, why there is none.
type prefillMsg struct {
	step int
	from int // recorded index of the answer
	body []byte
	note string
	err  error
	plan [][]replay.PlannedAnswer // the plan read for it, kept for later
}

// newReplaySource sets a live session up for a replay of rec: live rows come
// after the recorded ones and a split row.
func newReplaySource(m *Model, c *transport.Client, rec *history.Recording) *replaySource {
	s := &replaySource{liveSource: newLiveSource(m, c), o: newOfflineState(m, rec)}
	s.r = &replayState{splitID: len(s.o.rows) + 1}
	return s
}

// init starts the first recorded flow run.
func (s *replaySource) init() tea.Cmd {
	return tea.Batch(s.feed.listen(), s.startRun(0))
}

func (s *replaySource) handle(msg tea.Msg) (tea.Cmd, bool) {
	if msg, ok := msg.(prefillMsg); ok {
		return s.onPrefill(msg), true
	}
	if cmd, ok := s.o.handle(msg); ok {
		return cmd, true
	}
	return s.liveSource.handle(msg)
}

func (s *replaySource) idOffset() int { return s.r.splitID }

// curl: a recorded row's exchange is read from the file.
func (s *replaySource) curl(id int) (tea.Cmd, bool) { return s.o.curl(id) }

// rows: the recorded rows are context for the live replay below them.
func (s *replaySource) rows() []views.ExchangeRow {
	rows := s.o.visibleRows()
	out := make([]views.ExchangeRow, len(rows), len(rows)+1+s.m.session.len())
	for i, r := range rows {
		r.Dim = true
		out[i] = r
	}
	out = append(out, s.r.splitRow())
	return append(out, s.liveRows()...)
}

// selectRow shows a recorded row (the form keeps the live challenge) and
// leaves live; other rows are the session's.
func (s *replaySource) selectRow(id int) (tea.Cmd, bool) {
	i, ok := s.o.recordedIndex(id)
	if !ok {
		return nil, false
	}
	s.m.stopFollowing()
	return s.o.selectRecorded(i, false), true
}

// stepDone pre-fills the recorded answer, then reads the inspector.
func (s *replaySource) stepDone(c *flow.Challenge) tea.Cmd {
	return tea.Batch(s.replayChallenge(c), s.inspectIfAsked())
}

// answerSent counts an answer on its way to the server towards the run's
// recorded answers.
func (s *replaySource) answerSent() { s.r.pending = true }

// answerDropped forgets an answer the person cancelled or a restart made
// moot; sent counts from zero again after a restart.
func (s *replaySource) answerDropped(restart bool) {
	s.r.pending = false
	if restart {
		s.r.sent = 0
	}
}

// key: the recording's keys first (ctrl+n/ctrl+p walk search hits), then the
// session's.
func (s *replaySource) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	if cmd, ok := s.o.key(msg); ok {
		return cmd, true
	}
	return s.liveSource.key(msg)
}

func (s *replaySource) prompt() prompt { return s.o.prompt() }

// shortHelp is the recording's while looking at it, else the session's.
func (s *replaySource) shortHelp() []key.Binding {
	if !s.m.followNewest && !s.m.busy() {
		return s.o.shortHelp(s.m.keys.Live)
	}
	return s.liveSource.shortHelp()
}

func (s *replaySource) fullHelp() [][]key.Binding {
	return append(s.m.keys.FullHelp(), s.o.keyGroup())
}

func (s *replaySource) hint() (string, bool) {
	switch {
	case s.o.loading:
		return "reading the recording…", true
	case !s.m.followNewest && !s.m.busy():
		return "viewing the recording: " + keyName(s.m.keys.Live) + " returns to the live replay", true
	}
	return "", false
}

// header names the recording being replayed, and while a recorded row is
// selected, its flow and stage.
func (s *replaySource) header(h *views.HeaderState) {
	s.liveSource.header(h)
	if !s.m.followNewest {
		s.o.headerForSelection(h)
	}
	h.State += " · replaying " + s.o.displayName()
}

// splitRow marks where the live replay starts in the timeline.
func (r *replayState) splitRow() views.ExchangeRow {
	return views.ExchangeRow{ID: r.splitID, Method: "LIVE", Note: "▼ live replay"}
}

// startRun starts recorded flow run k on the live client, with its query.
func (s *replaySource) startRun(k int) tea.Cmd {
	m, runs := s.m, s.o.rec.Flows
	if k >= len(runs) {
		return nil
	}
	fr := runs[k]
	if fr.Slug == "" {
		fr.Slug = s.client.Config().Flow
	}
	s.r.run = k
	if k > 0 {
		what := "recorded flow " + fmt.Sprint(k+1)
		if fr.NewSession {
			what += ", new session"
		}
		s.markRun(what, fr.Slug)
	}
	m.flowSlug = fr.Slug
	cmd := s.restart(func(ctx context.Context, c *transport.Client) (*transport.Step, error) {
		if fr.NewSession && k > 0 {
			c.ResetJar() // the recording emptied the jar here (S)
		}
		c.UseFlow(fr.Slug, fr.Query)
		return c.Start(ctx)
	})
	m.setStatus(fmt.Sprintf("replaying recorded flow %d/%d: %s", k+1, len(runs), fr.Slug), false)
	return cmd
}

// replayChallenge looks up the recorded answer for a new live challenge;
// after a finished flow run it starts the next recorded one.
func (s *replaySource) replayChallenge(c *flow.Challenge) tea.Cmd {
	m, o, r := s.m, s.o, s.r
	if r.pending {
		r.sent++
		r.pending = false
	}
	if c.Terminal() {
		if m.state() == "done" && r.run+1 < len(o.rec.Flows) {
			return s.startRun(r.run + 1)
		}
		return nil
	}
	step, rec, run, n, plan, live := m.stepNo, o.rec, r.run, r.sent, r.plan, c.Component
	return func() tea.Msg {
		msg := prefillMsg{step: step, from: -1, plan: plan}
		if msg.plan == nil {
			p, err := planByRun(rec)
			if err != nil {
				msg.err = err
				return msg
			}
			msg.plan = p
		}
		var answers []replay.PlannedAnswer
		if run < len(msg.plan) {
			answers = msg.plan[run]
		}
		if n >= len(answers) {
			msg.note = fmt.Sprintf("the recording sent %s in this flow run: answer %s yourself",
				plural(len(answers), "answer"), flow.ShortComponent(live))
			return msg
		}
		a := answers[n]
		if a.Component != "" && a.Component != live {
			msg.note = fmt.Sprintf("the recording answered %s here; this is %s: answer it yourself",
				flow.ShortComponent(a.Component), flow.ShortComponent(live))
			return msg
		}
		x, err := rec.Exchange(a.Index)
		msg.from, msg.err = a.Index, err
		if err == nil {
			msg.body = x.RequestBody
		}
		return msg
	}
}

// planByRun reads the recording's replay plan and files its answers under
// the flow run of rec.Flows they belong to (the runs live replay starts).
func planByRun(rec *history.Recording) ([][]replay.PlannedAnswer, error) {
	runs, err := replay.Plan(rec)
	if err != nil {
		return nil, err
	}
	out := make([][]replay.PlannedAnswer, len(rec.Flows))
	for _, pr := range runs {
		for _, a := range pr.Answers {
			k := sort.Search(len(rec.Flows), func(j int) bool { return rec.Flows[j].First > a.Index }) - 1
			if k >= 0 {
				out[k] = append(out[k], a)
			}
		}
	}
	return out, nil
}

// onPrefill puts the recorded answer into the live form, unless the flow
// moved on meanwhile.
func (s *replaySource) onPrefill(msg prefillMsg) tea.Cmd {
	m := s.m
	if r := s.r; r.plan == nil && msg.plan != nil {
		r.plan = msg.plan
	}
	if msg.step != m.stepNo || m.challenge == nil || m.answer.Terminal {
		return nil
	}
	if msg.err != nil {
		m.setStatus("cannot read the recorded answer: "+msg.err.Error(), true)
		return nil
	}
	if msg.note != "" {
		m.setStatus(msg.note, false)
		return nil
	}
	values, blanked, ok := prefillValues(m.answer, msg.body)
	if !ok {
		// A raw body sent on purpose: send it again as it was, or change it.
		m.form.SetState(views.FormState{Form: m.answer, Challenge: m.challenge})
		m.form.SetRaw(true, string(msg.body))
		m.setStatus(fmt.Sprintf("the recorded answer #%d was not a JSON object: it is in the raw editor as sent (ctrl+s sends it)", msg.from+1), false)
		return nil
	}
	notes, code := m.codeNotes(m.challenge)
	for _, k := range codeFields(m.answer) {
		if code != "" && values[k] == "" { // redacted in the recording: --totp-secret has it
			values[k] = code
			blanked = slices.DeleteFunc(blanked, func(s string) bool { return s == "code" })
		}
	}
	m.form.SetState(views.FormState{Form: m.answer, Challenge: m.challenge, Values: values, Notes: notes})
	if m.focus == focusForm {
		m.form.FocusFirst()
	}
	text := fmt.Sprintf("pre-filled with the recorded answer #%d: change it or send it (ctrl+s)", msg.from+1)
	if len(blanked) > 0 {
		text += "; type " + strings.Join(blanked, ", ") + " (redacted in the recording)"
	}
	m.setStatus(text, false)
	return nil
}

// prefillValues reads a recorded answer body into values for the live
// form. Redacted values become empty fields for the person to type; a
// secret the live challenge itself supplies (the consent token) keeps the
// live value, as a recorded one would be stale. ok is false when the body
// is not a JSON object (raw mode sent it so): it has no field values.
func prefillValues(form flow.Form, body []byte) (values map[string]string, blanked []string, ok bool) {
	if form.Raw || form.Unknown {
		return map[string]string{"": string(prettyJSON(body))}, nil, true
	}
	sent, ok := flow.ValuesFromAnswer(form, body)
	if !ok {
		return nil, nil, false
	}
	values = map[string]string{}
	for _, f := range form.Fields {
		v := sent[f.Key]
		// Not sent (or sent empty): the form keeps its own initial value.
		if v == "" || f.Kind == flow.KindReadOnly || (f.Secret && f.Initial != "") {
			continue
		}
		if _, _, marker := redact.ParseMarker(v); marker {
			v = ""
			name := f.Label
			if name == "" {
				name = f.Key
			}
			blanked = append(blanked, strings.ToLower(name))
		}
		values[f.Key] = v
	}
	return values, blanked, true
}
