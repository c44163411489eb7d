// Package jsonobj edits JSON objects member by member and encodes values
// without HTML escaping, for the history packages (recording lines,
// redaction, replayed answers).
package jsonobj

import (
	"bytes"
	"encoding/json"

	"github.com/akinspect/akinspect/internal/jsonscan"
)

// Member is one key of a JSON object with its raw value.
type Member struct {
	Key   string
	Value json.RawMessage
}

// ParseObject splits a JSON object into its members in the order the sender
// wrote them, so that rewriting one value keeps the rest byte for byte.
// Each value is a slice of b. b must be valid JSON (json.Valid).
func ParseObject(b []byte) ([]Member, error) {
	var out []Member
	_, err := jsonscan.Members(b, jsonscan.Space(b, 0), func(key, value []byte) error {
		k, err := jsonscan.Unquote(key)
		out = append(out, Member{Key: k, Value: value})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EncodeObject writes members back as a compact JSON object.
func EncodeObject(ms []Member) []byte {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(MarshalNoEscape(m.Key))
		buf.WriteByte(':')
		buf.Write(m.Value)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// MarshalNoEscape encodes v without HTML escaping, so markers and URLs stay
// readable in the file.
func MarshalNoEscape(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("null")
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// RawString decodes a raw JSON value that is a string; ok is false otherwise.
func RawString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// RawScalarText is the text of a string, number or bool value, for secret
// bookkeeping; ok is false for null, objects and arrays.
func RawScalarText(raw json.RawMessage) (text string, number bool, ok bool) {
	if s, ok := RawString(raw); ok {
		return s, false, true
	}
	t := string(bytes.TrimSpace(raw))
	if t == "" || t == "null" || t[0] == '{' || t[0] == '[' {
		return "", false, false
	}
	return t, t != "true" && t != "false", true
}
