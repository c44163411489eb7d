package history

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// longLineRecording writes two exchanges, the second with a body of
// bodySize control bytes (a line longer than the reader's 1 MiB buffer),
// and returns the file's bytes.
func longLineRecording(t *testing.T, bodySize int) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "long"+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "f"}, WriterOptions{NoSync: true, NoRedact: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, body := range [][]byte{[]byte(`{"component":"ak-stage-identification"}`), bytes.Repeat([]byte{1}, bodySize)} {
		x := &transport.Exchange{ID: i + 1, Flow: "f", Kind: transport.KindExecutor, Method: "GET", Status: 200,
			URL: base + "/api/v3/flows/executor/f/", Component: "ak-stage-identification", ResponseBody: body}
		if err := w.Write(x); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Opening indexes a long exchange line from its summary: the body is not
// read into memory until the exchange is, and then it is whole.
func TestOpenKeepsOnlyTheSummaryOfALongLine(t *testing.T) {
	const bodySize = 6 << 20
	path := filepath.Join(t.TempDir(), "long"+Extension)
	if err := os.WriteFile(path, longLineRecording(t, bodySize), 0o600); err != nil {
		t.Fatal(err)
	}
	var rec *Recording
	var err error
	cost := allocated(func() { rec, err = Open(path) })
	if err != nil {
		t.Fatal(err)
	}
	if cost > 2<<20 { // the 1 MiB read buffer and the index
		t.Errorf("opening allocated %d bytes for a line of %d: the line was read whole", cost, bodySize*4/3)
	}
	if rec.Len() != 2 || len(rec.Warnings) > 0 || rec.Summary(1).Component != "ak-stage-identification" {
		t.Fatalf("%d exchanges, warnings %q", rec.Len(), rec.Warnings)
	}
	x, err := rec.Exchange(1)
	if err != nil || len(x.ResponseBody) != bodySize {
		t.Fatalf("the long exchange reads back as %d bytes (%v)", len(x.ResponseBody), err)
	}
	if res, err := rec.Search("identification"); err != nil || len(res.Hits) == 0 {
		t.Errorf("search over the long line: %+v, %v", res, err)
	}
}

// The end of a long line is told as before: cut off (no closing brace,
// no line end) is a torn last line; whole but without its '\n', or with
// "\r\n", it is an exchange.
func TestLongLastLineEnds(t *testing.T) {
	data := longLineRecording(t, 3<<20)
	whole := bytes.TrimSuffix(data, []byte("\n"))
	for _, tc := range []struct {
		name       string
		file       []byte
		exchanges  int
		incomplete bool
	}{
		{"cut off", whole[:len(whole)-1000], 1, true},
		{"no line end", whole, 2, false},
		{"CRLF", append(bytes.Clone(whole), "\r\n"...), 2, false},
	} {
		rec, err := OpenBytes(tc.file, ReadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if rec.Len() != tc.exchanges || rec.Incomplete() != tc.incomplete {
			t.Errorf("%s: %d exchanges, incomplete %v; want %d, %v (warnings %q)", tc.name, rec.Len(), rec.Incomplete(), tc.exchanges, tc.incomplete, rec.Warnings)
		}
		if tc.incomplete && !strings.Contains(strings.Join(rec.Warnings, ";"), "cut off") {
			t.Errorf("%s: warnings %q do not say the line was cut off", tc.name, rec.Warnings)
		}
		for i := range rec.Len() {
			if x, err := rec.Exchange(i); err != nil || x == nil {
				t.Errorf("%s: exchange %d: %v", tc.name, i, err)
			}
		}
	}
}
