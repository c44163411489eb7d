package load

import (
	"time"

	"github.com/akinspect/akinspect/transport"
)

// Collecting outcomes into per-stage statistics and snapshots of the run.

// add records an iteration; it returns the error event when the
// iteration failed (not when it was only interrupted). An iteration cut
// off by a stop (ctrl+c) before it failed counts as interrupted and in
// no stage at all: its finished steps are neither successes nor failures
// of their stages, so that every stage counts whole iterations only.
func (c *collector) add(o outcome, v *vu, runStart time.Time, cancelled bool, failedExchange *transport.Exchange) *ErrorEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	var failed *stepOutcome
	cut := len(o.steps) < len(c.stages) // steps the stop kept from running
	for i := range o.steps {
		s := &o.steps[i]
		if s.cancelled {
			cut = true
			break
		}
		if s.kind != "" {
			failed = s
		}
	}
	if failed == nil && cancelled && cut {
		c.interrupted++
		return nil
	}
	for _, s := range o.steps {
		if s.cancelled {
			break
		}
		sec := int64(s.end.Sub(runStart) / time.Second)
		c.stages[s.stage].add(s.end.Sub(s.start), s.ttfb, s.transfer, s.kind, sec)
	}
	c.iterations++
	var kind ErrorKind
	if failed != nil {
		kind = failed.kind
		c.failed++
		c.failedVUs[v.id] = true
	}
	var ttfb, xfr time.Duration
	for _, s := range o.steps {
		ttfb += s.ttfb
		xfr += s.transfer
	}
	c.iteration.add(o.end.Sub(o.intended), ttfb, xfr, kind, int64(o.end.Sub(runStart)/time.Second))
	if failed == nil {
		return nil
	}
	ev := ErrorEvent{At: o.end.Sub(runStart), VU: v.id, Iteration: v.iteration,
		Stage: c.stages[failed.stage].name, Kind: failed.kind, Message: failed.msg, Exchange: failedExchange}
	if v.user != nil {
		ev.User = v.user.Username
	}
	c.event(ev)
	return &ev
}

// noteRecording adds the recording path (or why it is missing) to the
// event already in the ring.
func (c *collector) noteRecording(ev *ErrorEvent, path string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if path != "" {
		c.recordings[path] = true
	}
	for i := range c.events {
		e := &c.events[i]
		if e.VU == ev.VU && e.Iteration == ev.Iteration {
			if err != nil {
				e.Message += " (not recorded: " + err.Error() + ")"
			} else {
				e.Recording = path
			}
		}
	}
}

// Snapshot is the state of a run: live while it runs, final after.
type Snapshot struct {
	Target string  `json:"target"`
	Flow   string  `json:"flow"`
	Model  string  `json:"model"` // "closed" or "open"
	Rate   float64 `json:"rate,omitempty"`
	VUs    int     `json:"vus"`
	// Elapsed and Planned are written by WriteJSON in milliseconds
	// (elapsed_ms, planned_duration_ms): every duration of the JSON
	// report is, once.
	Elapsed time.Duration `json:"-"`
	// Planned is the run's length when it is bounded by time, else 0.
	Planned time.Duration `json:"-"`
	// PlannedIterations is the iterations a bounded-by-count run makes.
	PlannedIterations int64 `json:"planned_iterations,omitempty"`
	Iterations        int64 `json:"iterations"`  // finished (failed ones included)
	Failed            int64 `json:"failed"`      // iterations with an error
	Interrupted       int64 `json:"interrupted"` // cut off by a stop, counted nowhere else
	Active            int   `json:"active"`
	// TOTPWaits counts the iterations that waited for a new TOTP step:
	// an account takes one code per 30-second step.
	TOTPWaits int64 `json:"totp_waits,omitempty"`
	// TOTPWaiting is how many wait for their step now (not yet Active):
	// a run that seems to stall is waiting for the next 30 s step.
	TOTPWaiting  int64        `json:"totp_waiting,omitempty"`
	Stages       []StageStats `json:"stages"`
	Iteration    StageStats   `json:"iteration"`
	RecentErrors []ErrorEvent `json:"recent_errors,omitempty"`
	FailedVUs    []int        `json:"failed_vus,omitempty"`
	Recordings   []string     `json:"failure_recordings,omitempty"`
	Done         bool         `json:"done"`
	Stopped      bool         `json:"stopped"` // ended early (ctrl+c)
}

// histogramBuckets is how many bars a stage's latency histogram has.
const histogramBuckets = 16

// Snapshot reads the statistics so far.
func (r *Run) Snapshot() Snapshot {
	s := Snapshot{Target: r.target, Flow: r.flowSlug, Model: "closed", VUs: r.opts.VUs,
		Planned: r.opts.Duration, PlannedIterations: r.planned, Active: int(r.active.Load())}
	if r.opts.Rate > 0 {
		s.Model, s.Rate = "open", r.opts.Rate
	}
	if st := r.started.Load(); st != 0 {
		end := time.Now()
		if e := r.ended.Load(); e != 0 {
			end, s.Done = time.Unix(0, e), true
		}
		s.Elapsed = end.Sub(time.Unix(0, st))
	}
	s.Stopped = r.stopped.Load()
	s.TOTPWaits, s.TOTPWaiting = r.totpWaits.Load(), r.totpWaiting.Load()
	c := r.col
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range c.stages {
		s.Stages = append(s.Stages, a.stats(s.Elapsed, histogramBuckets))
	}
	s.Iteration = c.iteration.stats(s.Elapsed, histogramBuckets)
	s.Iterations, s.Failed, s.Interrupted = c.iterations, c.failed, c.interrupted
	s.RecentErrors = c.recentEvents()
	for id := range c.failedVUs {
		s.FailedVUs = append(s.FailedVUs, id)
	}
	sortInts(s.FailedVUs)
	s.Recordings = sortedKeys(c.recordings)
	return s
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
