package replay

import (
	"slices"
	"testing"
)

func diffLabels(steps []StepDiff) []string {
	var out []string
	for _, s := range steps {
		switch s.Change {
		case OnlyA:
			out = append(out, "- "+s.A.Label())
		case OnlyB:
			out = append(out, "+ "+s.B.Label())
		default:
			out = append(out, "~ "+s.A.Label())
		}
	}
	return out
}

// A side with an MFA stage and its retry, against one without MFA: the
// retry is listed after the stage it retries, never before it.
func TestDiffListsARetryAfterTheStageItRetries(t *testing.T) {
	st := func(c string, rej bool) *StageStep { return &StageStep{Component: c, Rejected: rej} }
	steps := []StepDiff{
		{Change: Same, A: st("ak-stage-password", false), B: st("ak-stage-password", false)},
		{Change: OnlyA, A: st("ak-stage-authenticator-validate", false)},
		{Change: OnlyA, A: st("ak-stage-authenticator-validate", true)},
		{Change: Same, A: st("xak-flow-redirect", false), B: st("xak-flow-redirect", false)},
	}
	want := diffLabels(steps)
	retriesFirst(steps)
	if got := diffLabels(steps); !slices.Equal(got, want) {
		t.Errorf("order:\n got %q\nwant %q", got, want)
	}
}

// A retry one side begins the block with still comes before the other
// side's next stage, and each side keeps its own order.
func TestDiffListsARetryBeforeTheOtherSidesNextStage(t *testing.T) {
	st := func(c string, rej bool) *StageStep { return &StageStep{Component: c, Rejected: rej} }
	steps := []StepDiff{
		{Change: Same, A: st("ak-stage-password", false), B: st("ak-stage-password", false)},
		{Change: OnlyA, A: st("xak-flow-redirect", false)},
		{Change: OnlyB, B: st("ak-stage-password", true)},
		{Change: OnlyB, B: st("xak-flow-redirect", false)},
		{Change: OnlyB, B: st("ak-stage-consent", true)},
	}
	retriesFirst(steps)
	want := []string{"~ password", "+ password (retry)", "- redirect", "+ redirect", "+ consent (retry)"}
	if got := diffLabels(steps); !slices.Equal(got, want) {
		t.Errorf("order:\n got %q\nwant %q", got, want)
	}
}
