package model

import (
	"net/http"
	"slices"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
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
	hidden             bool   // not part of a flow (a browser's other request)
}

// exchangeRow is the timeline's view of a live exchange.
func exchangeRow(x *transport.Exchange) views.ExchangeRow {
	return newRow(rowFacts{
		id: x.ID, flow: x.Flow, method: x.Method, path: displayPath(x.URL),
		kind: x.Kind, status: x.Status, component: x.Component, duration: x.Timing.Total,
		flags: x.Flags, errText: x.Error, diagnosis: x.Diagnosis,
		answered: answered(x.RequestBody),
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
		Component: rowComponent(f.kind, f.component), Duration: f.duration,
		Redirect: has(transport.FlagRedirect) || has(transport.FlagContinue),
		// No usable response, or the flow itself reported failure.
		Error: f.errText != "" || has(transport.FlagError) || has(transport.FlagCancelled) ||
			f.component == flow.ComponentFlowError || f.component == flow.ComponentAccessDenied,
		Rotated: has(transport.FlagSessionRotated),
		Invalid: has(transport.FlagValidation),
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
	return purposeNote(f.kind, f.method, f.answered)
}

// RowLabel is what the timeline's label column says of an exchange that
// went through: the challenge it brought ("password"), else what the
// request was for ("→ identification", "flow page", "inspector"), else
// "—". What went wrong is not part of it: the timeline shows an error in
// this column instead, `akinspect run` after the line.
func RowLabel(kind transport.Kind, method, component string, requestBody []byte) string {
	if c := rowComponent(kind, component); c != "" {
		return flow.ShortComponent(c)
	}
	if note := purposeNote(kind, method, answered(requestBody)); note != "" {
		return note
	}
	return "—"
}

// rowComponent is the component a row shows: none for an inspector read,
// whose body is no challenge, so that the row reads "inspector".
func rowComponent(kind transport.Kind, component string) string {
	if kind == transport.KindInspector {
		return ""
	}
	return component
}

// purposeNote names a request without a component by what it was for;
// answered is the stage a POST answered ("" when unknown).
func purposeNote(kind transport.Kind, method, answered string) string {
	switch {
	case kind == transport.KindInspector:
		return "inspector"
	case kind == transport.KindPage:
		return "flow page"
	case kind == transport.KindExecute:
		return "execute (token)"
	case kind == transport.KindRedirect:
		return "redirect"
	case method == http.MethodPost && answered != "":
		return "→ " + flow.ShortComponent(answered)
	case method == http.MethodPost:
		return "answer"
	}
	return ""
}

// answered is the stage a POST body answered, "" when it names none.
func answered(body []byte) string {
	c, _ := flow.AnswerComponent(body)
	return c
}
