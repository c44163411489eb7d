package history

import (
	"net/http"

	"github.com/akinspect/akinspect/transport"
)

// plannedStep is one client call to repeat: starting a flow, or posting
// one recorded answer. Expected is the recorded exchange the call ended on.
type plannedStep struct {
	Flow     FlowRun
	Start    bool
	Answer   *transport.Exchange // the recorded POST, nil for a start
	Expected *transport.Exchange
	// Answered is the recorded challenge the answer replied to.
	Answered *transport.Exchange
}

// planSteps groups recorded exchanges into client calls: per flow run, the
// exchanges before the first executor POST are the start; each POST and
// the redirects after it are one submit. Inspector and hidden exchanges do
// not take part.
func planSteps(rec *Recording, exs []*transport.Exchange) []plannedStep {
	var steps []plannedStep
	flowIdx, next := -1, 0
	var run FlowRun
	var lastChallenge *transport.Exchange
	for i, e := range exs {
		for next < len(rec.Flows) && rec.Flows[next].First <= i {
			run, next = rec.Flows[next], next+1
		}
		if e.Kind == transport.KindInspector || e.Kind == KindOther {
			continue
		}
		if run.Slug == "" {
			run.Slug = e.Flow
		}
		if next-1 != flowIdx || len(steps) == 0 {
			flowIdx = next - 1
			steps = append(steps, plannedStep{Flow: run, Start: true})
			lastChallenge = nil
		}
		if e.Method == http.MethodPost && isExecutor(e) {
			steps = append(steps, plannedStep{Flow: run, Answer: e, Answered: lastChallenge})
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

func isExecutor(e *transport.Exchange) bool {
	if e.Kind == transport.KindExecutor || e.Kind == transport.KindRedirect {
		k, _ := classify(e.URL)
		return k == transport.KindExecutor || e.Kind == transport.KindExecutor
	}
	return false
}
