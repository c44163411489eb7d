package load

import (
	"context"
	"math"
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/akinspect/akinspect/history/replay"
)

// The virtual users' loops: closed (back to back) and open (arrivals at
// a rate), and what each iteration needs before it starts.

func (r *Run) closedLoop(ctx context.Context, v *vu, start time.Time) {
	if r.opts.Ramp > 0 && r.opts.VUs > 1 {
		delay := time.Duration(int64(r.opts.Ramp) * int64(v.id-1) / int64(r.opts.VUs))
		if !sleepUntil(ctx, start.Add(delay)) {
			return
		}
	}
	for i := 0; r.opts.Iterations <= 0 || i < r.opts.Iterations; i++ {
		if ctx.Err() != nil || r.over(start) {
			return
		}
		ro, _, release, ok := r.prepare(ctx, v, start)
		if !ok {
			return
		}
		if r.over(start) { // the wait for a TOTP step ran to the end
			release()
			return
		}
		r.iterate(ctx, v, ro, time.Now(), start)
		release()
	}
}

// openLoop takes arrivals in turn: arrival k is due at start+arrival(k);
// a virtual user that is free late still measures from that time (but
// not from before its account's TOTP step began or its turn at the
// account came: that wait is the load generator's, not the server's).
func (r *Run) openLoop(ctx context.Context, v *vu, start time.Time, next *atomic.Int64) {
	for {
		k := next.Add(1) - 1
		if r.planned > 0 && k >= r.planned {
			return
		}
		due := r.arrival(k)
		if r.opts.Duration > 0 && due >= r.opts.Duration {
			return
		}
		if !sleepUntil(ctx, start.Add(due)) {
			return
		}
		ro, stepBegan, release, ok := r.prepare(ctx, v, start)
		if !ok {
			return
		}
		if r.over(start) { // the wait for a TOTP step ran to the end
			release()
			return
		}
		intended := start.Add(due)
		if stepBegan.After(intended) {
			intended = stepBegan
		}
		r.iterate(ctx, v, ro, intended, start)
		release()
	}
}

// over reports whether a run with a duration that began at start has
// reached its end: an iteration not started by then is not one of it.
func (r *Run) over(start time.Time) bool {
	return r.opts.Duration > 0 && time.Since(start) >= r.opts.Duration
}

// prepare picks the next iteration's account and paces its TOTP code: it
// returns the replay options, when it waited for a TOTP step, when that
// step began, and the function to call when the iteration ended (it gives
// the account's TOTP turn back). It fails when ctx ends or no step begins
// before the run's end.
func (r *Run) prepare(ctx context.Context, v *vu, start time.Time) (replay.ReplayOptions, time.Time, func(), bool) {
	if u := r.user(v.id-1, v.iteration); u != v.user {
		v.user = u
		v.ro = r.replayOptions(u, v.client)
		v.hide = messageHider(v.ro)
	}
	ro := v.ro
	var end time.Time
	if r.opts.Duration > 0 {
		end = start.Add(r.opts.Duration)
	}
	ready, release, ok := r.paceTOTP(ctx, &ro, end)
	return ro, ready, release, ok
}

// arrival is when arrival k (0-based) is due: k/Rate, or with a ramp
// the inverse of the arrivals Rate*t²/(2*Ramp) of a linear ramp.
func (r *Run) arrival(k int64) time.Duration {
	rate, ramp := r.opts.Rate, r.opts.Ramp.Seconds()
	inRamp := rate * ramp / 2 // arrivals during the ramp
	var t float64
	if ramp > 0 && float64(k) < inRamp {
		t = math.Sqrt(2 * float64(k) * ramp / rate)
	} else if ramp > 0 {
		t = ramp + (float64(k)-inRamp)/rate
	} else {
		t = float64(k) / rate
	}
	return time.Duration(t * float64(time.Second))
}

func sleepUntil(ctx context.Context, at time.Time) bool {
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// IsLoopback reports whether a base URL's host is this machine.
func IsLoopback(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
