// Package load replays a recording as many virtual users at once and
// measures every stage of the flow: the engine of `akinspect load`.
//
// Each iteration is one replay.Replay of the recording in a new client,
// so with its own cookie jar, sending exactly what replay sends (the same
// request shapes, CSRF header, page query, redirect hops, TOTP codes from
// a secret). Exchanges are observed on the client's recorder and grouped
// into the replay's steps, so every step of the report is a stage row
// here. Latencies go into HDR histograms (github.com/HdrHistogram/hdrhistogram-go),
// never a list of samples.
//
// Two models: closed (VUs users back to back) and open (Rate iterations a
// second whatever the server does; a late iteration's latency is measured
// from when it should have started, so a stalling server is not hidden by
// the load generator slowing down with it: no coordinated omission).
package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/transport"
)

// User is the account a virtual user logs in with.
type User struct {
	Username   string // fills the recorded identification's uid_field
	Password   string // fills «redacted:password» (and password#n)
	TOTPSecret string // computes codes for authenticator-validate
}

// Options configure a load run.
type Options struct {
	// BaseURL is the server; "" means the recorded one (Replay's rule:
	// recorded answers go nowhere else without an explicit URL).
	BaseURL string
	// Secrets and TOTPSecret are as in replay.ReplayOptions, for every
	// virtual user; a User's values win.
	Secrets    map[string]string
	TOTPSecret string
	// Users gives iteration k (0-based) of virtual user i (0-based) the
	// account Users[(i + k*VUs) % len(Users)]: with as many accounts as
	// virtual users each has its own, with more the logins spread over
	// all of them (an account logs in with TOTP once per 30 s step). Its
	// username replaces the recorded one and its password and TOTP secret
	// fill the redacted values. Empty: every virtual user replays the
	// recorded account.
	Users []User
	// VUs is the number of virtual users (at least 1). In the open model
	// it bounds how many iterations run at once.
	VUs int
	// Iterations per virtual user (closed model); in the open model the
	// run makes VUs*Iterations arrivals in all. Duration instead runs
	// until that much time has passed (no iteration starts later). One of
	// them must be set: every run is bounded.
	Iterations int
	Duration   time.Duration
	// Rate, when > 0, is the open model: iterations started per second.
	Rate float64
	// Ramp spreads the start: closed, the virtual users start one after
	// another over Ramp; open, the rate grows linearly from 0 over Ramp.
	Ramp time.Duration
	// Timeout is the per-request timeout (transport.Config.Timeout).
	Timeout time.Duration
	// Transport is shared by every virtual user; nil is an http.Transport
	// sized for VUs connections to the server.
	Transport http.RoundTripper
	// FailureDir, when set, receives a redacted recording per virtual user
	// with failed iterations (at most MaxFailureRecordings iterations each).
	FailureDir           string
	MaxFailureRecordings int
	// Now is the clock for TOTP codes (tests); nil means time.Now.
	Now func() time.Time
}

// DefaultMaxFailureRecordings bounds the failed iterations written per
// virtual user.
const DefaultMaxFailureRecordings = 10

// Run is a prepared load run. Snapshot may be called from any goroutine
// while Run runs.
type Run struct {
	opts     Options
	rec      *history.Recording // in memory: no file read per iteration
	userRec  *history.Recording // with the recorded username as a marker
	stages   []string
	target   string
	flowSlug string
	header   history.Header
	rt       http.RoundTripper
	ownRT    *http.Transport

	col     *collector
	started atomic.Int64 // unix nanos
	ended   atomic.Int64
	active  atomic.Int32
	stopped atomic.Bool
	planned int64 // iterations planned, 0 with Duration
	// pacer spaces each account's TOTP logins a step apart (nil when the
	// recording answers no TOTP stage); totpWaits counts the iterations
	// that waited for a step.
	pacer     *totpPacer
	totpWaits atomic.Int64
	// totpWaiting is how many iterations wait for their step right now.
	totpWaiting atomic.Int64
}

// MaxVUs bounds the virtual users of a run: each is a goroutine with its
// own client and connection, and more than this from one machine
// measures the machine more than the server.
const MaxVUs = 10000

// UsernameMarker is the redaction marker name the recorded username is
// replaced with when Options.Users is set.
const UsernameMarker = "username"

// New checks the recording and options, without sending anything: the
// target, and every redacted value each account needs.
func New(rec *history.Recording, opts Options) (*Run, error) {
	if opts.VUs < 1 {
		opts.VUs = 1
	}
	switch {
	case opts.Iterations <= 0 && opts.Duration <= 0:
		return nil, errors.New("give a number of iterations or a duration: a load run is always bounded")
	case opts.Iterations > 0 && opts.Duration > 0:
		return nil, errors.New("give iterations or a duration, not both")
	case opts.Rate < 0 || math.IsNaN(opts.Rate) || math.IsInf(opts.Rate, 0):
		return nil, errors.New("the rate must be a positive number of iterations per second")
	case opts.Ramp < 0:
		return nil, errors.New("the ramp must not be negative")
	case opts.VUs > MaxVUs:
		return nil, fmt.Errorf("%d virtual users: at most %d (--users)", opts.VUs, MaxVUs)
	}
	if opts.MaxFailureRecordings <= 0 {
		opts.MaxFailureRecordings = DefaultMaxFailureRecordings
	}
	exs, err := rec.All()
	if err != nil {
		return nil, err
	}
	plan, err := replay.Plan(rec)
	if err != nil {
		return nil, err
	}
	r := &Run{opts: opts, header: rec.Header, stages: stageNames(plan)}
	if len(r.stages) == 0 {
		return nil, errors.New("the recording has no flow exchanges to replay")
	}
	r.flowSlug = plan[0].Flow.Slug
	if answersTOTP(plan) {
		r.pacer = newTOTPPacer()
		r.seedFromRecording(exs, plan)
	}
	r.rec = inMemory(rec, exs)
	r.userRec = r.rec
	if len(opts.Users) > 0 {
		r.userRec = inMemory(rec, withUserMarkers(exs))
	}
	if opts.Iterations > 0 {
		r.planned = int64(opts.Iterations) * int64(opts.VUs)
	}
	r.rt = opts.Transport
	if r.rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = opts.VUs
		t.MaxIdleConns = opts.VUs * 2
		r.rt, r.ownRT = t, t
	}
	// Preflight: Replay resolves the target and every secret before it
	// builds its client; a client factory that refuses stops it there.
	for i := 0; i < max(1, len(opts.Users)); i++ {
		var target string
		var u *User
		if len(opts.Users) > 0 {
			u = &opts.Users[i]
		}
		ro := r.replayOptions(u, func(cfg transport.Config) (*transport.Client, error) {
			target = cfg.BaseURL
			return nil, errPreflight
		})
		_, err := replay.Replay(context.Background(), r.recFor(i), ro)
		if !errors.Is(err, errPreflight) {
			if len(opts.Users) > 0 {
				return nil, fmt.Errorf("account %d (%s): %w", i+1, opts.Users[i].Username, err)
			}
			return nil, err
		}
		r.target = target
	}
	r.col = newCollector(r.stages)
	return r, nil
}

var errPreflight = errors.New("preflight")

// Target is the server the run sends to.
func (r *Run) Target() string { return r.target }

// Stages are the stage names, in replay order: "start" (or
// "start:<slug>" when the recording has several flow runs), then the
// short component of each answered stage ("identification", "password");
// a name that comes again gets "#2", "#3".
func (r *Run) Stages() []string { return append([]string(nil), r.stages...) }

func stageNames(plan []replay.PlanRun) []string {
	var out []string
	seen := map[string]int{}
	add := func(n string) {
		seen[n]++
		if k := seen[n]; k > 1 {
			n = fmt.Sprintf("%s#%d", n, k)
		}
		out = append(out, n)
	}
	for _, run := range plan {
		if len(plan) > 1 {
			add("start:" + run.Flow.Slug)
		} else {
			add("start")
		}
		for _, a := range run.Answers {
			n := flow.ShortComponent(a.Component)
			if n == "" {
				n = "answer"
			}
			add(n)
		}
	}
	return out
}

// inMemory keeps the recording's exchanges and flow runs in memory, so
// that an iteration reads no file.
func inMemory(rec *history.Recording, exs []*transport.Exchange) *history.Recording {
	m := history.FromExchanges(rec.Header, exs)
	m.Flows = append([]history.FlowRun(nil), rec.Flows...)
	return m
}

// withUserMarkers copies the exchanges with the recorded account taken
// out of the answers: identification's uid_field becomes
// «redacted:username», and a password still in clear (a recording made
// with --no-redact) becomes «redacted:password», so each virtual user's
// account fills them.
func withUserMarkers(exs []*transport.Exchange) []*transport.Exchange {
	out := make([]*transport.Exchange, len(exs))
	for i, e := range exs {
		out[i] = e
		if e.Method != http.MethodPost || (e.Kind != transport.KindExecutor && e.Kind != transport.KindRedirect) {
			continue
		}
		// The stage answered is the one the body names, read as replay
		// reads it; only an identification or password answer is decoded.
		component, _ := flow.AnswerComponent(e.RequestBody)
		if component != flow.ComponentIdentify && component != flow.ComponentPassword {
			continue
		}
		var body map[string]json.RawMessage
		if json.Unmarshal(e.RequestBody, &body) != nil {
			continue
		}
		changed := false
		set := func(key, marker string) {
			var v string
			if raw, ok := body[key]; ok && json.Unmarshal(raw, &v) == nil {
				if _, _, isMark := redact.ParseMarker(v); !isMark {
					body[key], _ = json.Marshal(redact.Marker(marker))
					changed = true
				}
			}
		}
		switch component {
		case flow.ComponentIdentify:
			set("uid_field", UsernameMarker)
			set("password", "password")
		case flow.ComponentPassword:
			set("password", "password")
		}
		if changed {
			c := *e
			c.RequestBody, _ = json.Marshal(body)
			out[i] = &c
		}
	}
	return out
}

func (r *Run) recFor(vu int) *history.Recording {
	if len(r.opts.Users) > 0 {
		return r.userRec
	}
	return r.rec
}

// user is virtual user vu's account (0-based) in its iteration k
// (0-based), nil for the recorded one.
func (r *Run) user(vu, k int) *User {
	if len(r.opts.Users) == 0 {
		return nil
	}
	n := len(r.opts.Users)
	return &r.opts.Users[(vu%n+(k%n)*(r.opts.VUs%n))%n]
}

// replayOptions: values are not compared (a load run checks that each
// step reaches the recorded stage with the recorded status, and that no
// response_errors appeared); everything else is what replay does.
func (r *Run) replayOptions(u *User, client func(transport.Config) (*transport.Client, error)) replay.ReplayOptions {
	secrets := map[string]string{}
	for k, v := range r.opts.Secrets {
		secrets[k] = v
	}
	totp := r.opts.TOTPSecret
	if u != nil {
		secrets[UsernameMarker] = u.Username
		if u.Password != "" {
			secrets["password"] = u.Password
		}
		if u.TOTPSecret != "" {
			totp = u.TOTPSecret
		}
	}
	return replay.ReplayOptions{
		BaseURL: r.opts.BaseURL, Secrets: secrets, TOTPSecret: totp,
		ShapeOnly: true, // component, status and response_errors: all load judges
		Client:    client, Transport: r.rt, Now: r.opts.Now,
	}
}

// vu is one virtual user.
type vu struct {
	id        int                  // 1-based
	user      *User                // the account of the current iteration
	ro        replay.ReplayOptions // for user
	hide      func(string) string  // hides ro's secrets in an error message
	client    func(transport.Config) (*transport.Client, error)
	iteration int
	failures  *failureLog
	exs       []*transport.Exchange // the current iteration's, from the observer
}

// Run runs the load and returns the final statistics. Cancelling ctx
// stops it: iterations in flight are cut off and counted as interrupted,
// not as errors. Run may be called once.
func (r *Run) Run(ctx context.Context) Snapshot {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	r.started.Store(start.UnixNano())
	var wg sync.WaitGroup
	var next atomic.Int64
	vus := make([]*vu, r.opts.VUs)
	for i := range vus {
		v := &vu{id: i + 1, user: r.user(i, 0)}
		v.client = r.clientFor(v)
		v.ro = r.replayOptions(v.user, v.client)
		v.hide = messageHider(v.ro)
		if r.opts.FailureDir != "" {
			v.failures = &failureLog{dir: r.opts.FailureDir, max: r.opts.MaxFailureRecordings, header: r.header, target: r.target, flow: r.flowSlug}
		}
		vus[i] = v
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r.opts.Rate > 0 {
				r.openLoop(ctx, v, start, &next)
			} else {
				r.closedLoop(ctx, v, start)
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		r.stopped.Store(true)
	}
	r.ended.Store(time.Now().UnixNano())
	for _, v := range vus {
		if v.failures != nil {
			v.failures.close()
		}
	}
	if r.ownRT != nil {
		r.ownRT.CloseIdleConnections()
	}
	return r.Snapshot()
}

// clientFor builds each iteration's client (a new jar, as replay does)
// and observes its exchanges.
func (r *Run) clientFor(v *vu) func(transport.Config) (*transport.Client, error) {
	return func(cfg transport.Config) (*transport.Client, error) {
		if r.opts.Timeout > 0 {
			cfg.Timeout = r.opts.Timeout
		}
		cfg.UserAgent = "akinspect-load/" + history.Version
		c, err := transport.New(cfg)
		if err != nil {
			return nil, err
		}
		// Called on this virtual user's goroutine: Replay is sequential.
		c.Recorder().Observe(func(e *transport.Exchange) { v.exs = append(v.exs, e) })
		return c, nil
	}
}

// iterate replays the recording once and records every step.
func (r *Run) iterate(ctx context.Context, v *vu, ro replay.ReplayOptions, intended, runStart time.Time) {
	r.active.Add(1)
	defer r.active.Add(-1)
	v.iteration++
	v.exs = v.exs[:0]
	rep, err := replay.Replay(ctx, r.recFor(v.id-1), ro)
	end := time.Now()
	exs := v.exs
	cancelled := ctx.Err() != nil
	out := outcome{intended: intended, end: end}
	if err != nil {
		// Replay could not start (the preflight makes this rare).
		out.steps = []stepOutcome{{stage: 0, end: end, kind: ErrTransport, msg: err.Error()}}
	} else {
		out.steps = r.steps(rep, exs, intended, cancelled)
	}
	for i := range out.steps {
		out.steps[i].msg = v.hide(out.steps[i].msg)
	}
	ev := r.col.add(out, v, runStart, cancelled, failedExchange(out.steps, exs))
	if ev != nil && v.failures != nil {
		path, werr := v.failures.write(v, *ev, exs)
		if path != "" || werr != nil {
			r.col.noteRecording(ev, path, werr)
		}
	}
}
