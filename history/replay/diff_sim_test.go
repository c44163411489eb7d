package replay

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// simSession records what transport clients do against one simulator, as
// `akinspect run --record` writes it: the inputs of the diff tests are
// real exchanges, not hand-written ones.
type simSession struct {
	t   testing.TB
	s   *sim.Server
	url string
	now time.Time // the simulator's clock
}

func newSimSession(t testing.TB, now time.Time) *simSession {
	return newSlowSimSession(t, now, 0)
}

// newSlowSimSession is a simulator that answers every POST slowPOST late,
// as a server with a slow password check does.
func newSlowSimSession(t testing.TB, now time.Time, slowPOST time.Duration) *simSession {
	return newSimSessionWith(t, now, func(s http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				time.Sleep(slowPOST)
			}
			s.ServeHTTP(w, r)
		})
	})
}

// newSimSessionWith is a simulator behind wrap.
func newSimSessionWith(t testing.TB, now time.Time, wrap func(http.Handler) http.Handler) *simSession {
	t.Helper()
	s := sim.New(sim.Options{Now: func() time.Time { return now }})
	ts := httptest.NewServer(wrap(s))
	t.Cleanup(ts.Close)
	return &simSession{t: t, s: s, url: ts.URL, now: now}
}

// simDriver is one client on its way through a flow.
type simDriver struct {
	t    testing.TB
	now  time.Time // when TOTP codes are computed
	c    *transport.Client
	step *transport.Step
}

func (ss *simSession) client(slug string, noCSRF bool) *simDriver {
	ss.t.Helper()
	c, err := transport.New(transport.Config{BaseURL: ss.url, Flow: slug, NoCSRF: noCSRF})
	if err != nil {
		ss.t.Fatal(err)
	}
	return &simDriver{t: ss.t, c: c, now: ss.now}
}

func (d *simDriver) took(step *transport.Step, err error) {
	d.t.Helper()
	if err != nil {
		d.t.Fatal(err)
	}
	d.step = step
}

func (d *simDriver) start() { d.t.Helper(); d.took(d.c.Start(context.Background())) }

// answer fills the form of the challenge shown with values, as a person
// would, and submits it (secret fields are marked so).
func (d *simDriver) answer(values map[string]string) {
	d.t.Helper()
	ch := d.step.Challenge
	a, err := flow.BuildAnswer(flow.FormFor(ch), values, flow.DetectVersion(ch))
	if err != nil {
		d.t.Fatal(err)
	}
	d.took(d.c.Submit(context.Background(), a))
}

func (d *simDriver) reached(component string) {
	d.t.Helper()
	if ch := d.step.Challenge; ch == nil || ch.Component != component {
		d.t.Fatalf("the flow reached %+v, want %s", ch, component)
	}
}

// login logs name in (a wrong password first when wrongFirst).
func (d *simDriver) login(u sim.User, wrongFirst bool) {
	d.t.Helper()
	d.start()
	d.answer(map[string]string{"uid_field": u.Username})
	if wrongFirst {
		d.answer(map[string]string{"password": "not-the-password"})
		if d.step.Challenge == nil || len(d.step.Challenge.Errors("password")) == 0 {
			d.t.Fatalf("the wrong password was not rejected: %+v", d.step.Challenge)
		}
	}
	d.answer(map[string]string{"password": u.Password})
	if u.TOTPSecret != "" {
		code, err := flow.TOTP(u.TOTPSecret, d.now)
		if err != nil {
			d.t.Fatal(err)
		}
		d.answer(map[string]string{"code": code})
	}
	d.reached(flow.ComponentRedirect)
}

// record writes what drive makes d do to a recording (secrets kept when
// noRedact) and opens it.
func (ss *simSession) record(d *simDriver, name string, noRedact bool, drive func()) *history.Recording {
	ss.t.Helper()
	cfg := d.c.Config()
	path := filepath.Join(ss.t.TempDir(), name+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: ss.url, Flow: cfg.Flow}, history.WriterOptions{NoRedact: noRedact})
	if err != nil {
		ss.t.Fatal(err)
	}
	stop := w.Observe(d.c.Recorder())
	drive()
	stop()
	if err := w.Close(); err != nil {
		ss.t.Fatal(err)
	}
	rec, err := history.Open(path)
	if err != nil {
		ss.t.Fatal(err)
	}
	return rec
}

// recordLogin records name's login, a wrong password first when wrongFirst.
func recordLogin(t testing.TB, name string, wrongFirst, noRedact bool) *history.Recording {
	return recordLoginAt(t, simNow, name, wrongFirst, noRedact)
}

// recordLoginAt is recordLogin with the simulator's clock at now.
func recordLoginAt(t testing.TB, now time.Time, name string, wrongFirst, noRedact bool) *history.Recording {
	return recordSession(t, newSimSession(t, now), name, wrongFirst, noRedact)
}

// recordSession records name's login on the simulator of ss.
func recordSession(t testing.TB, ss *simSession, name string, wrongFirst, noRedact bool) *history.Recording {
	d := ss.client("default-authentication-flow", false)
	return ss.record(d, name, noRedact, func() { d.login(simUser(t, ss.s, name), wrongFirst) })
}

// recordConsent records bob's consent after a login in another client
// (its cookies loaded, as `run --cookies` does); noCSRF: the client never
// sends X-authentik-CSRF, so the consent POST fails.
func recordConsent(t testing.TB, noCSRF bool) *history.Recording {
	return recordConsentOn(t, newSimSession(t, simNow), noCSRF)
}

// recordConsentOn is recordConsent on the simulator of ss.
func recordConsentOn(t testing.TB, ss *simSession, noCSRF bool) *history.Recording {
	login := ss.client("default-authentication-flow", noCSRF)
	login.login(simUser(t, ss.s, "bob"), false)
	jar := filepath.Join(t.TempDir(), "jar.txt")
	if err := login.c.SaveCookies(jar); err != nil {
		t.Fatal(err)
	}
	d := ss.client("default-provider-authorization-explicit-consent", noCSRF)
	if err := d.c.LoadCookies(jar); err != nil {
		t.Fatal(err)
	}
	return ss.record(d, "consent", false, func() {
		d.start()
		// The token is pre-filled. A refusal without a challenge (a 403)
		// is an error of the client's: the exchange is recorded all the same.
		ch := d.step.Challenge
		a, err := flow.BuildAnswer(flow.FormFor(ch), nil, flow.DetectVersion(ch))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = d.c.Submit(context.Background(), a)
	})
}
