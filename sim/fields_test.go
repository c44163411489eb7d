package sim

import (
	"encoding/json"
	"testing"
)

func TestScalarTextReadsStringsAndNumbersOnly(t *testing.T) {
	for _, tc := range []struct {
		in     any
		want   string
		wantOK bool
	}{
		{"bob", "bob", true},
		{"", "", true},
		{json.Number("42"), "42", true},
		{json.Number("1e3"), "1e3", true}, // kept as written, not reformatted
		{true, "", false},
		{nil, "", false},
		{[]any{"a"}, "", false},
		{map[string]any{"a": 1.0}, "", false},
		{1.5, "", false}, // only json.Number reaches the form (UseNumber)
	} {
		got, ok := scalarText(tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("scalarText(%#v) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

// Both fields that share scalarText keep DRF's own messages.
func TestCharAndIntegerFieldsShareScalarParsing(t *testing.T) {
	body := map[string]json.RawMessage{
		"name": json.RawMessage(`12`), "age": json.RawMessage(`"7.0"`),
		"badName": json.RawMessage(`true`), "badAge": json.RawMessage(`["7"]`),
	}
	f := newForm(body)
	if s, ok := f.str("name", true, false, false, true); !ok || s != "12" {
		t.Errorf("CharField from a number: %q, %v", s, ok)
	}
	if n, ok := f.integer("age", true); !ok || n != 7 {
		t.Errorf(`IntegerField from "7.0": %d, %v`, n, ok)
	}
	f.str("badName", true, false, false, true)
	f.integer("badAge", true)
	for key, msg := range map[string]string{"badName": "Not a valid string.", "badAge": "A valid integer is required."} {
		if errs := f.errs[key]; len(errs) != 1 || errs[0].String != msg || errs[0].Code != "invalid" {
			t.Errorf("%s: %+v, want %q", key, errs, msg)
		}
	}
}
