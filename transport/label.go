package transport

import (
	"net/http"

	"github.com/akinspect/akinspect/flow"
)

// Label is what the timeline's label column says of an exchange that
// went through: the challenge it brought ("password"), else what the
// request was for ("→ identification", "flow page", "inspector"), else
// "—". What went wrong is not part of it: the timeline shows an error in
// this column instead, `akinspect run` after the line.
func Label(kind Kind, method, component string, requestBody []byte) string {
	if c := ShownComponent(kind, component); c != "" {
		return flow.ShortComponent(c)
	}
	if note := Purpose(kind, method, answered(requestBody)); note != "" {
		return note
	}
	return "—"
}

// ShownComponent is the component a row shows: none for an inspector read,
// whose body is no challenge, so that the row reads "inspector".
func ShownComponent(kind Kind, component string) string {
	if kind == KindInspector {
		return ""
	}
	return component
}

// Purpose names a request without a component by what it was for;
// answered is the stage a POST answered ("" when unknown).
func Purpose(kind Kind, method, answered string) string {
	switch {
	case kind == KindInspector:
		return "inspector"
	case kind == KindPage:
		return "flow page"
	case kind == KindExecute:
		return "execute (token)"
	case kind == KindRedirect:
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
