package replay

import (
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
)

// A recorded answer that names its component twice was read by the server
// with the last one (Python's json keeps the last duplicate key), so the
// replay sends, reports and plans that component, not the first.
func TestAnswerWithComponentTwiceIsTheLastOne(t *testing.T) {
	body := []byte(`{"component":"` + flow.ComponentIdentify + `","password":"pw","component":"` + flow.ComponentPassword + `"}`)
	st := plannedStep{Answer: &transport.Exchange{Method: "POST", RequestBody: body}}

	if got, want := actionOf(st), "answer "+flow.ShortComponent(flow.ComponentPassword); got != want {
		t.Errorf("the report's action is %q, want %q", got, want)
	}
	r := &replayer{secrets: map[string]string{}}
	a, _, err := r.answer(st)
	if err != nil {
		t.Fatal(err)
	}
	if a.Component != flow.ComponentPassword {
		t.Errorf("the replay answers as %q, want %q (the server reads the last key)", a.Component, flow.ComponentPassword)
	}
}
