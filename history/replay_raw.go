package history

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/akinspect/akinspect/flow"
)

// answerObject splits a recorded answer body into its members when it is
// exactly one valid JSON object; ok is false for anything else (a raw body a
// person sent on purpose: "x", cut-off JSON, an array, trailing bytes).
func answerObject(body []byte) ([]member, bool) {
	if !json.Valid(body) {
		return nil, false
	}
	ms, err := parseObject(body)
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
	body := st.Answer.RequestBody
	marks := markersIn(body)
	if len(marks) > 0 {
		var out bytes.Buffer
		last := 0
		for _, mk := range marks {
			out.Write(body[last:mk.start])
			v := r.secrets[mk.name]
			if mk.number && allDigits(v) {
				out.WriteString(v)
			} else {
				// Most raw bodies are JSON that is cut off or broken: the
				// marker sits in a string literal, so escape as in one.
				q := marshalNoEscape(v)
				out.Write(q[1 : len(q)-1])
			}
			last = mk.end
		}
		out.Write(body[last:])
		body = out.Bytes()
	}
	return flow.Answer{Component: component, Body: body, Secrets: append([]string(nil), st.Answer.Secrets...)},
		[]string{"raw body sent as recorded (not a JSON object)"}, nil
}

// markerAt is one redaction marker found inside a raw body.
type markerAt struct {
	start, end int // byte range of the whole marker
	name       string
	number     bool
}

// markersIn finds the redaction markers anywhere in b, in order.
func markersIn(b []byte) []markerAt {
	var out []markerAt
	open, closing := []byte(markerOpen), []byte(markerClose)
	for off := 0; ; {
		i := bytes.Index(b[off:], open)
		if i < 0 {
			return out
		}
		start := off + i
		j := bytes.Index(b[start+len(open):], closing)
		if j < 0 {
			return out
		}
		end := start + len(open) + j + len(closing)
		name, number, ok := ParseMarker(string(b[start:end]))
		if ok && !strings.Contains(name, markerOpen) {
			out = append(out, markerAt{start: start, end: end, name: name, number: number})
			off = end
		} else {
			off = start + len(open)
		}
	}
}
