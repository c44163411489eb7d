package replay

import (
	"encoding/json"

	"github.com/akinspect/akinspect/transport"
)

// AnswerFields is the answer an exchange sent, key by key, when its request
// body is one valid JSON object (what the stage form sends). ok is false
// when there is no body or the body is anything else: a raw body sent on
// purpose ("x", cut-off JSON, an array). A view should then show the body
// as sent, not fields it would have to guess. Values are the
// raw JSON as sent (redaction markers included); for a repeated key the last
// one wins, as in authentik's JSON parser.
func AnswerFields(x *transport.Exchange) (map[string]json.RawMessage, bool) {
	if x == nil || len(x.RequestBody) == 0 {
		return nil, false
	}
	ms, ok := answerObject(x.RequestBody)
	if !ok {
		return nil, false
	}
	out := make(map[string]json.RawMessage, len(ms))
	for _, m := range ms {
		out[m.Key] = m.Value
	}
	return out, true
}
