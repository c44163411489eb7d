package model

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// replayState steps through a recording against a live server: each
// recorded flow run is started again, and each live challenge gets the
// recorded answer to the same stage pre-filled, for the person to change
// or send as it is.
type replayState struct {
	splitID int // the timeline row between recorded and live rows
	run     int // the recorded flow run being replayed
	steps   int // live challenges shown in this run
}

// prefillMsg carries the recorded answer for the live challenge of step.
type prefillMsg struct {
	step int
	from int // recorded index of the answer
	body []byte
	err  error
}

// startReplay sets the model up for a live replay: live rows come after
// the recorded ones and a split row.
func (m *Model) startReplay() {
	o := m.offline
	o.replay = &replayState{splitID: len(o.rows) + 1}
	m.idOffset = o.replay.splitID
}

// splitRow marks where the live replay starts in the timeline.
func (r *replayState) splitRow() views.ExchangeRow {
	return views.ExchangeRow{ID: r.splitID, Method: "LIVE", Note: "▼ live replay"}
}

// startRun starts recorded flow run k on the live client, with its query.
func (m *Model) startRun(k int) tea.Cmd {
	o := m.offline
	runs := o.rec.Flows
	if k >= len(runs) {
		return nil
	}
	fr := runs[k]
	if fr.Slug == "" {
		fr.Slug = m.client.Config().Flow
	}
	o.replay.run, o.replay.steps = k, 0
	m.flowSlug = fr.Slug
	cmd := m.restart(func(ctx context.Context, c *transport.Client) (*transport.Step, error) {
		if fr.NewSession && k > 0 {
			c.ResetJar() // the recording emptied the jar here (N)
		}
		c.UseFlow(fr.Slug, fr.Query)
		return c.Start(ctx)
	})
	m.setStatus(fmt.Sprintf("replaying recorded flow %d/%d: %s", k+1, len(runs), fr.Slug), false)
	return cmd
}

// replayChallenge looks up the recorded answer for a new live challenge;
// after a finished flow run it starts the next recorded one.
func (m *Model) replayChallenge(c *flow.Challenge) tea.Cmd {
	o, r := m.offline, m.offline.replay
	pos := r.steps
	r.steps++
	if c.Terminal() {
		if m.state() == "done" && r.run+1 < len(o.rec.Flows) {
			return m.startRun(r.run + 1)
		}
		return nil
	}
	if len(c.ResponseErrors) > 0 && m.lastSent != nil {
		return nil // rejected: keep what the person sent, not the recording
	}
	s := o.recordedStage(r.run, c.Component, pos)
	if s < 0 {
		m.setStatus("the recording has no "+flow.ShortComponent(c.Component)+" stage here: answer it yourself", false)
		return nil
	}
	a := o.answerOf(s)
	if a < 0 {
		m.setStatus("the recording did not answer this stage: answer it yourself", false)
		return nil
	}
	step, rec := m.stepNo, o.rec
	return func() tea.Msg {
		x, err := rec.Exchange(a)
		if err != nil {
			return prefillMsg{step: step, from: a, err: err}
		}
		return prefillMsg{step: step, from: a, body: x.RequestBody}
	}
}

// recordedStage finds the recorded stage challenge of flow run run with
// the same component, nearest to the live step pos (a wrong password in
// one session and not the other shifts the steps).
func (o *offlineState) recordedStage(run int, component string, pos int) int {
	first := o.rec.Flows[run].First
	best, bestDist, k := -1, 0, 0
	for _, s := range o.stages {
		if o.rec.FlowAt(s).First != first {
			continue
		}
		if o.rec.Summary(s).Component == component {
			d := max(k-pos, pos-k)
			if best < 0 || d < bestDist {
				best, bestDist = s, d
			}
		}
		k++
	}
	return best
}

// onPrefill puts the recorded answer into the live form, unless the flow
// moved on meanwhile.
func (m *Model) onPrefill(msg prefillMsg) tea.Cmd {
	if m.offline == nil || msg.step != m.stepNo || m.challenge == nil || m.answer.Terminal {
		return nil
	}
	if msg.err != nil {
		m.setStatus("cannot read the recorded answer: "+msg.err.Error(), true)
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
	m.form.SetState(views.FormState{Form: m.answer, Challenge: m.challenge, Values: values})
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
	obj, ok := history.AnswerFields(&transport.Exchange{RequestBody: body})
	if !ok {
		return nil, nil, false
	}
	values = map[string]string{}
	for _, f := range form.Fields {
		raw, ok := obj[f.Key]
		if !ok || f.Kind == flow.KindReadOnly || (f.Secret && f.Initial != "") {
			continue
		}
		v := jsonText(raw)
		if _, _, marker := history.ParseMarker(v); marker {
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
