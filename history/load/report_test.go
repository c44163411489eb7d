package load

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func reportSnapshot() Snapshot {
	st := StageStats{Name: "password", Count: 10,
		Latency:  Percentiles{P50: 12 * time.Millisecond, P99: 40 * time.Millisecond, Max: 41 * time.Millisecond},
		TTFB:     Percentiles{P50: 9 * time.Millisecond, P99: 30 * time.Millisecond},
		Transfer: Percentiles{P50: 2500 * time.Microsecond, P99: 7 * time.Millisecond}}
	return Snapshot{Flow: "login", Target: "http://127.0.0.1:9000", Model: "closed", VUs: 2, Iterations: 10,
		Elapsed: 1500 * time.Millisecond, Planned: 2 * time.Second, Stages: []StageStats{st}, Iteration: st,
		RecentErrors: []ErrorEvent{{At: 750 * time.Millisecond, VU: 1, Iteration: 2, Stage: "password", Kind: ErrValidation, Message: "no"}}}
}

// The text report shows the server's time to first byte and the transfer
// after it as columns of their own.
func TestTextReportShowsTTFBAndTransferApart(t *testing.T) {
	text := reportSnapshot().Text()
	head, row := "", ""
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "stage") {
			head = l
		}
		if strings.HasPrefix(l, "password") {
			row = l
		}
	}
	for _, col := range []string{"ttfb p50", "ttfb p99", "xfer p50", "xfer p99"} {
		if !strings.Contains(head, col) {
			t.Errorf("no %q column: %q", col, head)
		}
	}
	f := strings.Fields(row)
	if !strings.Contains(row, "9.00ms") || !strings.Contains(row, "2.50ms") || !strings.Contains(row, "7.00ms") || len(f) != 13 {
		t.Errorf("the row lacks the ttfb (9.00ms) or transfer (2.50ms, 7.00ms) values: %q", row)
	}
}

// Every duration of the JSON report is in milliseconds, under a name
// ending in _ms, once: no nanosecond twin.
func TestJSONReportHasEveryDurationOnceInMilliseconds(t *testing.T) {
	var b strings.Builder
	if err := reportSnapshot().WriteJSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	var top map[string]any
	if err := json.Unmarshal([]byte(b.String()), &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"elapsed", "planned_duration"} {
		if _, ok := top[k]; ok {
			t.Errorf("%q is there besides %q_ms:\n%s", k, k, b.String())
		}
	}
	if top["elapsed_ms"] != 1500.0 || top["planned_duration_ms"] != 2000.0 {
		t.Errorf("elapsed_ms %v, planned_duration_ms %v", top["elapsed_ms"], top["planned_duration_ms"])
	}
	ev := top["recent_errors"].([]any)[0].(map[string]any)
	if _, ok := ev["at"]; ok || ev["at_ms"] != 750.0 {
		t.Errorf("error event times: %v", ev)
	}
}
