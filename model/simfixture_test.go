package model

import (
	"context"
	"flag"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// Live screens in tests show exchanges the simulator really made: each
// fixture in testdata/sim is a recording akinspect wrote (secrets kept)
// while a transport client drove the simulator. Tests read it back, cut it
// into the steps the client delivered, and hand those to a model whose
// client points at the recorded address but never sends. The files are
// fixed, so timings, cookies, dates and codes never change between runs.
//
// Re-record after a change in the simulator or the client with
//
//	go test ./model -run TestRecordSimFixtures -record-fixtures
//
// (it needs 127.0.0.1:9000 free), then `go test ./model -update` and look
// at the goldens that changed.
var recordFixtures = flag.Bool("record-fixtures", false, "re-record testdata/sim from the simulator")

// fixtureAddr is where the simulator listens while recording: the address
// README's `akinspect sim --addr` example uses.
const fixtureAddr = "127.0.0.1:9000"

const (
	loginFlow   = "default-authentication-flow"
	consentFlow = "default-provider-authorization-explicit-consent"
	enrollFlow  = "default-enrollment-flow"
	deniedFlow  = "default-denied"
)

// enrollTyped is what TestRejectedPromptKeepsWhatWasTyped types, and what
// the enrollment fixture sent: an address the server rejects.
var enrollTyped = map[string]string{
	"username": "jdoe", "name": "Jane Doe", "email": "not-an-email",
	"password": "pw-1234", "password_repeat": "pw-1234", "team": "platform",
}

// simFixture is one recorded session. script drives the recorded client
// (and, for a session that needs a login first, an unrecorded one).
type simFixture struct {
	name   string
	flow   string // the recorded client's flow
	opts   sim.Options
	noCSRF bool
	query  string // the flow URL's query (what `query` carries)
	script func(fx *fixtureRecorder, c *fixtureClient)
}

var simFixtures = []simFixture{
	// akadmin logs in: identification, a wrong password (200 with
	// response_errors), the right one, the TOTP code, the redirect.
	{name: "login", flow: loginFlow, script: func(fx *fixtureRecorder, c *fixtureClient) {
		admin := fx.user("akadmin")
		code, err := flow.TOTP(admin.TOTPSecret, simClock)
		if err != nil {
			fx.t.Fatal(err)
		}
		c.start()
		c.answer(map[string]string{"uid_field": admin.Username})
		c.answer(map[string]string{"password": "not-the-password"})
		c.reachedErrors("password")
		c.answer(map[string]string{"password": admin.Password})
		c.answer(map[string]string{"code": code})
		c.reached(flow.ComponentRedirect)
	}},
	// The same login's first two stages with the flow inspector read
	// after each step (the simulator in DEBUG, as with --token).
	{name: "login-inspected", flow: loginFlow, opts: sim.Options{Debug: true}, script: func(fx *fixtureRecorder, c *fixtureClient) {
		c.start()
		c.inspect()
		c.answer(map[string]string{"uid_field": "akadmin"})
		c.inspect()
		c.reached(flow.ComponentPassword)
	}},
	// Enrollment: the prompt, then an answer with a malformed email that
	// comes back as the prompt with response_errors.
	{name: "enrollment", flow: enrollFlow, script: func(fx *fixtureRecorder, c *fixtureClient) {
		c.start()
		c.answer(enrollTyped)
		c.reachedErrors("email")
	}},
	// bob logged in with another client; this one loads the cookie file
	// (`--cookies`) and gives consent.
	{name: "consent", flow: consentFlow, script: func(fx *fixtureRecorder, c *fixtureClient) {
		fx.loginFirst(c, "bob", false)
		c.start()
		c.answer(nil) // the token is pre-filled
		c.reached(flow.ComponentRedirect)
	}},
	// The same with a client that never sends X-authentik-CSRF: logged
	// in, the consent POST fails with a flow error that hides the CSRF
	// failure, and the client diagnoses it.
	{name: "csrf", flow: consentFlow, noCSRF: true, script: func(fx *fixtureRecorder, c *fixtureClient) {
		fx.loginFirst(c, "bob", true)
		c.start()
		c.answer(nil)
		c.reached(flow.ComponentFlowError)
	}},
	// A login on its way to an OAuth authorization: the flow URL carries
	// next (the authorize request), so the executor's query parameter does.
	{name: "login-next", flow: loginFlow, query: "next=" + url.QueryEscape("/application/o/authorize/?client_id=grafana&response_type=code&redirect_uri=https://grafana.example.com/login/generic_oauth&scope=openid+email&state=af0ifjsldkj"),
		script: func(fx *fixtureRecorder, c *fixtureClient) {
			c.start()
			c.answer(map[string]string{"uid_field": "akadmin"})
			c.reached(flow.ComponentPassword)
		}},
	// A flow whose only stage denies access.
	{name: "denied", flow: deniedFlow, script: func(fx *fixtureRecorder, c *fixtureClient) {
		c.start()
		c.reached(flow.ComponentAccessDenied)
	}},
}

func fixturePath(name string) string {
	return filepath.Join("testdata", "sim", name+history.Extension)
}

// TestRecordSimFixtures re-records testdata/sim (only with -record-fixtures),
// then checks that reading each file back gives the steps the client made.
func TestRecordSimFixtures(t *testing.T) {
	if !*recordFixtures {
		t.Skip("re-record with -record-fixtures")
	}
	for _, f := range simFixtures {
		t.Run(f.name, func(t *testing.T) { recordFixture(t, f) })
	}
}

type fixtureRecorder struct {
	t   testing.TB
	sim *sim.Server
	url string
}

func (fx *fixtureRecorder) user(name string) sim.User {
	fx.t.Helper()
	for _, u := range fx.sim.Users() {
		if u.Username == name {
			return u
		}
	}
	fx.t.Fatalf("the simulator has no user %q", name)
	return sim.User{}
}

// loginFirst logs name in with an unrecorded client and loads its cookie
// file into c, as `akinspect run --cookies jar.txt` twice in a row would.
func (fx *fixtureRecorder) loginFirst(c *fixtureClient, name string, noCSRF bool) {
	fx.t.Helper()
	u := fx.user(name)
	login := fx.client(loginFlow, noCSRF)
	login.start()
	login.answer(map[string]string{"uid_field": u.Username})
	login.answer(map[string]string{"password": u.Password})
	login.reached(flow.ComponentRedirect)
	jar := filepath.Join(fx.t.TempDir(), "jar.txt")
	if err := login.c.SaveCookies(jar); err != nil {
		fx.t.Fatal(err)
	}
	if err := c.c.LoadCookies(jar); err != nil {
		fx.t.Fatal(err)
	}
}

func (fx *fixtureRecorder) client(slug string, noCSRF bool) *fixtureClient {
	fx.t.Helper()
	c, err := transport.New(transport.Config{BaseURL: fx.url, Flow: slug, NoCSRF: noCSRF})
	if err != nil {
		fx.t.Fatal(err)
	}
	return &fixtureClient{t: fx.t, c: c}
}

// fixtureClient drives one client and remembers the exchange IDs of each
// step, to check the file against.
type fixtureClient struct {
	t     testing.TB
	c     *transport.Client
	step  *transport.Step
	steps [][]int
	aside map[int][]int // step index → inspector exchanges after it
}

func (c *fixtureClient) took(step *transport.Step, err error) {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	c.step = step
	var ids []int
	for _, x := range step.Exchanges {
		ids = append(ids, x.ID)
	}
	c.steps = append(c.steps, ids)
}

func (c *fixtureClient) start() { c.t.Helper(); c.took(c.c.Start(context.Background())) }

func (c *fixtureClient) answer(values map[string]string) {
	c.t.Helper()
	ch := c.step.Challenge
	ans, err := flow.BuildAnswer(flow.FormFor(ch), values, flow.DetectVersion(ch))
	if err != nil {
		c.t.Fatal(err)
	}
	c.took(c.c.Submit(context.Background(), ans))
}

func (c *fixtureClient) inspect() {
	c.t.Helper()
	_, x, err := c.c.Inspect(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	if c.aside == nil {
		c.aside = map[int][]int{}
	}
	c.aside[len(c.steps)-1] = append(c.aside[len(c.steps)-1], x.ID)
}

func (c *fixtureClient) reached(component string) {
	c.t.Helper()
	if ch := c.step.Challenge; ch == nil || ch.Component != component {
		c.t.Fatalf("the flow reached %+v, want %s", c.step.Challenge, component)
	}
}

func (c *fixtureClient) reachedErrors(field string) {
	c.t.Helper()
	if ch := c.step.Challenge; ch == nil || len(ch.Errors(field)) == 0 {
		c.t.Fatalf("the answer was not rejected on %s: %+v", field, c.step.Challenge)
	}
}

func recordFixture(t *testing.T, f simFixture) {
	opts := f.opts
	opts.Now = func() time.Time { return simClock }
	s := sim.New(opts)
	l, err := net.Listen("tcp", fixtureAddr)
	if err != nil {
		t.Fatalf("recording needs %s free: %v", fixtureAddr, err)
	}
	srv := httptest.NewUnstartedServer(s)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	defer srv.Close()

	fx := &fixtureRecorder{t: t, sim: s, url: srv.URL}
	c := fx.client(f.flow, f.noCSRF)
	if f.query != "" {
		c.c.UseFlow(f.flow, f.query)
	}
	path := fixturePath(f.name)
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	w, err := history.Create(path, history.Header{BaseURL: srv.URL, Flow: f.flow, Query: f.query, Started: time.Now().UTC().Truncate(time.Second)},
		history.WriterOptions{NoRedact: true})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.c.Recorder())
	f.script(fx, c)
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	run := loadSimRun(t, f.name)
	if len(run.steps) != len(c.steps) {
		t.Fatalf("the file reads as %d steps, the client made %d", len(run.steps), len(c.steps))
	}
	for i, st := range run.steps {
		var ids, aside []int
		for _, x := range st.Exchanges {
			ids = append(ids, x.ID)
		}
		for _, x := range run.aside[i] {
			aside = append(aside, x.ID)
		}
		if !slices.Equal(ids, c.steps[i]) || !slices.Equal(aside, c.aside[i]) {
			t.Fatalf("step %d reads as %v then %v, the client made %v then %v", i, ids, aside, c.steps[i], c.aside[i])
		}
	}
}

// simRun is a recorded session cut into the steps the client delivered.
type simRun struct {
	baseURL, flow string
	steps         []*transport.Step
	aside         map[int][]*transport.Exchange // inspector reads after step i
}

// loadSimRun reads testdata/sim/<name>. Every call decodes the file again,
// so tests never share exchanges.
func loadSimRun(t testing.TB, name string) *simRun {
	t.Helper()
	rec, err := history.Open(fixturePath(name))
	if err != nil {
		t.Fatal(err)
	}
	xs, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	run := &simRun{baseURL: rec.Header.BaseURL, flow: rec.Header.Flow, aside: map[int][]*transport.Exchange{}}
	cur := &transport.Step{}
	for _, x := range xs {
		if x.Kind == transport.KindInspector {
			if len(cur.Exchanges) != 0 || len(run.steps) == 0 {
				t.Fatalf("%s: inspector read #%d inside a step", name, x.ID)
			}
			run.aside[len(run.steps)-1] = append(run.aside[len(run.steps)-1], x)
			continue
		}
		cur.Exchanges = append(cur.Exchanges, x)
		// A step ends at the executor's (or its followed hop's) response
		// that carries the next challenge, unless the client followed it
		// on (a xak-flow-redirect back to this executor).
		if (x.Kind == transport.KindExecutor || x.Kind == transport.KindRedirect) && x.Challenge != nil && x.Status == 200 && !x.Has(transport.FlagContinue) {
			cur.Challenge = x.Challenge
			if x.Component == flow.ComponentFlowError {
				cur.Diagnosis = x.Diagnosis
			}
			run.steps = append(run.steps, cur)
			cur = &transport.Step{}
		}
	}
	if len(cur.Exchanges) != 0 {
		t.Fatalf("%s ends inside a step", name)
	}
	return run
}

// model is a live model at w×h whose client points where the session was
// recorded; it is never asked to send.
func (r *simRun) model(t testing.TB, opts Options, w, h int) *Model {
	t.Helper()
	c, err := transport.New(transport.Config{BaseURL: r.baseURL, Flow: r.flow})
	if err != nil {
		t.Fatal(err)
	}
	opts.Client = c
	return sized(t, opts, w, h)
}

// deliver hands step i to the model as the client's answer to the call in
// flight (or the first Start).
func (r *simRun) deliver(m *Model, i int) {
	m.update(stepDoneMsg{step: r.steps[i], seq: liveOf(m).req.seq})
}

// feed delivers the first n steps.
func (r *simRun) feed(m *Model, n int) {
	for i := 0; i < n; i++ {
		r.deliver(m, i)
	}
}

// host is the recorded server's host:port, as the header shows it.
func (r *simRun) host() string { return r.baseURL[len("http://"):] }

// redactedFixture writes testdata/sim/<name> again as akinspect records by
// default (secrets replaced by markers) and returns the new file's path.
func redactedFixture(t testing.TB, name string) string {
	t.Helper()
	rec, err := history.Open(fixturePath(name))
	if err != nil {
		t.Fatal(err)
	}
	xs, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name+history.Extension)
	h := rec.Header
	w, err := history.Create(path, history.Header{BaseURL: h.BaseURL, Flow: h.Flow, Query: h.Query, Started: h.Started}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range xs {
		if err := w.Write(x); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
