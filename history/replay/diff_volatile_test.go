package replay

import (
	"strings"
	"testing"
	"time"
)

// A TOTP code kept in the recordings (--no-redact) is new every 30 s: two
// logins a minute apart are the same by default; --compare answer.code
// shows the codes.
func TestDiffIgnoresTheTOTPCodeSentByDefault(t *testing.T) {
	a := recordLoginAt(t, simNow, "alice", false, true)
	b := recordLoginAt(t, simNow.Add(time.Minute), "alice", false, true)
	d, err := DiffRecordings(a, b, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Differences() != 0 {
		t.Errorf("two logins a minute apart differ:\n%s", d.Text())
	}
	d, _ = DiffRecordings(a, b, DiffOptions{Compare: []string{"answer.code"}})
	if !strings.Contains(d.Text(), "answer.code:") {
		t.Errorf("--compare answer.code does not show the codes:\n%s", d.Text())
	}
}
