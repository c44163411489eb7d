package model

import (
	"slices"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/exchangeview"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// rowFacts is what a timeline row is made from, whether the exchange is
// live (a transport.Exchange) or recorded (a history.Summary, which has no
// bodies).
type rowFacts struct {
	id                 int
	flow, method, path string
	kind               transport.Kind
	status             int
	component          string
	duration           time.Duration
	flags              []string
	errText, diagnosis string
	answered           string // the stage a POST answered, "" when unknown
	infoOnly           bool   // the response_errors only inform ("email sent")
	hidden             bool   // not part of a flow (a browser's other request)
}

// exchangeRow is the timeline's view of a live exchange.
func exchangeRow(x *transport.Exchange) views.ExchangeRow {
	stage, _ := flow.AnswerComponent(x.RequestBody)
	return newRow(rowFacts{
		infoOnly: x.Challenge != nil && len(x.Challenge.ResponseErrors) > 0 && !x.Challenge.Rejected(),
		id:       x.ID, flow: x.Flow, method: x.Method, path: exchangeview.DisplayPath(x.URL),
		kind: x.Kind, status: x.Status, component: x.Component, duration: x.Timing.Total,
		flags: x.Flags, errText: x.Error, diagnosis: x.Diagnosis,
		answered: stage,
	})
}

// summaryRow is the timeline row of a recorded exchange. A summary has no
// request body: a POST is taken to answer stage, the last stage challenge
// before it.
func summaryRow(s history.Summary, id int, path, stage string) views.ExchangeRow {
	return newRow(rowFacts{
		id: id, flow: s.Flow, method: s.Method, path: path,
		kind: s.Kind, status: s.Status, component: s.Component, duration: s.Duration,
		flags: s.Flags, errText: s.Error, answered: stage, hidden: s.Hidden,
	})
}

func newRow(f rowFacts) views.ExchangeRow {
	has := func(flag string) bool { return slices.Contains(f.flags, flag) }
	return views.ExchangeRow{
		ID: f.id, Flow: f.flow, Method: f.method, Path: f.path, Status: f.status,
		Component: transport.ShownComponent(f.kind, f.component), Duration: f.duration,
		Redirect: has(transport.FlagRedirect) || has(transport.FlagContinue),
		// No usable response, an HTTP refusal (a DRF 403 in a browser's
		// HAR has no error text), or the flow itself reported failure.
		Error: f.errText != "" || has(transport.FlagError) || has(transport.FlagCancelled) || f.status >= 400 ||
			f.component == flow.ComponentFlowError || f.component == flow.ComponentAccessDenied,
		Rotated: has(transport.FlagSessionRotated),
		Invalid: has(transport.FlagValidation) && !f.infoOnly,
		Note:    rowNote(f, has(transport.FlagCancelled)),
		Aside:   f.kind == transport.KindInspector,
		Dim:     f.kind == transport.KindInspector,
	}
}

// rowNote is what the timeline shows in place of a component: what went
// wrong, else what the request was for.
func rowNote(f rowFacts, cancelled bool) string {
	switch {
	case cancelled:
		return joinWith(": ", "cancelled", f.errText)
	case f.errText != "":
		return f.errText
	case f.diagnosis != "":
		return f.diagnosis
	case f.hidden:
		return ""
	}
	return transport.Purpose(f.kind, f.method, f.answered)
}
