package load

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
)

// refuseReusedCodes refuses a TOTP code that was accepted before, as
// authentik does (django-otp's last_t: a device takes a code only from a
// later step than the last it took). The accounts' secrets differ, so a
// code seen before is one account's code used twice.
func refuseReusedCodes(h http.Handler) http.Handler {
	var mu sync.Mutex
	seen := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var a struct{ Component, Code string }
			if json.Unmarshal(peekBody(r), &a) == nil && a.Component == flow.ComponentValidate {
				mu.Lock()
				reused := seen[a.Code]
				seen[a.Code] = true
				mu.Unlock()
				if reused {
					w.Header().Set("Content-Type", "application/json")
					_ = json.NewEncoder(w).Encode(map[string]any{"component": flow.ComponentValidate,
						"response_errors": map[string]any{"code": []map[string]string{{"string": "Invalid Token", "code": "invalid"}}}})
					return
				}
			}
		}
		h.ServeHTTP(w, r)
	})
}

// Virtual users sharing one TOTP account take turns, a step each: the
// second waits for the next 30 s step instead of sending the code the
// first used, and both log in. The clock starts 300 ms before a step ends,
// so the wait is short.
func TestVirtualUsersSharingAnAccountTakeATOTPStepEach(t *testing.T) {
	clock := nearStepEnd()
	s := sim.New(sim.Options{Now: clock})
	rec := aliceLogin(t)
	_, ts := newSimServer(t, refuseReusedCodes(s))
	r, err := New(rec, Options{BaseURL: ts, VUs: 2, Iterations: 1, Now: clock,
		Secrets: map[string]string{"password": simUser(t, s, "alice").Password}, TOTPSecret: simUser(t, s, "alice").TOTPSecret})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan Snapshot)
	go func() { done <- r.Run(t.Context()) }()
	var snap Snapshot
	sawWaiting := false
	for waiting := true; waiting; {
		select {
		case snap = <-done:
			waiting = false
		case <-time.After(5 * time.Millisecond):
			sawWaiting = sawWaiting || r.Snapshot().TOTPWaiting == 1
		}
	}
	if snap.Iterations != 2 || snap.Failed != 0 || snap.TOTPWaits != 1 {
		t.Fatalf("%d iterations, %d failed, %d waited for a TOTP step; want 2, none, 1\n%s", snap.Iterations, snap.Failed, snap.TOTPWaits, snap.Text())
	}
	// While the second waited, the dashboard and progress line could say so.
	if !sawWaiting || snap.TOTPWaiting != 0 {
		t.Errorf("TOTPWaiting: seen 1 during the wait %v, %d at the end; want true, 0", sawWaiting, snap.TOTPWaiting)
	}
}

func TestTOTPPacerClaimsOneStepPerCode(t *testing.T) {
	p := newTOTPPacer()
	now := totpStepStart(1000).Add(10 * time.Second)
	for i, want := range []int64{1000, 1001, 1002} {
		if got := p.claim("A", now); got != want {
			t.Errorf("claim %d of one secret in one step: step %d, want %d", i+1, got, want)
		}
	}
	if got := p.claim("B", now); got != 1000 {
		t.Errorf("another secret: step %d, want the current 1000", got)
	}
	if got := p.claim("A", totpStepStart(1010)); got != 1010 {
		t.Errorf("later: step %d, want the current 1010", got)
	}
	pinned := pinnedClock(func() time.Time { return totpStepStart(1002).Add(time.Second) }, 1001)
	if totpStep(pinned()) != 1001 {
		t.Errorf("a code computed after its step ended is not its step's")
	}
}

func newSimServer(t *testing.T, h http.Handler) (http.Handler, string) {
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return h, ts.URL
}

// A load started right after its recording (the README's example) must
// not send the recorded account the code the recording sent moments ago:
// the recorded login's step is taken, so the account's first code comes
// from the next step.
func TestLoadAfterTheRecordingSkipsTheRecordedStep(t *testing.T) {
	s, ts := newSim(t, 0, nil)
	alice := simUser(t, s, "alice")
	rec, err := history.Open(recordLogin(t, ts.URL, alice, false))
	if err != nil {
		t.Fatal(err)
	}
	exs, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	var sent time.Time
	for _, x := range exs {
		if c, _ := flow.AnswerComponent(x.RequestBody); c == flow.ComponentValidate {
			sent = x.Start
		}
	}
	if sent.IsZero() {
		t.Fatal("the recording answers no TOTP stage")
	}
	for name, opts := range map[string]Options{
		"recorded account": {TOTPSecret: alice.TOTPSecret, Secrets: map[string]string{"password": alice.Password}},
		"users file":       {Users: []User{{Username: alice.Username, Password: alice.Password, TOTPSecret: alice.TOTPSecret}}},
	} {
		opts.BaseURL, opts.VUs, opts.Iterations = ts.URL, 1, 1
		r, err := New(rec, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.pacer.claim(alice.TOTPSecret, sent), totpStep(sent)+1; got != want {
			t.Errorf("%s: the first load login takes step %d, want %d (the recording used %d)", name, got, want, want-1)
		}
	}
}

// aliceLogin records alice's login on a simulator of its own: the
// recording the TOTP pacing tests replay.
func aliceLogin(t *testing.T) *history.Recording {
	t.Helper()
	plain, pts := newSim(t, 0, nil)
	rec, err := history.Open(recordLogin(t, pts.URL, simUser(t, plain, "alice"), false))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// nearStepEnd is a clock that starts 300 ms before a TOTP step ends.
func nearStepEnd() func() time.Time {
	t0, began := time.Unix(1_800_000_000/30*30+30, 0).Add(-300*time.Millisecond), time.Now()
	return func() time.Time { return t0.Add(time.Since(began)) }
}
