package sim

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/akinspect/akinspect/flow"
)

// form validates an answer body with DRF field semantics and DRF's messages.
type form struct {
	body map[string]json.RawMessage
	errs map[string][]flow.ErrorDetail
}

func newForm(body map[string]json.RawMessage) *form {
	f := &form{body: body, errs: map[string][]flow.ErrorDetail{}}
	// Every ChallengeResponse has component = CharField(default=...).
	f.str("component", false, false, false, true)
	return f
}

func (f *form) add(key, msg, code string) {
	f.errs[key] = append(f.errs[key], flow.ErrorDetail{String: msg, Code: code})
}

func (f *form) nonField(msg, code string) { f.add(flow.NonFieldErrors, msg, code) }

func (f *form) failed() bool { return len(f.errs) > 0 }

// raw returns the decoded JSON value of key and whether the key is present.
func (f *form) raw(key string) (any, bool) {
	b, ok := f.body[key]
	if !ok {
		return nil, false
	}
	var v any
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return nil, false
	}
	return v, true
}

// present checks required/null; ok is false when there is no value to use.
func (f *form) present(key string, required, allowNull bool) (any, bool) {
	v, ok := f.raw(key)
	if !ok {
		if required {
			f.add(key, "This field is required.", "required")
		}
		return nil, false
	}
	if v == nil {
		if !allowNull {
			f.add(key, "This field may not be null.", "null")
		}
		return nil, false
	}
	return v, true
}

// str is serializers.CharField.
func (f *form) str(key string, required, allowNull, allowBlank, trim bool) (string, bool) {
	v, ok := f.present(key, required, allowNull)
	if !ok {
		return "", false
	}
	s, ok := scalarText(v)
	if !ok {
		f.add(key, "Not a valid string.", "invalid")
		return "", false
	}
	if trim {
		s = strings.TrimSpace(s)
	}
	if s == "" && !allowBlank {
		f.add(key, "This field may not be blank.", "blank")
		return "", false
	}
	return s, true
}

// scalarText is the text CharField and IntegerField parse from a JSON
// value: a string as is, a number as the JSON wrote it. Other
// types have no text.
func scalarText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	}
	return "", false
}

var reDecimal = regexp.MustCompile(`\.0*\s*$`)

// integer is serializers.IntegerField.
func (f *form) integer(key string, required bool) (int64, bool) {
	v, ok := f.present(key, required, false)
	if !ok {
		return 0, false
	}
	s, ok := scalarText(v)
	if !ok {
		f.add(key, "A valid integer is required.", "invalid")
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(reDecimal.ReplaceAllString(s, "")), 10, 64)
	if err != nil {
		f.add(key, "A valid integer is required.", "invalid")
		return 0, false
	}
	return n, true
}

// boolean is serializers.BooleanField.
func (f *form) boolean(key string, required bool) (bool, bool) {
	v, ok := f.present(key, required, false)
	if !ok {
		return false, false
	}
	switch t := v.(type) {
	case bool:
		return t, true
	case json.Number:
		switch t.String() {
		case "1":
			return true, true
		case "0":
			return false, true
		}
	case string:
		switch t {
		case "t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1":
			return true, true
		case "f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0":
			return false, true
		}
	}
	f.add(key, "Must be a valid boolean.", "invalid")
	return false, false
}

// pyTypeName names a JSON value's Python type for DRF's "Expected a
// dictionary" message.
func pyTypeName(raw []byte) string {
	switch strings.TrimSpace(string(raw))[0] {
	case '[':
		return "list"
	case '"':
		return "str"
	case 't', 'f':
		return "bool"
	default:
		if strings.ContainsAny(string(raw), ".eE") {
			return "float"
		}
		return "int"
	}
}
