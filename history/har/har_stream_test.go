package har

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/internal/jsonscan"
)

// FuzzContainer: the stream finds where a container ends as a reading of
// the whole text does (brackets counted outside strings, a string ending
// at a quote after an even run of backslashes), across buffer boundaries.
func FuzzContainer(f *testing.F) {
	for _, s := range []string{`"a":1}`, `"a\"}":[1,{"b":"\\"}]}`, `"\\\\\\\"}"}`, `]`, `"abc`, `[[`, `"x":"` + string(bytes.Repeat([]byte(`\\`), 20)) + `"}`} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		end, closed, inString := refContainerEnd(data)
		s := &harStream{br: bufio.NewReaderSize(bytes.NewReader(data), 16+int(size%64))}
		out := &capped{max: 1 << 20}
		err := s.value('{', out)
		switch {
		case closed && (err != nil || !bytes.Equal(out.buf[1:], data[:end]) || s.off != int64(end)):
			t.Fatalf("%q: %q, %d, %v; want %q", data, out.buf, s.off, err, data[:end])
		case !closed && err == nil:
			t.Fatalf("%q: closed at %d", data, s.off)
		case !closed && inString != (err.Error() == "the document ends inside a string"):
			t.Fatalf("%q: %v, in a string: %v", data, err, inString)
		}
	})
}

// refContainerEnd reads data, the rest of a container after its first byte.
func refContainerEnd(data []byte) (end int, closed, inString bool) {
	depth := 1
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			e, ok := jsonscan.StringEnd(data, i)
			if !ok {
				return len(data), false, true
			}
			i = e - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1, true, false
			}
		}
	}
	return len(data), false, false
}

// A HAR whose structure breaks off says where and what it expected there.
func TestStreamSaysWhatItExpected(t *testing.T) {
	for doc, want := range map[string]string{
		`{"log":{"entries":[{} {}]}}`:            `expected ',' or ']' at byte 22, found '{'`,
		`{"log":{"version":"1.2" "entries":[]}}`: `expected ',' or '}' at byte 24, found '"'`,
		`{"log":{"entries":[{}`:                  "the document ends inside log.entries",
		`{"log":{"version":"1.2"`:                "the document ends inside an object",
	} {
		_, err := walkHAR(strings.NewReader(doc), 1<<20, func() []byte { return nil }, func(int, []byte, int64, int64) {})
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %s", doc, err, want)
		}
	}
}
