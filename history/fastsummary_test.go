package history

import (
	"bytes"
	"testing"

	"github.com/akinspect/akinspect/history/internal/jsonobj"
)

func TestParseSummaryFastPathReadsWhatWriterWrites(t *testing.T) {
	for _, e := range syntheticSession() {
		line := jsonobj.MarshalNoEscape(toRecord(e))
		i := bytes.Index(line, []byte(summaryEnd))
		var s summaryRecord
		if err := parseSummary(append(line[:i:i], '}'), &s, newInterner()); err != nil {
			t.Fatalf("fast path failed on %s: %v", line[:i], err)
		}
		if s.ID != e.ID || s.URL != e.URL || s.Status != e.Status || s.Component != e.Component || !s.Start.Equal(e.Start) || s.Timing != e.Timing || len(s.Flags) != len(e.Flags) {
			t.Errorf("fast path read %+v from exchange %d", s, e.ID)
		}
	}
}
