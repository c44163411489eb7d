package flow

import (
	"bytes"
	"encoding/json"
	"testing"
)

// The hand-written splitter must agree with encoding/json on every valid
// object: same keys, same values.
func FuzzTopLevelFieldsMatchesEncodingJSON(f *testing.F) {
	for _, seed := range []string{
		`{}`, ` { } `, `{"a":1}`, `{"a" : "x\"y" , "b":[1,{"c":"}"}],"d":null}`,
		`{"k\u00e9y":true,"e\\":"\\","n":-1.5e3}`, `{"a":{"b":{"c":[[],{}]}}, "z":"]"}`,
		`{"component":"ak-stage-password","response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`,
		`{"a":1,"a":2}`, "{\n\t\"a\"\t:\n[ 1 , 2 ]\n}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		data = bytes.TrimSpace(data)
		if len(data) == 0 || data[0] != '{' || !json.Valid(data) {
			return
		}
		var want map[string]json.RawMessage
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		got, err := topLevelFields(data)
		if err != nil {
			t.Fatalf("topLevelFields(%q): %v", data, err)
		}
		if len(got) != len(want) {
			t.Fatalf("keys: got %d, want %d for %q", len(got), len(want), data)
		}
		for k, w := range want {
			g, ok := got[k]
			if !ok || !bytes.Equal(g, w) {
				t.Fatalf("key %q: got %q, want %q", k, g, w)
			}
		}
	})
}
