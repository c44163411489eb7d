package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// FieldError is a value BuildAnswer cannot send: the field it belongs to
// (Key "" for the raw body) and what is wrong, for the form to show inline.
type FieldError struct {
	Key     string
	Label   string
	Problem string
}

func (e *FieldError) Error() string {
	name := e.Label
	if name == "" {
		name = e.Key
	}
	if name == "" {
		name = "answer body"
	}
	if e.Key != "" && e.Label != "" && e.Label != e.Key {
		name = fmt.Sprintf("%s (%s)", e.Label, e.Key)
	}
	return name + ": " + e.Problem
}

// BuildAnswer encodes field values into an answer body for version v.
// values holds the person's input by field key as typed; a key that is
// absent takes the field's Initial. Empty optional fields are left out
// (an empty checkbox is false unless the field says Omit); read-only fields
// are never sent. Raw forms take the whole body in
// values[""], which must be a JSON object; "component" is added if missing.
func BuildAnswer(form Form, values map[string]string, v Version) (Answer, error) {
	return build(form, values, v, nil)
}

// BuildAnswerAsTyped sends what the person typed where BuildAnswer would
// refuse it, so that authentik's own "blank" and "invalid" errors can be
// reproduced: a value that does not parse as its type goes as a JSON
// string, an empty required field as "", and cross-field checks only warn.
// The problems BuildAnswer would have reported come back as warnings. A
// raw body must still be a JSON object: there is no other way to send it.
func BuildAnswerAsTyped(form Form, values map[string]string, v Version) (Answer, []*FieldError, error) {
	var warnings []*FieldError
	ans, err := build(form, values, v, func(e error) {
		var fe *FieldError
		if !errors.As(e, &fe) {
			fe = &FieldError{Problem: e.Error()}
		}
		warnings = append(warnings, fe)
	})
	return ans, warnings, err
}

// build encodes an answer. With warn nil every problem is an error; else
// problems are passed to warn and the value is sent as typed.
func build(form Form, values map[string]string, v Version, warn func(error)) (Answer, error) {
	if form.Terminal {
		return Answer{}, fmt.Errorf("%s ends the flow: there is nothing to answer", form.Component)
	}
	if form.Raw {
		return buildRaw(form, values[""])
	}
	resolved := make(map[string]string, len(form.Fields))
	for _, f := range form.Fields {
		if val, ok := values[f.Key]; ok {
			resolved[f.Key] = val
		} else {
			resolved[f.Key] = f.Initial
		}
	}
	stage, _ := Lookup(form.Component)
	if stage.check != nil {
		if err := stage.check(form, resolved); err != nil {
			if warn == nil {
				return Answer{}, err
			}
			warn(err)
		}
	}
	var derived []string // keys narrow adds that are not fields
	if stage.narrow != nil {
		narrowed, err := stage.narrow(form, resolved)
		switch {
		case err != nil && warn == nil:
			return Answer{}, err
		case err != nil:
			warn(err) // as typed: every filled field goes
		default:
			for k := range narrowed {
				if !hasField(form, k) {
					derived = append(derived, k)
				}
			}
			sort.Strings(derived)
			resolved = narrowed
		}
	}
	var buf bytes.Buffer
	buf.WriteString(`{"component":`)
	buf.Write(mustMarshal(form.Component))
	ans := Answer{Component: form.Component}
	seen := map[string]bool{"component": true}
	add := func(key string, encoded []byte) {
		buf.WriteByte(',')
		buf.Write(mustMarshal(key))
		buf.WriteByte(':')
		buf.Write(encoded)
	}
	for _, f := range form.Fields {
		if f.Kind == KindReadOnly || f.Key == "" || seen[f.Key] {
			continue
		}
		if _, kept := resolved[f.Key]; !kept {
			continue // narrowed away
		}
		encoded, err := encodeField(form.Component, f, resolved[f.Key], v)
		if err != nil {
			if warn == nil {
				return Answer{}, err
			}
			warn(err)
			encoded = mustMarshal(resolved[f.Key]) // as typed: a JSON string
		}
		if encoded == nil {
			continue
		}
		seen[f.Key] = true
		add(f.Key, encoded)
		if f.Secret {
			ans.Secrets = append(ans.Secrets, f.Key)
		}
	}
	for _, k := range derived {
		encoded, err := encodeField(form.Component, Field{Key: k, Kind: KindText}, resolved[k], v)
		if err != nil {
			if warn == nil {
				return Answer{}, err
			}
			warn(err)
			encoded = mustMarshal(resolved[k])
		}
		if encoded != nil {
			add(k, encoded)
		}
	}
	buf.WriteByte('}')
	ans.Body = buf.Bytes()
	return ans, nil
}

// secretKeys are answer keys that hold secrets in any stage; raw bodies are
// checked against them since they have no fields to say so.
var secretKeys = map[string]bool{
	"password": true, "code": true, "token": true, "captcha_token": true,
	"response": true, "webauthn": true, "passkey": true, "hash": true,
}

func buildRaw(form Form, body string) (Answer, error) {
	trimmed := strings.TrimSpace(body)
	if trimmed == "" {
		return Answer{}, &FieldError{Problem: "empty; paste a JSON object"}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(trimmed), &obj); err != nil || obj == nil {
		return Answer{}, &FieldError{Problem: "not a JSON object: " + errText(err, trimmed)}
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(trimmed)); err != nil {
		return Answer{}, &FieldError{Problem: err.Error()}
	}
	ans := Answer{Component: form.Component}
	if raw, ok := obj["component"]; ok {
		var c string
		if json.Unmarshal(raw, &c) == nil {
			ans.Component = c
		}
		ans.Body = compact.Bytes()
	} else {
		rest := compact.Bytes()[1:] // after '{'
		var b bytes.Buffer
		b.WriteString(`{"component":`)
		b.Write(mustMarshal(form.Component))
		if len(rest) > 1 { // more than the closing '}'
			b.WriteByte(',')
		}
		b.Write(rest)
		ans.Body = b.Bytes()
	}
	for key := range obj {
		if secretKeys[key] {
			ans.Secrets = append(ans.Secrets, key)
		}
	}
	sort.Strings(ans.Secrets)
	return ans, nil
}

func errText(err error, s string) string {
	if err != nil {
		return err.Error()
	}
	return "got " + preview([]byte(s))
}

// encodeField returns the JSON value of one field, nil to send nothing.
func encodeField(component string, f Field, raw string, v Version) (json.RawMessage, error) {
	typ := answerType(component, f, v)
	fail := func(format string, args ...any) error {
		return &FieldError{Key: f.Key, Label: f.Label, Problem: fmt.Sprintf(format, args...)}
	}
	text := raw
	if typ != jsonString || f.Kind != KindText && f.Kind != KindTextArea && f.Kind != KindSecret {
		text = strings.TrimSpace(raw) // codes, dates, numbers: stray spaces are typos
	}
	if text == "" {
		switch {
		case typ == jsonBool && !f.Omit:
			return json.RawMessage("false"), nil
		case f.Required:
			return nil, fail("required")
		}
		return nil, nil // optional and empty: the server's default applies
	}
	switch typ {
	case jsonInteger:
		n, err := strconv.ParseInt(strings.ReplaceAll(text, " ", ""), 10, 64)
		if err != nil {
			return nil, fail("%q is not a whole number", text)
		}
		return json.RawMessage(strconv.FormatInt(n, 10)), nil
	case jsonBool:
		b, ok := parseBool(text)
		if !ok {
			return nil, fail("%q is not yes/no (true, false, y, n, 1, 0)", text)
		}
		return json.RawMessage(strconv.FormatBool(b)), nil
	case jsonValue:
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(text)); err != nil {
			return nil, fail("not valid JSON: %v", err)
		}
		return compact.Bytes(), nil
	}
	switch f.Kind {
	case KindDate:
		if _, err := time.Parse(time.DateOnly, text); err != nil {
			return nil, fail("%q is not a date (YYYY-MM-DD)", text)
		}
	case KindDateTime:
		if !isDateTime(text) {
			return nil, fail("%q is not a date and time (YYYY-MM-DDTHH:MM[:SS][zone])", text)
		}
	case KindFile:
		if !strings.HasPrefix(text, "data:") || !strings.Contains(text, ",") {
			return nil, fail("not a data URI (data:<mime>;base64,<content>)")
		}
	}
	return mustMarshal(text), nil
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "t", "yes", "y", "1", "on", "x":
		return true, true
	case "false", "f", "no", "n", "0", "off":
		return false, true
	}
	return false, false
}

// isDateTime accepts the ISO 8601 shapes Django's DateTimeField parses.
func isDateTime(s string) bool {
	for _, layout := range []string{
		time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05",
		"2006-01-02 15:04", "2006-01-02T15:04:05.999999", "2006-01-02T15:04Z07:00",
	} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // strings and plain values always marshal
	}
	return b
}

// AnswerComponent is the "component" an answer body names: the stage it
// was sent to answer. ok is false when the body is not a JSON object with a
// string component (a raw body, a form post).
func AnswerComponent(body []byte) (component string, ok bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return "", false
	}
	fields, err := topLevelFields(trimmed)
	if err != nil {
		return "", false
	}
	raw, present := fields["component"]
	if !present || json.Unmarshal(raw, &component) != nil {
		return "", false
	}
	return component, true
}
