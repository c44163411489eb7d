package replay

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinspect/akinspect/transport"
)

// A server slow only to check a wrong password makes that one step slow:
// the answer's time is not counted again in the retry its reply (a 200
// with the password stage again) brought.
func TestDiffComparesAnAnswersTimeInOneStepOnly(t *testing.T) {
	const slow = 250 * time.Millisecond
	var posts atomic.Int32
	slowWrongPassword := newSimSessionWith(t, simNow, func(s http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && posts.Add(1) == 2 { // identification, then the wrong password
				time.Sleep(slow)
			}
			s.ServeHTTP(w, r)
		})
	})
	fast := recordLogin(t, "bob", true, false)
	slowed := recordSession(t, slowWrongPassword, "bob", true, false)
	d, err := DiffRecordings(fast, slowed, DiffOptions{Compare: []string{"time"}})
	if err != nil {
		t.Fatal(err)
	}
	var slowSteps []string
	for _, s := range d.Runs[0].Steps {
		for _, x := range s.Diffs {
			if x.Path == "time" {
				slowSteps = append(slowSteps, s.A.Label())
			}
		}
	}
	if len(slowSteps) != 1 || slowSteps[0] != "password" {
		t.Errorf("steps reported slow: %q, want just password\n%s", slowSteps, d.Text())
	}
}

// An exchange without timings (a HAR that has none) is not "faster" than
// one that took 300 ms: --compare time leaves it out.
func TestDiffDoesNotCompareAMissingTime(t *testing.T) {
	ex := func(total time.Duration) *transport.Exchange {
		return &transport.Exchange{Method: http.MethodGet, Status: 200, Component: "ak-stage-password",
			ResponseBody: []byte(`{"component":"ak-stage-password"}`), Timing: transport.Timing{Total: total}}
	}
	opts := DiffOptions{Compare: []string{"time"}}
	if diffs := DiffExchanges(ex(0), ex(300*time.Millisecond), opts); len(diffs) != 0 {
		t.Errorf("a missing time is compared: %+v", diffs)
	}
	if diffs := DiffExchanges(ex(time.Millisecond), ex(300*time.Millisecond), opts); len(diffs) != 1 || diffs[0].Path != "time" {
		t.Errorf("a slow exchange is not reported with --compare time: %+v", diffs)
	}
}
