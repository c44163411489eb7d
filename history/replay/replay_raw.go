package replay

import (
	"encoding/json"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history/internal/jsonobj"
	"github.com/akinspect/akinspect/history/redact"
)

// answerObject splits a recorded answer body into its members when it is
// exactly one valid JSON object; ok is false for anything else (a raw body a
// person sent on purpose: "x", cut-off JSON, an array, trailing bytes).
func answerObject(body []byte) ([]jsonobj.Member, bool) {
	if !json.Valid(body) {
		return nil, false
	}
	ms, err := jsonobj.ParseObject(body)
	if err != nil {
		return nil, false
	}
	return ms, true
}

// rawAnswer replays a recorded body that is not a JSON object verbatim, with
// only its redaction markers filled in, so that the server sees the same
// malformed input and its answer can be compared with the recorded one.
func (r *replayer) rawAnswer(st plannedStep) (flow.Answer, []string, error) {
	component := answeredComponent(st)
	if r.live != nil {
		component = r.live.Component
	}
	// Every marker is filled as redaction took it out: escaped as in a
	// JSON string inside one (cut-off JSON included), as typed elsewhere,
	// and a number marker that was a whole value as the bare number.
	body := redact.RestoreBody(st.Answer.RequestBody, r.secrets)
	return flow.Answer{Component: component, Body: body, Secrets: append([]string(nil), st.Answer.Secrets...)},
		[]string{"raw body sent as recorded (not a JSON object)"}, nil
}
