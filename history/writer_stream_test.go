package history

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// memFile is a recordFile in memory.
type memFile struct{ bytes.Buffer }

func (*memFile) Sync() error              { return nil }
func (m *memFile) Truncate(n int64) error { m.Buffer.Truncate(int(n)); return nil }
func (*memFile) Close() error             { return nil }

// streamedLine is the line the Writer streams for e, through a buffer of
// bufSize bytes (0: the Writer's own), and the number of write calls.
func streamedLine(t testing.TB, e *transport.Exchange, bufSize int) ([]byte, int) {
	t.Helper()
	f := &countingFile{}
	var l lineWriter
	if bufSize > 0 {
		l.buf = make([]byte, 0, bufSize)
	}
	l.reset(f)
	var scratch bytes.Buffer
	if err := encodeExchange(&l, &scratch, e); err != nil {
		t.Fatal(err)
	}
	l.flush()
	if l.err != nil || l.n != int64(f.Len()) {
		t.Fatalf("line writer: err %v, %d bytes counted, %d written", l.err, l.n, f.Len())
	}
	return f.Bytes(), f.writes
}

type countingFile struct {
	memFile
	writes int
}

func (c *countingFile) Write(p []byte) (int, error) { c.writes++; return c.memFile.Write(p) }

// marshalledLine is the line as encoding/json writes the record, which
// is what the Writer wrote before it streamed: the format's reference.
func marshalledLine(t testing.TB, e *transport.Exchange) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(toRecord(e)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// streamBodies are bodies whose encoding must not change: quotes,
// backslashes, every control byte, HTML characters, U+2028/2029, DEL,
// non-UTF-8 (base64), control-heavy text (base64), and none at all.
func streamBodies() [][]byte {
	var ctl []byte
	for c := 0; c < 0x20; c++ {
		ctl = append(ctl, 'a', 'b', 'c', 'd', 'e', 'f', byte(c))
	}
	return [][]byte{
		nil,
		{},
		[]byte(`{"component":"ak-stage-password","password":"p\"w\\d"}`),
		[]byte(`say "hi" \ back\\slash \"`),
		ctl,
		[]byte("<script>&amp;</script> \u2028 line \u2029 para \x7f del é 漢字 🙂"),
		[]byte("\xff\xfe not utf-8 \xc3"),
		bytes.Repeat([]byte{0x01}, 100),
		[]byte("\x00"),
		[]byte("\u2028"),
		[]byte(strings.Repeat("é\"\n", 40000)), // longer than the line buffer
		bytes.Repeat([]byte{0x01, 0xff}, 70000),
	}
}

func streamExchanges() []*transport.Exchange {
	out := syntheticSession()
	for i, b := range streamBodies() {
		for j, rb := range [][]byte{b, []byte(`{"component":"ak-stage-identification"}`)} {
			e := *syntheticSession()[5]
			e.ID = 100 + 2*i + j
			e.RequestBody, e.ResponseBody = b, rb
			if j == 1 {
				e.RequestBody, e.ResponseBody = rb, b
			}
			out = append(out, &e)
		}
	}
	bare := &transport.Exchange{ID: 200, Method: "GET", URL: "http://h/x"} // nil headers, jar, flags
	odd := *syntheticSession()[3]
	odd.ID, odd.Proto, odd.Error, odd.Diagnosis, odd.Truncated = 201, "HTTP/2.0", "a \"bad\" <thing>\x1b", "why\u2028", true
	odd.Secrets = []string{"password", "x\"y"}
	odd.ResponseHeader = nil
	empty := odd
	empty.ID, empty.ResponseHeader, empty.Secrets, empty.JarChanges = 202, map[string][]string{}, []string{}, []transport.CookieChange{}
	return append(out, bare, &odd, &empty)
}

// The streamed line is byte for byte the line encoding/json writes for
// the record: the format does not change, whatever the body, and however
// the line is cut into writes.
func TestStreamedLineIsTheMarshalledRecord(t *testing.T) {
	for _, e := range streamExchanges() {
		want := marshalledLine(t, e)
		for _, size := range []int{0, 1, 7, 64} {
			got, _ := streamedLine(t, e, size)
			if !bytes.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Fatalf("exchange %d, buffer %d: streamed line differs at byte %d:\n got …%q\nwant …%q",
					e.ID, size, i, got[max(0, i-40):min(len(got), i+40)], want[max(0, i-40):min(len(want), i+40)])
			}
		}
	}
}

// A line that fits the buffer is still one write call.
func TestStreamedLineIsOneWriteWhenItFits(t *testing.T) {
	e := syntheticSession()[5]
	if _, writes := streamedLine(t, e, 0); writes != 1 {
		t.Errorf("a small line took %d write calls", writes)
	}
}

// The Writer's file holds those lines: with NoRedact, each exchange line
// is the marshalled record.
func TestWriterFileHoldsTheMarshalledLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r"+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "default-authentication-flow"}, WriterOptions{NoRedact: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	for _, e := range streamExchanges() {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
		want = append(want, marshalledLine(t, e))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if bytes.HasPrefix(line, []byte(`{"type":"exchange"`)) {
			got = append(got, line)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d exchange lines in the file, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("line of exchange %d differs from the marshalled record", i)
		}
	}
	// Read back from the file, and from memory as the fuzz tests read.
	fromFile, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fromMemory, err := OpenBytes(data, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range []*Recording{fromFile, fromMemory} {
		if rec.Len() != len(want) {
			t.Fatalf("%q: %d exchanges read back, want %d", rec.Path, rec.Len(), len(want))
		}
		for i, e := range streamExchanges() {
			x, err := rec.Exchange(i)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(x.RequestBody, e.RequestBody) || !bytes.Equal(x.ResponseBody, e.ResponseBody) {
				t.Errorf("%q: exchange %d: bodies do not read back", rec.Path, e.ID)
			}
		}
		if hits := searchHits(t, rec, "é"); rec == fromMemory && len(hits) != len(searchHits(t, fromFile, "é")) {
			t.Errorf("search in memory found %d hits, in the file %d", len(hits), len(searchHits(t, fromFile, "é")))
		}
	}
}

// FuzzStreamedBody: any body, as request or response, streams to the
// bytes encoding/json writes.
func FuzzStreamedBody(f *testing.F) {
	for _, b := range streamBodies() {
		if len(b) < 1024 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e := &transport.Exchange{ID: 1, Method: "POST", URL: "http://h/", RequestBody: b, ResponseBody: b}
		got, _ := streamedLine(t, e, 5)
		if want := marshalledLine(t, e); !bytes.Equal(got, want) {
			t.Fatalf("streamed %q\n  marshalled %q", got, want)
		}
	})
}
