package load

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

func answer(component string, fields map[string]any, secrets ...string) flow.Answer {
	fields["component"] = component
	body, _ := json.Marshal(fields)
	return flow.Answer{Component: component, Body: body, Secrets: secrets}
}

// recordLogin logs u in (identification, password, TOTP) against base and
// writes a redacted recording, as `akinspect run --record` would.
func recordLogin(t testing.TB, base string, u sim.User, startOnly bool) string {
	t.Helper()
	c, err := transport.New(transport.Config{BaseURL: base, Flow: "default-authentication-flow", Query: "next=%2F"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "login.akinspect.jsonl")
	w, err := history.Create(path, history.Header{BaseURL: base, Flow: "default-authentication-flow", Query: "next=%2F"}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	ctx := context.Background()
	must := func(step *transport.Step, err error) *flow.Challenge {
		t.Helper()
		if err != nil {
			t.Fatalf("recording the login: %v", err)
		}
		return step.Challenge
	}
	must(c.Start(ctx))
	if !startOnly {
		must(c.Submit(ctx, answer(flow.ComponentIdentify, map[string]any{"uid_field": u.Username})))
		must(c.Submit(ctx, answer(flow.ComponentPassword, map[string]any{"password": u.Password}, "password")))
		code, _ := flow.TOTP(u.TOTPSecret, time.Now())
		if ch := must(c.Submit(ctx, answer(flow.ComponentValidate, map[string]any{"code": code}, "code"))); ch == nil || ch.Component != flow.ComponentRedirect {
			t.Fatalf("login did not finish: %+v", ch)
		}
	}
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func simUser(t testing.TB, s *sim.Server, name string) sim.User {
	for _, u := range s.Users() {
		if u.Username == name {
			return u
		}
	}
	t.Fatalf("no user %s", name)
	return sim.User{}
}

func loadUsers(n int) []User {
	out := make([]User, n)
	for i := range out {
		u := sim.LoadUser(i + 1)
		out[i] = User{Username: u.Username, Password: u.Password, TOTPSecret: u.TOTPSecret}
	}
	return out
}

func newSim(t testing.TB, users int, wrap func(http.Handler) http.Handler) (*sim.Server, *httptest.Server) {
	s := sim.New(sim.Options{LoadUsers: users})
	var h http.Handler = s
	if wrap != nil {
		h = wrap(s)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return s, ts
}

func TestLoginUnderLoadEveryIterationSucceeds(t *testing.T) {
	iterations := 50
	if testing.Short() {
		iterations = 5
	}
	// An account takes one TOTP code per 30 s step: one account per login
	// (virtual user i's iteration k logs in as account i+20k), so that no
	// virtual user waits for a step.
	accounts := 20 * iterations
	s, ts := newSim(t, accounts, nil)
	alice := simUser(t, s, "alice")
	rec, err := history.Open(recordLogin(t, ts.URL, alice, false))
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(rec, Options{VUs: 20, Iterations: iterations, Users: loadUsers(accounts), FailureDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	snap := r.Run(context.Background())
	want := int64(20 * iterations)
	if snap.Iterations != want || snap.Failed != 0 || snap.Interrupted != 0 || snap.TOTPWaits != 0 {
		t.Fatalf("%d iterations, %d failed, %d interrupted; want %d all fine\n%s", snap.Iterations, snap.Failed, snap.Interrupted, want, snap.Text())
	}
	names := []string{"start", "identification", "password", "authenticator-validate"}
	if len(snap.Stages) != len(names) {
		t.Fatalf("stages %v, want %v", r.Stages(), names)
	}
	for i, st := range snap.Stages {
		if st.Name != names[i] || st.Count != want || st.Errors != 0 {
			t.Errorf("stage %d: %s count %d errors %d", i, st.Name, st.Count, st.Errors)
		}
		if st.Latency.P50 <= 0 || st.Latency.Max < st.Latency.P99 || st.TTFB.P50 <= 0 || st.TTFB.P50 > st.Latency.Max {
			t.Errorf("stage %s latencies %+v ttfb %+v", st.Name, st.Latency, st.TTFB)
		}
	}
	text := snap.Text()
	for _, s := range append(names, "p50", "p99", "ttfb", "1000 iterations"[:0]) {
		if !strings.Contains(text, s) {
			t.Errorf("the report lacks %q:\n%s", s, text)
		}
	}
	if len(snap.Recordings) != 0 {
		t.Errorf("failure recordings written for a clean run: %v", snap.Recordings)
	}
}

func TestWrongPasswordFailsExactlyThatUsersIterations(t *testing.T) {
	// 4 virtual users × 3 iterations over 12 accounts: virtual user 3
	// logs in as load3, load7 and load11, whose passwords are wrong.
	s, ts := newSim(t, 12, nil)
	alice := simUser(t, s, "alice")
	orig := recordLogin(t, ts.URL, alice, false)
	rec, err := history.Open(orig)
	if err != nil {
		t.Fatal(err)
	}
	users := loadUsers(12)
	for _, i := range []int{2, 6, 10} {
		users[i].Password = "not-load3s-password"
	}
	dir := t.TempDir()
	r, err := New(rec, Options{VUs: 4, Iterations: 3, Users: users, FailureDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	snap := r.Run(context.Background())
	if snap.Iterations != 12 || snap.Failed != 3 || len(snap.FailedVUs) != 1 || snap.FailedVUs[0] != 3 {
		t.Fatalf("iterations %d failed %d by %v; want 3 failures, all of virtual user 3\n%s", snap.Iterations, snap.Failed, snap.FailedVUs, snap.Text())
	}
	pw := snap.Stages[2]
	if pw.Name != "password" || pw.Errors != 3 || pw.ByKind[ErrValidation] != 3 {
		t.Fatalf("password stage %+v", pw)
	}
	for _, e := range snap.RecentErrors {
		if e.VU != 3 || (e.User != "load3" && e.User != "load7" && e.User != "load11") || e.Kind != ErrValidation || e.Recording == "" {
			t.Errorf("error event %+v", e)
		}
		// The event carries the exchange it failed on, for the dashboard's
		// details pane: the password POST and its refusal, redacted.
		x := e.Exchange
		if x == nil || x.Method != http.MethodPost || x.Status != http.StatusOK ||
			!strings.Contains(string(x.ResponseBody), "Invalid password") || len(x.RequestHeader) == 0 {
			t.Fatalf("error event's exchange: %+v", x)
		}
		if strings.Contains(string(x.RequestBody), "not-load3s-password") || !strings.Contains(string(x.RequestBody), "redacted") {
			t.Errorf("the failed exchange's request shows the password: %s", x.RequestBody)
		}
	}
	if len(snap.Recordings) != 1 || !strings.Contains(snap.Recordings[0], "vu003-load3") {
		t.Fatalf("failure recordings %v", snap.Recordings)
	}
	data, err := os.ReadFile(snap.Recordings[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "not-load3s-password") {
		t.Fatal("the failure recording holds the password")
	}
	failed, err := history.Open(snap.Recordings[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(failed.Flows) != 3 || len(failed.Notes) != 3 {
		t.Errorf("failure recording: %d flow runs, %d notes; want one of each per failed iteration", len(failed.Flows), len(failed.Notes))
	}
	d, err := replay.DiffRecordings(rec, failed, replay.DiffOptions{})
	if err != nil {
		t.Fatalf("the failure recording does not diff against the original: %v", err)
	}
	if !strings.Contains(d.Text(), "password") {
		t.Errorf("diff does not show the password stage:\n%s", d.Text())
	}
}

// stallEvery sleeps for one request out of n.
func stallEvery(n int64, d time.Duration) func(http.Handler) http.Handler {
	var count atomic.Int64
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if count.Add(1)%n == 0 {
				time.Sleep(d)
			}
			h.ServeHTTP(w, r)
		})
	}
}

// The open model measures from the intended start: while one request
// stalls, the arrivals due meanwhile wait, and their wait is latency.
func TestOpenModelMeasuresFromTheIntendedStart(t *testing.T) {
	const stall = 200 * time.Millisecond
	s, ts := newSim(t, 0, nil)
	_, stalling := newSim(t, 0, stallEvery(10, stall))
	// A start-only recording: two requests an iteration, so every fifth
	// iteration meets a stalled request.
	rec, err := history.Open(recordLogin(t, ts.URL, simUser(t, s, "alice"), true))
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(rec, Options{BaseURL: stalling.URL, VUs: 1, Iterations: 20, Rate: 100})
	if err != nil {
		t.Fatal(err)
	}
	snap := r.Run(context.Background())
	if snap.Iterations != 20 || snap.Failed != 0 {
		t.Fatalf("%d iterations, %d failed\n%s", snap.Iterations, snap.Failed, snap.Text())
	}
	it := snap.Iteration
	// 4 of 20 iterations stall; a closed model (or a generator that waits
	// for the server) would put p50 at the service time, a few ms. The
	// arrivals due during each stall wait for it, so most iterations are
	// late by a large part of the stall.
	if it.Latency.P50 < stall*3/4 {
		t.Errorf("open model p50 %v: the time spent waiting behind the %v stalls is missing", it.Latency.P50, stall)
	}
	if it.Latency.Max < stall {
		t.Errorf("max %v below the stall %v", it.Latency.Max, stall)
	}
	// The server's own time to first byte stays low for most requests.
	if snap.Stages[0].TTFB.P50 >= stall/2 {
		t.Errorf("ttfb p50 %v: should be the server's quick answers", snap.Stages[0].TTFB.P50)
	}
}
