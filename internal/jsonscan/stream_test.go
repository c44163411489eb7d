package jsonscan

import (
	"encoding/json"
	"slices"
	"testing"
)

// FuzzStreamMatchesWhole holds the readers of text in pieces to the
// readers of whole text. On any input cut anywhere, Stream finds the same
// brackets as on the input whole. On valid JSON those brackets are where
// Walk's containers start and end, and ValueEnd, fed the pieces after a
// value's first byte, ends where Skip ends.
func FuzzStreamMatchesWhole(f *testing.F) {
	for _, seed := range []string{
		`{}`, `[]`, `{"a":"}"}`, `{"a" : "x\"y" , "b":[1,{"c":"}"}],"d":null}`, `"a\\"`, `"\\\"{"`,
		`{"s":"\\\\\""}`, `12.5`, `true`, `[1,[2,[3]]]`, "{\n \"k\": [\n  \"v\"\n ]\n}", `{"a":"b\`, `]}`,
		`nul{"a":1}`, `{"a":tru"e"}`,
	} {
		f.Add([]byte(seed), uint8(1), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut1, cut2 uint8) {
		cuts := pieces(data, int(cut1), int(cut2))
		if got, want := streamBrackets(cuts), streamBrackets([][]byte{data}); !slices.Equal(got, want) {
			t.Fatalf("brackets of %q in pieces %q: %v, whole: %v", data, cuts, got, want)
		}
		if !json.Valid(data) {
			return
		}
		var want []int
		Walk(data, func(v Value) {
			if v.Kind == Object || v.Kind == Array {
				want = append(want, v.Start, v.End-1)
			}
		})
		slices.Sort(want)
		if got := streamBrackets([][]byte{data}); !slices.Equal(got, want) {
			t.Fatalf("brackets of %q: %v, Walk's containers: %v", data, got, want)
		}
		start := Space(data, 0)
		wantEnd, _ := Skip(data, start)
		if end := valueEnd(data, start, int(cut1)); end != wantEnd {
			t.Fatalf("ValueEnd(%q) = %d, Skip: %d", data, end, wantEnd)
		}
	})
}

// pieces cuts data at two places.
func pieces(data []byte, a, b int) [][]byte {
	a, b = min(a, len(data)), min(b, len(data))
	if a > b {
		a, b = b, a
	}
	return [][]byte{data[:a], data[a:b], data[b:]}
}

// streamBrackets is where Stream finds brackets, as offsets into the
// pieces joined.
func streamBrackets(cuts [][]byte) []int {
	var s Stream
	var out []int
	off := 0
	for _, p := range cuts {
		for i := s.Bracket(p, 0); i < len(p); i = s.Bracket(p, i+1) {
			out = append(out, off+i)
		}
		off += len(p)
	}
	return out
}

// valueEnd feeds ValueEnd the value at data[start] in pieces of n bytes
// and returns where it ended, or len(data).
func valueEnd(data []byte, start, n int) int {
	v := NewValueEnd(data[start])
	n = max(n%8, 1)
	for i := start + 1; i < len(data); i += n {
		piece := data[i:min(len(data), i+n)]
		if k, done := v.Feed(piece); done {
			return i + k
		}
	}
	return len(data)
}

func TestValueEndOnMalformedText(t *testing.T) {
	for _, c := range []struct {
		text string
		end  int
		done bool
	}{
		{`tru"e",1`, 6, true},    // a token runs to the ',' of its container: the decoder says what is wrong
		{`nul{"a":1}]`, 9, true}, // ... or to a closing bracket
		{`123`, 3, false},        // a token may end with the text
		{`{"a":"}"]`, 9, true},   // brackets counted, not matched
		{`"ab\"`, 5, false},      // still in the string
		{`{"a":[1,2}`, 10, false},
	} {
		v := NewValueEnd(c.text[0])
		n, done := v.Feed([]byte(c.text[1:]))
		if n+1 != c.end || done != c.done {
			t.Errorf("ValueEnd(%q) = %d, %v; want %d, %v", c.text, n+1, done, c.end, c.done)
		}
	}
	v := NewValueEnd('{')
	if v.Feed([]byte(`"a":"b\`)); !v.InString() || v.Token() {
		t.Error("a container cut off inside a string does not say so")
	}
	if v = NewValueEnd('1'); !v.Token() {
		t.Error("a number is not a token")
	}
}

func TestStreamCarriesAnEscapeAcrossPieces(t *testing.T) {
	// The piece ends just after a backslash inside a string: the quote
	// that starts the next piece is escaped.
	var s Stream
	if i := s.Bracket([]byte(`{"a\`), 1); i != 4 || !s.InString() {
		t.Fatalf("Bracket = %d, in string %v", i, s.InString())
	}
	if i := s.Bracket([]byte(`"}"}`), 0); i != 3 {
		t.Fatalf("the escaped quote ended the string: bracket at %d", i)
	}
}
