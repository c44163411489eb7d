package har

import (
	"bytes"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history"
)

func TestHAREntryOverTheLimitIsSkippedWithoutReadingItWhole(t *testing.T) {
	var buf bytes.Buffer
	if err := Export(&buf, history.Exchanges(bigSession(3, false)), Options{NoRedact: true}); err != nil {
		t.Fatal(err)
	}
	var rec *history.Recording
	var err error
	cost := allocated(func() { rec, err = ImportWith(bytes.NewReader(buf.Bytes()), history.ReadOptions{MaxLine: testMaxLine}) })
	if err != nil {
		t.Fatal(err)
	}
	if cost > bigBody/2 {
		t.Errorf("importing allocated %d bytes for a %d-byte entry over a %d-byte limit", cost, bigBody, testMaxLine)
	}
	if want := len(syntheticSession()) - 1; rec.Len() != want {
		t.Errorf("imported %d exchanges, want %d", rec.Len(), want)
	}
	if len(rec.Warnings) != 1 || !strings.HasPrefix(rec.Warnings[0], "HAR entry 4 skipped (log.entries[3]): 6.0 MiB, over the limit of 64.0 KiB") {
		t.Errorf("warnings = %q", rec.Warnings)
	}
}

// A HAR on one line longer than the limit is still told apart from a
// recording and opened.
func TestOpenTellsAOneLineHAROverTheLimitFromARecording(t *testing.T) {
	var buf bytes.Buffer
	if err := Export(&buf, history.Exchanges(syntheticSession()), Options{}); err != nil {
		t.Fatal(err)
	}
	one := bytes.ReplaceAll(buf.Bytes(), []byte("\n"), nil)
	rec, err := history.OpenWith(writeTemp(t, "one.har", one), history.ReadOptions{MaxLine: int64(len(one)) / 4})
	if err != nil || rec.Format != history.FormatHAR || rec.Len() != len(syntheticSession()) {
		t.Fatalf("err %v, format %q, len %d", err, rec.Format, rec.Len())
	}
}
