package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// handlerRT serves requests with a handler in the same process: no
// sockets, so what is measured is the client side and the handler.
type handlerRT struct{ h http.Handler }

func (rt handlerRT) RoundTrip(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	rt.h.ServeHTTP(w, r)
	resp := w.Result()
	resp.Request = r
	return resp, nil
}

const benchBase = "http://sim.test"

// benchSetup records alice's login against an in-process simulator with
// the given number of load accounts: an account takes one TOTP code per
// 30 s step (django-otp's last_t), so every login of a benchmark is
// another account's.
func benchSetup(b *testing.B, accounts int) (http.RoundTripper, *history.Recording, sim.User) {
	s := sim.New(sim.Options{LoadUsers: max(accounts, 1)})
	rt := handlerRT{s}
	alice := simUser(b, s, "alice")
	c, err := transport.New(transport.Config{BaseURL: benchBase, Flow: "default-authentication-flow", Transport: rt})
	if err != nil {
		b.Fatal(err)
	}
	loginOnce(b, c, alice)
	rec := history.FromExchanges(history.Header{BaseURL: benchBase, Flow: "default-authentication-flow"}, c.Recorder().Exchanges())
	// Redact the way a recording on disk is: the password as a marker.
	red := redact.NewRedactor()
	var exs []*transport.Exchange
	for _, e := range c.Recorder().Exchanges() {
		exs = append(exs, red.Redact(e))
	}
	m := history.FromExchanges(rec.Header, exs)
	return rt, m, alice
}

// loginOnce is what a bare client does for one iteration: start (the
// flow page and the executor's first challenge), then identification,
// password and TOTP, each a POST and the GET of the redirect it answers
// with: 8 requests, 7 of them to the executor.
func loginOnce(b *testing.B, c *transport.Client, u sim.User) {
	ctx := context.Background()
	if _, err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	code, _ := flow.TOTP(u.TOTPSecret, time.Now())
	for _, a := range []flow.Answer{
		answer(flow.ComponentIdentify, map[string]any{"uid_field": u.Username}),
		answer(flow.ComponentPassword, map[string]any{"password": u.Password}, "password"),
		answer(flow.ComponentValidate, map[string]any{"code": code}, "code"),
	} {
		if _, err := c.Submit(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareClientIteration is the floor: one login with a plain
// transport.Client (a new jar each time) against the in-process
// simulator.
func BenchmarkBareClientIteration(b *testing.B) {
	rt, _, _ := benchSetup(b, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c, err := transport.New(transport.Config{BaseURL: benchBase, Flow: "default-authentication-flow", Transport: rt})
		if err != nil {
			b.Fatal(err)
		}
		loginOnce(b, c, sim.LoadUser(i+1))
	}
}

// BenchmarkLoadIteration is the same login made by the load generator:
// replay (answers rebuilt, compared with the recording), exchanges
// observed and grouped into stages, histograms. Its ns/op minus the bare
// client's is the generator's own cost per iteration.
func BenchmarkLoadIteration(b *testing.B) {
	rt, rec, _ := benchSetup(b, b.N)
	b.ReportAllocs()
	r, err := New(rec, Options{VUs: 1, Iterations: b.N, Transport: rt, Users: loadUsers(b.N)})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	snap := r.Run(context.Background())
	b.StopTimer()
	if snap.Failed != 0 || snap.Iterations != int64(b.N) {
		b.Fatalf("%d of %d iterations failed\n%s", snap.Failed, snap.Iterations, snap.Text())
	}
}

// BenchmarkLoadThroughput drives one virtual user per CPU, each with its
// own account, and reports executor requests a second (GET and POSTs to
// the executor, redirects followed to it included).
func BenchmarkLoadThroughput(b *testing.B) {
	vus := runtime.GOMAXPROCS(0)
	per := max(b.N/vus, 1)
	rt, rec, _ := benchSetup(b, vus*per)
	r, err := New(rec, Options{VUs: vus, Iterations: per, Transport: rt, Users: loadUsers(vus * per)})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	snap := r.Run(context.Background())
	el := time.Since(start)
	b.StopTimer()
	if snap.Failed != 0 {
		b.Fatalf("%d iterations failed\n%s", snap.Failed, snap.Text())
	}
	// Per iteration, 7 executor requests: the start's GET, and for each of
	// the three answers its POST and the GET of the redirect it answers
	// with (plus the flow page, not counted).
	b.ReportMetric(float64(snap.Iterations*executorRequests(b, rec))/el.Seconds(), "executor-req/s")
	b.ReportMetric(float64(snap.Iterations)/el.Seconds(), "iterations/s")
}

// executorRequests counts the requests to the flow executor an iteration
// of the recording sends: GETs, POSTs and the redirects followed to it.
func executorRequests(b *testing.B, rec *history.Recording) int64 {
	exs, err := rec.All()
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, e := range exs {
		if strings.Contains(e.URL, "/api/v3/flows/executor/") {
			n++
		}
	}
	if n != 7 {
		b.Fatalf("%d executor requests an iteration; the benchmark's comment and BENCHMARKS.md say 7", n)
	}
	return n
}
