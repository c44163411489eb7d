package replay

import (
	"net/http"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
)

// Plan lists, per flow run, the recorded answers in the order sent, each
// with the POST that carried it and the stage it answered: the order the
// headless replay sends them in.
func TestPlanListsEachRunsAnswersInOrder(t *testing.T) {
	path, _ := recordSimLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := Plan(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{flow.ComponentIdentify, flow.ComponentPassword, flow.ComponentValidate},
		{flow.ComponentConsent},
	}
	if len(runs) != len(want) {
		t.Fatalf("plan has %d runs, want %d: %+v", len(runs), len(want), runs)
	}
	for k, run := range runs {
		if run.Flow.First != rec.Flows[k].First || run.Flow.Slug != rec.Flows[k].Slug {
			t.Errorf("plan run %d is %+v, the recording's run is %+v", k, run.Flow, rec.Flows[k])
		}
		if len(run.Answers) != len(want[k]) {
			t.Fatalf("run %d has answers %+v, want %v", k, run.Answers, want[k])
		}
		for n, a := range run.Answers {
			if a.Component != want[k][n] {
				t.Errorf("run %d answer %d answered %q, want %q", k, n, a.Component, want[k][n])
			}
			x, err := rec.Exchange(a.Index)
			if err != nil {
				t.Fatal(err)
			}
			if x.Method != http.MethodPost || rec.FlowAt(a.Index).First != run.Flow.First {
				t.Errorf("run %d answer %d points at %s %s (exchange %d), not a POST of the run", k, n, x.Method, x.URL, a.Index)
			}
		}
	}
}

// The plan and the headless replay agree: each answer step of the replay
// report is the next planned answer, for the same component.
func TestPlanIsTheOrderReplaySends(t *testing.T) {
	path, _ := recordSimLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := Plan(rec)
	if err != nil {
		t.Fatal(err)
	}
	exs, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	var planned []int
	for _, run := range runs {
		for _, a := range run.Answers {
			planned = append(planned, a.Index)
		}
	}
	var replayed []int
	for _, st := range planSteps(rec, exs) {
		if !st.Start {
			replayed = append(replayed, st.AnswerAt)
			if exs[st.AnswerAt] != st.Answer {
				t.Fatalf("step answer index %d is not its POST", st.AnswerAt)
			}
		}
	}
	if len(planned) != len(replayed) || len(planned) != 4 {
		t.Fatalf("plan answers %v, replay answers %v: want the same 4", planned, replayed)
	}
	for i := range planned {
		if planned[i] != replayed[i] {
			t.Fatalf("plan answers %v, replay answers %v", planned, replayed)
		}
	}
}
