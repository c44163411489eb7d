package replay

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Each step's time is shown on both sides, in the report and the JSON,
// but times are not compared: a server slow to check a password is the
// same login. --compare time reports the steps that took at least twice
// as long and 100 ms longer.
func TestDiffShowsTimesAndComparesThemOnlyWhenAsked(t *testing.T) {
	const slow = 250 * time.Millisecond
	fast := recordLogin(t, "bob", false, false)
	slowed := recordSession(t, newSlowSimSession(t, simNow, slow), "bob", false, false)
	d, err := DiffRecordings(fast, slowed, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := d.Text()
	if d.Differences() != 0 {
		t.Errorf("a slower server is reported different by default:\n%s", text)
	}
	// "  password 200  (A #4 1.2ms, B #4 251ms)"
	sides := regexp.MustCompile(`(?m)^  password 200  \(A #4 [0-9.]+ms, B #4 (2[5-9][0-9]|[3-9][0-9][0-9])ms\)$`)
	if !sides.MatchString(text) {
		t.Errorf("the password step does not show both times (B over %v):\n%s", slow, text)
	}
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back FlowDiff
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	pw := back.Runs[0].Steps[1]
	if pw.A.Time >= slow || pw.B.Time < slow {
		t.Errorf("JSON times of the password step: A %v, B %v (B waited %v)", pw.A.Time, pw.B.Time, slow)
	}

	d, _ = DiffRecordings(fast, slowed, DiffOptions{Compare: []string{"time"}})
	text = d.Text()
	if d.Differences() == 0 || !strings.Contains(text, "      time: ") {
		t.Errorf("--compare time does not report the slow steps:\n%s", text)
	}
	for _, s := range d.Runs[0].Steps {
		for _, x := range s.Diffs {
			if x.Path == "time" && s.A.answer == nil {
				t.Errorf("the last step (no POST, not slowed) is reported slow: %+v", x)
			}
		}
	}
}
