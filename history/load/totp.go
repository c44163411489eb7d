package load

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/transport"
)

// TOTP pacing. authentik's TOTP device takes a code only from a later
// time step than the last code it took (django-otp's
// TOTPDevice.verify_token keeps last_t and verifies from last_t+1), so an
// account logs in with TOTP at most once per 30-second step, however many
// virtual users share it. An iteration that answers with a TOTP code
// claims the next free step of its account first and, when that step has
// not begun, waits for it; the wait is not latency.

const totpPeriod = int64(flow.TOTPPeriod / time.Second)

func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

func totpStepStart(step int64) time.Time { return time.Unix(step*totpPeriod, 0) }

// totpPacer hands out time steps, one per code, per TOTP secret.
type totpPacer struct {
	mu   sync.Mutex
	last map[string]int64 // secret → the last step claimed
	// turn serialises each secret's TOTP logins (a one-slot semaphore per
	// secret): an iteration holds it from claiming its step until it ends,
	// so the account's codes reach the server in claim order (a later
	// code posted first would make authentik refuse the earlier one).
	turn map[string]chan struct{}
}

func newTOTPPacer() *totpPacer {
	return &totpPacer{last: map[string]int64{}, turn: map[string]chan struct{}{}}
}

// lock waits for secret's turn until ctx ends or, when end is not zero,
// until end (counted in waiting meanwhile); it returns the function that
// gives the turn back and whether it had to wait for another iteration.
func (p *totpPacer) lock(ctx context.Context, secret string, end time.Time, waiting *atomic.Int64) (func(), bool, bool) {
	p.mu.Lock()
	turn, ok := p.turn[secret]
	if !ok {
		turn = make(chan struct{}, 1)
		p.turn[secret] = turn
	}
	p.mu.Unlock()
	release := func() { <-turn }
	select {
	case turn <- struct{}{}:
		return release, false, true
	default:
	}
	waiting.Add(1)
	defer waiting.Add(-1)
	var deadline <-chan time.Time
	if !end.IsZero() {
		t := time.NewTimer(time.Until(end))
		defer t.Stop()
		deadline = t.C
	}
	select {
	case turn <- struct{}{}:
		return release, true, true
	case <-ctx.Done():
	case <-deadline:
	}
	return nil, true, false
}

// next is the step claim would hand out now, without claiming it.
func (p *totpPacer) next(secret string, now time.Time) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	step := totpStep(now)
	if last, ok := p.last[secret]; ok && step <= last {
		step = last + 1
	}
	return step
}

// claim is the step the next code of secret comes from: now's, or the
// one after the last claimed when that one is taken.
func (p *totpPacer) claim(secret string, now time.Time) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	step := totpStep(now)
	if last, ok := p.last[secret]; ok && step <= last {
		step = last + 1
	}
	p.last[secret] = step
	return step
}

// taken marks step as claimed for secret already: the recording's own
// login used that step's code moments ago.
func (p *totpPacer) taken(secret string, step int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if last, ok := p.last[secret]; !ok || step > last {
		p.last[secret] = step
	}
}

// seedFromRecording claims the step of the recording's last TOTP answer
// for the recorded account: a load started right after the recording
// (the README's example) would otherwise send that account the code it
// sent moments ago, which authentik refuses.
func (r *Run) seedFromRecording(exs []*transport.Exchange, plan []replay.PlanRun) {
	var at time.Time
	for _, run := range plan {
		for _, a := range run.Answers {
			if a.Component == flow.ComponentValidate && a.Index < len(exs) {
				at = exs[a.Index].Start
			}
		}
	}
	if at.IsZero() {
		return
	}
	step := totpStep(at)
	if r.opts.TOTPSecret != "" {
		r.pacer.taken(r.opts.TOTPSecret, step)
	}
	user := recordedUsername(exs)
	for _, u := range r.opts.Users {
		if u.TOTPSecret != "" && user != "" && u.Username == user {
			r.pacer.taken(u.TOTPSecret, step)
		}
	}
}

// recordedUsername is the uid_field the recording identified with, ""
// when it has none (or it was redacted).
func recordedUsername(exs []*transport.Exchange) string {
	for _, e := range exs {
		if e.Method != "POST" {
			continue
		}
		if c, _ := flow.AnswerComponent(e.RequestBody); c != flow.ComponentIdentify {
			continue
		}
		var a struct {
			UID string `json:"uid_field"`
		}
		if json.Unmarshal(e.RequestBody, &a) == nil && !redact.IsMarker(a.UID) {
			return a.UID
		}
	}
	return ""
}

// pinnedClock is the clock an iteration's codes are computed with: the
// time while it is in the claimed step, else the middle of that step
// (an iteration that ran past its step still sends its own step's code,
// which authentik's tolerance of one step accepts; the next step belongs
// to the account's next login).
func pinnedClock(clock func() time.Time, step int64) func() time.Time {
	return func() time.Time {
		if t := clock(); totpStep(t) == step {
			return t
		}
		return totpStepStart(step).Add(flow.TOTPPeriod / 2)
	}
}

// answersTOTP reports whether a replay of the plan computes a TOTP code
// for an authenticator-validate stage.
func answersTOTP(plan []replay.PlanRun) bool {
	for _, run := range plan {
		for _, a := range run.Answers {
			if a.Component == flow.ComponentValidate {
				return true
			}
		}
	}
	return false
}

// paceTOTP takes the account's turn, claims a step for the iteration's
// TOTP code and, when that step has not begun, waits for it: it returns
// when the step began or the turn came (zero when there was no wait) and
// the function that gives the turn back when the iteration ends, or false
// when ctx ended first or the step begins after end (when end is not
// zero: the run is over by then). Without a TOTP answer or secret it does
// nothing.
func (r *Run) paceTOTP(ctx context.Context, ro *replay.ReplayOptions, end time.Time) (time.Time, func(), bool) {
	if r.pacer == nil || ro.TOTPSecret == "" {
		return time.Time{}, func() {}, true
	}
	release, waited, ok := r.pacer.lock(ctx, ro.TOTPSecret, end, &r.totpWaiting)
	if !ok {
		return time.Time{}, nil, false
	}
	var ready time.Time
	if waited {
		ready = time.Now()
	}
	clock := r.clock()
	wait := totpStepStart(r.pacer.next(ro.TOTPSecret, clock())).Sub(clock())
	if !end.IsZero() && !time.Now().Add(wait).Before(end) {
		release()
		return time.Time{}, nil, false
	}
	step := r.pacer.claim(ro.TOTPSecret, clock())
	ro.Now = pinnedClock(clock, step)
	wait = totpStepStart(step).Sub(clock())
	if wait <= 0 {
		return ready, release, true
	}
	r.totpWaits.Add(1)
	r.totpWaiting.Add(1)
	defer r.totpWaiting.Add(-1)
	began := time.Now().Add(wait)
	if !sleepUntil(ctx, began) {
		release()
		return time.Time{}, nil, false
	}
	return began, release, true
}

func (r *Run) clock() func() time.Time {
	if r.opts.Now != nil {
		return r.opts.Now
	}
	return time.Now
}
