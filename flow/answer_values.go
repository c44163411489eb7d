package flow

import (
	"bytes"
	"encoding/json"
	"strings"
)

// ValuesFromAnswer reads an answer body back into form values: the text a
// person would have typed for each field, so that BuildAnswer of them sends
// the same body again (a recorded answer shown in a form, a replay
// pre-filling one). A field the body does not hold is "" (not its
// initial value: it was not sent). ok is false for a body that is not a
// JSON object.
func ValuesFromAnswer(form Form, body []byte) (values map[string]string, ok bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return nil, false
	}
	fields, err := topLevelFields(trimmed)
	if err != nil {
		return nil, false
	}
	values = make(map[string]string, len(form.Fields))
	for _, f := range form.Fields {
		if raw, sent := fields[f.Key]; sent {
			values[f.Key] = ValueText(raw)
		} else {
			values[f.Key] = ""
		}
	}
	if s, found := Lookup(form.Component); found && s.widen != nil {
		s.widen(form, fields, values)
	}
	return values, true
}

// ValueText is a JSON value as a form field holds it: a string unquoted,
// null empty, anything else as compact JSON.
func ValueText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return ""
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) == nil {
		return b.String()
	}
	return strings.TrimSpace(string(raw))
}

// RawTemplate is the body a raw answer editor starts from: the answer the
// form's values build, or {"component": …} when they build none (a raw or
// unknown stage, a form still empty).
func RawTemplate(form Form, values map[string]string, v Version) []byte {
	if !form.Raw && !form.Terminal {
		if ans, err := BuildAnswer(form, values, v); err == nil && len(ans.Body) > 0 {
			return ans.Body
		}
	}
	return mustMarshal(map[string]string{"component": form.Component})
}
