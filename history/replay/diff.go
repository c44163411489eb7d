package replay

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// A flow diff answers "what is different?" between two recordings (or HAR
// files): flow runs are aligned by flow, and within a run the stages a
// person saw are aligned by component (a retry after a validation error is
// a step of its own), not by line number, so that an extra or missing
// stage is reported as such. Each aligned pair is compared as replay
// compares (volatile values ignored by the same rules).

// DiffOptions tune what is compared, as ReplayOptions.Ignore/Compare do.
type DiffOptions struct {
	Ignore  []string
	Compare []string
}

// StageStep is one challenge a flow run showed, and the answer sent to it.
// A challenge that came back on a POST (the stage shown again with
// response_errors, the next stage, a flow error) is a step of its own.
type StageStep struct {
	ID        int    `json:"id"` // exchange id in its recording
	Component string `json:"component"`
	Status    int    `json:"status"`
	Rejected  bool   `json:"rejected,omitempty"` // came back with response_errors: a retry
	// Time is the step's: the request that brought the challenge plus the
	// answer's (where the server checks a password).
	Time     time.Duration `json:"time_ns"`
	exchange *transport.Exchange
	answer   *transport.Exchange // the POST that answered it, nil at the end
}

// Label is how a report names the step: "password", "password (retry)"
// for the stage shown again after a rejected answer.
func (s *StageStep) Label() string {
	l := flow.ShortComponent(s.Component)
	if s.Rejected {
		l += " (retry)"
	}
	return l
}

// key is what steps are aligned on: a retry only with a retry.
func (s *StageStep) key() string {
	if s.Rejected {
		return s.Component + "!"
	}
	return s.Component
}

// Change says how an aligned pair differs.
type Change string

const (
	Same    Change = "same"
	Changed Change = "changed"
	OnlyA   Change = "only-a" // a stage the second recording does not have
	OnlyB   Change = "only-b" // a stage the first recording does not have
)

// StepDiff is one aligned pair of stages.
type StepDiff struct {
	Change Change     `json:"change"`
	A      *StageStep `json:"a,omitempty"`
	B      *StageStep `json:"b,omitempty"`
	Diffs  []Diff     `json:"diffs,omitempty"`
}

// RunDiff is one aligned pair of flow runs.
type RunDiff struct {
	Flow   string     `json:"flow"`
	Change Change     `json:"change"`
	Steps  []StepDiff `json:"steps"`
}

// FlowDiff is the comparison of two recordings.
type FlowDiff struct {
	A    string    `json:"a"`
	B    string    `json:"b"`
	Runs []RunDiff `json:"runs"`
}

// Differences counts the steps that are not the same.
func (d *FlowDiff) Differences() int {
	n := 0
	for _, r := range d.Runs {
		for _, s := range r.Steps {
			if s.Change != Same {
				n++
			}
		}
	}
	return n
}

// DiffRecordings compares two recordings run by run and stage by stage.
func DiffRecordings(a, b *history.Recording, opts DiffOptions) (*FlowDiff, error) {
	runsA, err := stageRuns(a)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.Path, err)
	}
	runsB, err := stageRuns(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Path, err)
	}
	m := newDiffMatcher(opts.Ignore, opts.Compare)
	d := &FlowDiff{A: a.Path, B: b.Path}
	for _, p := range align(len(runsA), len(runsB), func(i, j int) bool { return runsA[i].slug == runsB[j].slug }) {
		switch {
		case p.j < 0:
			d.Runs = append(d.Runs, oneSided(runsA[p.i], OnlyA))
		case p.i < 0:
			d.Runs = append(d.Runs, oneSided(runsB[p.j], OnlyB))
		default:
			d.Runs = append(d.Runs, diffRun(runsA[p.i], runsB[p.j], m))
		}
	}
	return d, nil
}

// DiffExchanges compares two single exchanges (FILE#N on the command line,
// d in the TUI): what came back as DiffRecordings compares a challenge, and
// what was sent, a POST's body, as it compares an answer (answer.*).
func DiffExchanges(a, b *transport.Exchange, opts DiffOptions) []Diff {
	m := newDiffMatcher(opts.Ignore, opts.Compare)
	diffs := compareSteps(stepOf(a, nil), stepOf(b, nil), m)
	return append(diffs, notIgnored(compareAnswers(a, b, m), m)...)
}

// stageRun is one flow run's stages, in order.
type stageRun struct {
	slug  string
	steps []*StageStep
}

// stageRuns cuts a recording into flow runs of stage steps: every challenge
// the executor returned (on a GET or in the reply to a POST), with the
// POST that answered it.
func stageRuns(rec *history.Recording) ([]stageRun, error) {
	exs, err := rec.All()
	if err != nil {
		return nil, err
	}
	var runs []stageRun
	var last *StageStep
	for i, e := range exs {
		if e.Kind == transport.KindInspector || e.Kind == history.KindOther {
			continue
		}
		if e.Kind == transport.KindPage || len(runs) == 0 || startsRunAt(rec, i) {
			runs = append(runs, stageRun{slug: rec.FlowAt(i).Slug})
			last = nil
		}
		run := &runs[len(runs)-1]
		isAnswer := e.Method == http.MethodPost && history.IsExecutor(e)
		answered := isAnswer && last != nil && last.answer == nil
		if answered {
			last.answer = e
			last.Time += e.Timing.Total
		}
		if e.Component != "" {
			last = stepOf(e, nil)
			if answered {
				last.Time = 0 // the answer's time is the step's it answers, counted once
			}
			run.steps = append(run.steps, last)
		}
	}
	return slices.DeleteFunc(runs, func(r stageRun) bool { return len(r.steps) == 0 }), nil
}

// startsRunAt: exchange i is the first of a flow run.
func startsRunAt(rec *history.Recording, i int) bool {
	return slices.ContainsFunc(rec.Flows, func(f history.FlowRun) bool { return f.First == i })
}

func stepOf(e, answer *transport.Exchange) *StageStep {
	if e == nil {
		return nil
	}
	rejected := e.Has(transport.FlagValidation)
	if !rejected && e.Challenge != nil {
		rejected = len(e.Challenge.ResponseErrors) > 0
	}
	return &StageStep{ID: e.ID, Component: e.Component, Status: e.Status, Rejected: rejected,
		Time: e.Timing.Total, exchange: e, answer: answer}
}

func oneSided(r stageRun, c Change) RunDiff {
	rd := RunDiff{Flow: r.slug, Change: c}
	for _, s := range r.steps {
		sd := StepDiff{Change: c}
		if c == OnlyA {
			sd.A = s
		} else {
			sd.B = s
		}
		rd.Steps = append(rd.Steps, sd)
	}
	return rd
}

func diffRun(a, b stageRun, m matcher) RunDiff {
	rd := RunDiff{Flow: a.slug, Change: Same}
	pairs := align(len(a.steps), len(b.steps), func(i, j int) bool { return a.steps[i].key() == b.steps[j].key() })
	for _, p := range pairs {
		var sd StepDiff
		switch {
		case p.j < 0:
			sd = StepDiff{Change: OnlyA, A: a.steps[p.i]}
		case p.i < 0:
			sd = StepDiff{Change: OnlyB, B: b.steps[p.j]}
		default:
			sa, sb := a.steps[p.i], b.steps[p.j]
			sd = StepDiff{Change: Same, A: sa, B: sb, Diffs: compareSteps(sa, sb, m)}
			if len(sd.Diffs) > 0 {
				sd.Change = Changed
			}
		}
		if sd.Change != Same {
			rd.Change = Changed
		}
		rd.Steps = append(rd.Steps, sd)
	}
	retriesFirst(rd.Steps)
	return rd
}

// retriesFirst puts, among stages only one side has between two aligned
// ones, the retries first: a retry belongs to the stage before it, so
// "+ password (retry)" reads right after "~ password", before the
// "- redirect" the other side went on to. Only the retries a side begins
// the block with move, and only ahead of the other side's steps: each
// side keeps its own order, so a retry never precedes the stage it retries.
func retriesFirst(steps []StepDiff) {
	oneSided := func(s StepDiff) bool { return s.Change == OnlyA || s.Change == OnlyB }
	retry := func(s StepDiff) bool { return (s.A != nil && s.A.Rejected) || (s.B != nil && s.B.Rejected) }
	for i := 0; i < len(steps); {
		j := i
		for j < len(steps) && oneSided(steps[j]) {
			j++
		}
		if j == i {
			i++
			continue
		}
		block := steps[i:j]
		var first, rest []StepDiff
		stillLeading := map[Change]bool{OnlyA: true, OnlyB: true}
		for _, s := range block {
			stillLeading[s.Change] = stillLeading[s.Change] && retry(s)
			if stillLeading[s.Change] {
				first = append(first, s)
			} else {
				rest = append(rest, s)
			}
		}
		copy(block, append(first, rest...))
		i = j
	}
}
