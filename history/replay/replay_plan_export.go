package replay

import (
	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
)

// PlanRun is one recorded flow run as a replay repeats it: the run, then
// the recorded answers in the order they were sent.
type PlanRun struct {
	Flow    history.FlowRun
	Answers []PlannedAnswer
}

// PlannedAnswer is one recorded answer POST of a flow run.
type PlannedAnswer struct {
	Index int // exchange index (0-based) of the answer POST
	// Component is the recorded challenge the answer replied to, or, when
	// no challenge came before it, the component the body names; "" when
	// neither is known.
	Component string
}

// Plan is the replay plan of a recording, the one Replay follows: per
// flow run, the recorded answers in order. The TUI's live replay pre-fills
// from it so both replays agree on which recorded answer comes next.
// Runs whose start never reached the executor are left out, as Replay
// leaves them out. It reads every exchange once.
func Plan(r *history.Recording) ([]PlanRun, error) {
	exs, err := r.All()
	if err != nil {
		return nil, err
	}
	var runs []PlanRun
	for _, st := range planSteps(r, exs) {
		if st.Start || len(runs) == 0 {
			runs = append(runs, PlanRun{Flow: st.Flow})
		}
		if st.Start {
			continue
		}
		component := answeredComponent(st)
		if component == "" {
			component, _ = flow.AnswerComponent(st.Answer.RequestBody) // "" when not an object
		}
		cur := &runs[len(runs)-1]
		cur.Answers = append(cur.Answers, PlannedAnswer{Index: st.AnswerAt, Component: component})
	}
	return runs, nil
}
