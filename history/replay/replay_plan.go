package replay

import (
	"net/http"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// plannedStep is one client call to repeat: starting a flow, or posting
// one recorded answer. Expected is the recorded exchange the call ended on.
type plannedStep struct {
	Flow  history.FlowRun
	Start bool
	// NewSession: empty the jar before this start, as the recorded client
	// did (its page GET went out without the cookies it had).
	NewSession bool
	Answer     *transport.Exchange // the recorded POST, nil for a start
	AnswerAt   int                 // the recorded POST's exchange index
	Expected   *transport.Exchange
	// Answered is the recorded challenge the answer replied to.
	Answered *transport.Exchange
}

// planSteps groups recorded exchanges into client calls: per flow run, the
// exchanges before the first executor POST are the start; each POST and
// the redirects after it are one submit. Every flow page GET begins a run
// (rec.Flows already splits there; the check here keeps the plan right for
// any Recording). Inspector and hidden exchanges do not take part.
func planSteps(rec *history.Recording, exs []*transport.Exchange) []plannedStep {
	var steps []plannedStep
	next := 0
	var run history.FlowRun
	var lastChallenge *transport.Exchange
	var session history.JarTracker
	runOpen := false // the current run has its start step
	for i, e := range exs {
		freshJar := session.Next(e)
		for next < len(rec.Flows) && rec.Flows[next].First <= i {
			run, next, runOpen = rec.Flows[next], next+1, false
		}
		if e.Kind == transport.KindInspector || e.Kind == history.KindOther {
			continue
		}
		if run.Slug == "" {
			run.Slug = e.Flow
		}
		if e.Kind == transport.KindPage && runOpen {
			run = history.FlowRun{Slug: e.Flow, Query: history.PageQuery(e), Started: e.Start, First: i}
			runOpen = false
		}
		if !runOpen || len(steps) == 0 {
			runOpen = true
			fresh := len(steps) > 0 && (run.NewSession || freshJar)
			steps = append(steps, plannedStep{Flow: run, Start: true, NewSession: fresh})
			lastChallenge = nil
		}
		if e.Method == http.MethodPost && history.IsExecutor(e) {
			steps = append(steps, plannedStep{Flow: run, Answer: e, AnswerAt: i, Answered: lastChallenge})
		}
		cur := &steps[len(steps)-1]
		if cur.Expected == nil || e.Component != "" || cur.Expected.Component == "" {
			cur.Expected = e
		}
		if e.Component != "" {
			lastChallenge = e
		}
	}
	// A flow run whose start never reached the executor has nothing to check.
	out := steps[:0]
	for _, s := range steps {
		if s.Expected != nil {
			out = append(out, s)
		}
	}
	return out
}
