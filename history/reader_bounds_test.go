package history

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// The limit is lowered for these tests: lines of a few MB stand in for the
// 100 MB ones a default limit of 16 MiB guards against.
func writeExchanges(t *testing.T, session []*transport.Exchange) string {
	t.Helper()
	path, w := createForFullDisk(t, "big")
	for _, e := range session {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenReadsALineOverTheLimitOnlyAsItsSummary(t *testing.T) {
	const big = 3
	path := writeExchanges(t, bigSession(big, false))
	var rec *Recording
	var err error
	cost := allocated(func() { rec, err = OpenWith(path, ReadOptions{MaxLine: testMaxLine}) })
	if err != nil {
		t.Fatal(err)
	}
	if cost > bigBody/2 {
		t.Errorf("opening allocated %d bytes for a %d-byte line over a %d-byte limit", cost, bigBody, testMaxLine)
	}
	session := syntheticSession()
	if rec.Len() != len(session) {
		t.Fatalf("opened %d exchanges, want all %d (the big one as a row)", rec.Len(), len(session))
	}
	if len(rec.Warnings) != 1 || !strings.HasPrefix(rec.Warnings[0], "exchange 4: line of 6.0 MiB, over the limit of 64.0 KiB") {
		t.Errorf("warnings = %q", rec.Warnings)
	}
	if s := rec.Summary(big); s.ID != 4 || s.Component != session[big].Component || s.Status != session[big].Status {
		t.Errorf("row of the big exchange = %+v", s)
	}
	var e *transport.Exchange
	cost = allocated(func() { e, err = rec.Exchange(big) })
	if err != nil || cost > bigBody/2 {
		t.Fatalf("reading the big exchange: %v, %d bytes allocated", err, cost)
	}
	if !e.Truncated || !e.Has(transport.FlagTruncated) || len(e.ResponseBody) != 0 || !strings.Contains(e.Diagnosis, "over the limit") {
		t.Errorf("big exchange read as %s truncated=%v flags=%v body=%d diagnosis=%q", describe(e), e.Truncated, e.Flags, len(e.ResponseBody), e.Diagnosis)
	}
	var all []*transport.Exchange
	cost = allocated(func() { all, err = rec.All() })
	if err != nil || cost > bigBody/2 {
		t.Fatalf("All: %v, %d bytes allocated", err, cost)
	}
	for i, got := range all {
		if i != big && describe(got) != describe(session[i]) {
			t.Errorf("exchange %d: got %s, want %s", i, describe(got), describe(session[i]))
		}
	}
	if hits := searchHits(t, rec, "abcdef0123"); len(hits) != 0 {
		t.Errorf("search looked into the line over the limit: %+v", hits)
	}
}

func TestOpenWithTheDefaultLimitReadsBigLinesWhole(t *testing.T) {
	path := writeExchanges(t, bigSession(3, false))
	rec, err := Open(path)
	if err != nil || len(rec.Warnings) != 0 {
		t.Fatalf("err %v, warnings %q", err, rec.Warnings)
	}
	e, err := rec.Exchange(3)
	if err != nil || len(e.ResponseBody) != bigBody || e.Truncated {
		t.Errorf("a 6 MiB body under the default limit: %v, %d bytes", err, len(e.ResponseBody))
	}
}
