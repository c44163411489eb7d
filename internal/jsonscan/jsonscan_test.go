package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
)

// FuzzScanMatchesEncodingJSON holds the scanner to encoding/json on valid
// JSON: Skip ends every value where the decoder does, Members and
// Elements give the same members and elements in order with the same raw
// values, and Walk finds the same string values in order. On anything
// else it must not panic, must stay in bounds, and Walk must report
// values inside the input.
func FuzzScanMatchesEncodingJSON(f *testing.F) {
	for _, seed := range []string{
		`{}`, ` { } `, `[]`, `{"a":1}`, `{"a" : "x\"y" , "b":[1,{"c":"}"}],"d":null}`,
		`{"k\u00e9y":true,"e\\":"\\","n":-1.5e3}`, `{"a":{"b":{"c":[[],{}]}}, "z":"]"}`,
		`{"component":"ak-stage-password","response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`,
		`{"a":1,"a":2}`, "{\n\t\"a\"\t:\n[ 1 , 2 ]\n}", `"just a string"`, `12.5`, `true`,
		`[1,[2,[3,[4,[5,[6,[7,[8,[9,[10]]]]]]]]]]`, `{"s":"\\\\\""}`, `{"x":"\ud83d\ude00"}`,
		// Not JSON: cut off, malformed, trailing bytes.
		`{"component":"ak-stage-password","password":"hunt`, `{"a":1,}`, `[1,]`, `{"a" 1}`,
		`{"a":tru}`, `{"a":1}{"b":2}`, `{"a":«redacted:x y»}`, `{`, `"`, `[`, `{"a":[1,2`, `{"\`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkBounds(t, data)
		if !json.Valid(data) {
			return
		}
		start := Space(data, 0)
		end, ok := Skip(data, start)
		if want := len(bytes.TrimRight(data, " \t\r\n")); !ok || end != want {
			t.Fatalf("Skip(%q) = %d, %v; want %d", data, end, ok, want)
		}
		checkContainers(t, data[start:end])
		if got, want := walkStrings(data), decodeStrings(t, data); !equal(got, want) {
			t.Fatalf("Walk(%q) strings %q, want %q", data, got, want)
		}
	})
}

// checkContainers compares Members and Elements with encoding/json on
// v and, recursively, on every container inside it.
func checkContainers(t *testing.T, v []byte) {
	t.Helper()
	switch v[0] {
	case '{':
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.Token()
		type member struct {
			key   string
			value []byte
		}
		var want []member
		for dec.More() {
			tok, _ := dec.Token()
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				t.Fatal(err)
			}
			want = append(want, member{tok.(string), raw})
		}
		k := 0
		end, err := Members(v, 0, func(key, value []byte) error {
			name, err := Unquote(key)
			if err != nil || k >= len(want) || name != want[k].key || !bytes.Equal(value, want[k].value) {
				t.Fatalf("member %d of %q: %q (%v) = %q", k, v, key, err, value)
			}
			k++
			checkContainers(t, value)
			return nil
		})
		if err != nil || end != len(v) || k != len(want) {
			t.Fatalf("Members(%q) = %d, %v after %d members; want %d, %d", v, end, err, k, len(v), len(want))
		}
	case '[':
		var want []json.RawMessage
		if err := json.Unmarshal(v, &want); err != nil {
			t.Fatal(err)
		}
		k := 0
		end, err := Elements(v, 0, func(value []byte) error {
			if k >= len(want) || !bytes.Equal(value, want[k]) {
				t.Fatalf("element %d of %q: %q", k, v, value)
			}
			k++
			checkContainers(t, value)
			return nil
		})
		if err != nil || end != len(v) || k != len(want) {
			t.Fatalf("Elements(%q) = %d, %v after %d elements; want %d, %d", v, end, err, k, len(v), len(want))
		}
	}
}

// walkStrings is every string value Walk reports (not keys), decoded.
func walkStrings(data []byte) []string {
	var out []string
	Walk(data, func(v Value) {
		if v.Kind == String {
			var s string
			_ = json.Unmarshal(data[v.Start:v.End], &s)
			out = append(out, s)
		}
	})
	return out
}

// decodeStrings is every string value of valid JSON in document order.
// A token is a key when its object is waiting for one; every token read
// while an object is on top flips that.
func decodeStrings(t *testing.T, data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []string
	type state struct{ object, wantKey bool }
	var stack []state
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		isKey := len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].wantKey
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = !stack[len(stack)-1].wantKey
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{':
				stack = append(stack, state{object: true, wantKey: true})
			case '[':
				stack = append(stack, state{})
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if !isKey {
				out = append(out, tok)
			}
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkBounds: on any input the scanner stays inside it.
func checkBounds(t *testing.T, data []byte) {
	t.Helper()
	stop := Walker{Opaque: func(b []byte, i int) int {
		if bytes.HasPrefix(b[i:], []byte("«")) {
			if j := bytes.Index(b[i:], []byte("»")); j > 0 {
				return j + len("»")
			}
		}
		return 0
	}}.Walk(data, func(v Value) {
		if v.Start < 0 || v.End > len(data) || v.Start > v.End {
			t.Fatalf("Walk(%q) reported %+v", data, v)
		}
		if v.Key != nil && (len(v.Key) < 2 || v.Key[0] != '"') {
			t.Fatalf("Walk(%q) key %q", data, v.Key)
		}
	})
	if stop < 0 || stop > len(data) {
		t.Fatalf("Walk(%q) stopped at %d", data, stop)
	}
	for i := range data {
		if end, _ := Skip(data, i); end < i || end > len(data) {
			t.Fatalf("Skip(%q, %d) = %d", data, i, end)
		}
	}
	_, _ = Members(data, Space(data, 0), func(key, value []byte) error { return nil })
	_, _ = Elements(data, Space(data, 0), func(value []byte) error { return nil })
}
