package load

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/sim"
)

// Two virtual users share a TOTP account; the one that claimed the
// earlier step is slow (its password POST takes a second, past the step's
// end). Its code must still reach the server before the other's later
// one, else authentik (last_t) refuses it: both iterations log in.
func TestSlowVirtualUserStillSendsItsTOTPCodeFirst(t *testing.T) {
	clock := nearStepEnd()
	s := sim.New(sim.Options{Now: clock})
	rec := aliceLogin(t)
	var mu sync.Mutex
	delayed := false
	slowFirstPassword := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var a struct{ Component string }
			if json.Unmarshal(peekBody(r), &a) == nil && a.Component == flow.ComponentPassword {
				mu.Lock()
				slow := !delayed
				delayed = true
				mu.Unlock()
				if slow {
					time.Sleep(time.Second)
				}
			}
		}
		s.ServeHTTP(w, r)
	})
	_, ts := newSimServer(t, refuseReusedCodes(slowFirstPassword))
	r, err := New(rec, Options{BaseURL: ts, VUs: 2, Iterations: 1, Now: clock,
		Secrets: map[string]string{"password": simUser(t, s, "alice").Password}, TOTPSecret: simUser(t, s, "alice").TOTPSecret})
	if err != nil {
		t.Fatal(err)
	}
	snap := r.Run(t.Context())
	if snap.Iterations != 2 || snap.Failed != 0 {
		t.Fatalf("%d of %d iterations failed though each took its own step\n%s", snap.Failed, snap.Iterations, snap.Text())
	}
}

// A one-second run whose second virtual user would have to wait for the
// next 30 s TOTP step ends after about a second, without that iteration.
func TestDurationEndsARunWaitingForATOTPStep(t *testing.T) {
	rec := aliceLogin(t)
	for _, rate := range []float64{0, 10} { // closed and open loop
		t0, began := time.Unix(1_800_000_000/30*30, 0), time.Now()
		clock := func() time.Time { return t0.Add(time.Since(began)) }
		s := sim.New(sim.Options{Now: clock})
		_, ts := newSimServer(t, refuseReusedCodes(s))
		r, err := New(rec, Options{BaseURL: ts, VUs: 2, Rate: rate, Duration: time.Second, Now: clock,
			Secrets: map[string]string{"password": simUser(t, s, "alice").Password}, TOTPSecret: simUser(t, s, "alice").TOTPSecret})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		snap := r.Run(t.Context())
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("rate %v: a 1s run took %v", rate, took.Round(time.Second))
		}
		if snap.Failed != 0 {
			t.Errorf("rate %v: %d of %d iterations failed\n%s", rate, snap.Failed, snap.Iterations, snap.Text())
		}
	}
}
