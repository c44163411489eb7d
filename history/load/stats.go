package load

import (
	"math"
	"sort"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/akinspect/akinspect/transport"
)

// ErrorKind is why a step did not go as recorded.
type ErrorKind string

// The kinds of error a step can end in, as the report counts them.
const (
	ErrValidation   ErrorKind = "validation"       // the challenge came back with response_errors
	ErrAccessDenied ErrorKind = "access-denied"    // ak-stage-access-denied
	ErrFlow         ErrorKind = "flow-error"       // ak-stage-flow-error
	ErrHTTP4xx      ErrorKind = "http-4xx"         // the server refused with a 4xx
	ErrHTTP5xx      ErrorKind = "http-5xx"         // the server failed with a 5xx
	ErrTransport    ErrorKind = "transport"        // no usable answer: refused, reset, not JSON, redirect loop
	ErrTimeout      ErrorKind = "timeout"          // no answer within the request timeout
	ErrUnexpected   ErrorKind = "unexpected-stage" // another stage than the recorded one, no error shown
)

// ErrorKinds lists every kind in report order.
var ErrorKinds = []ErrorKind{ErrValidation, ErrAccessDenied, ErrFlow, ErrHTTP4xx, ErrHTTP5xx, ErrTransport, ErrTimeout, ErrUnexpected}

// Histogram range: 1µs to 10 minutes at two significant digits (1 %
// precision), about 26 KB each, whatever the number of samples.
const (
	histMin     = 1
	histMax     = int64(10 * time.Minute / time.Microsecond)
	histSigFigs = 2
	// seriesLen bounds the per-second series the sparklines draw.
	seriesLen = 300
	// recentErrors is how many error events a snapshot keeps.
	recentErrors = 50
)

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(histMin, histMax, histSigFigs) }

func record(h *hdrhistogram.Histogram, d time.Duration) {
	us := d.Microseconds()
	if us < histMin {
		us = histMin
	}
	if us > histMax {
		us = histMax
	}
	_ = h.RecordValue(us) // in range by construction
}

// stageAcc accumulates one stage (or the whole iteration).
type stageAcc struct {
	name           string
	count, errors  int64
	byKind         map[ErrorKind]int64
	lat, ttfb, xfr *hdrhistogram.Histogram
	// series: per second of the run, the sum of latencies and their count,
	// for the sparklines; first is the second of series[0].
	first  int64
	sum    []time.Duration
	n      []int64
	errSec []int64
}

func newStageAcc(name string) *stageAcc {
	return &stageAcc{name: name, byKind: map[ErrorKind]int64{}, lat: newHist(), ttfb: newHist(), xfr: newHist()}
}

// add counts one sample ending sec seconds into the run.
func (a *stageAcc) add(lat, ttfb, xfr time.Duration, kind ErrorKind, sec int64) {
	a.count++
	record(a.lat, lat)
	if ttfb > 0 || xfr > 0 {
		record(a.ttfb, ttfb)
		record(a.xfr, xfr)
	}
	if kind != "" {
		a.errors++
		a.byKind[kind]++
	}
	if sec < a.first {
		return // older than the series keeps
	}
	for i := sec - a.first - int64(len(a.n)); i >= 0; i-- {
		a.sum, a.n, a.errSec = append(a.sum, 0), append(a.n, 0), append(a.errSec, 0)
	}
	if over := len(a.n) - seriesLen; over > 0 {
		a.sum, a.n, a.errSec = a.sum[over:], a.n[over:], a.errSec[over:]
		a.first += int64(over)
	}
	i := sec - a.first
	a.sum[i] += lat
	a.n[i]++
	if kind != "" {
		a.errSec[i]++
	}
}

// Percentiles of one distribution.
type Percentiles struct {
	P50  time.Duration `json:"p50"`
	P90  time.Duration `json:"p90"`
	P95  time.Duration `json:"p95"`
	P99  time.Duration `json:"p99"`
	Max  time.Duration `json:"max"`
	Mean time.Duration `json:"mean"`
}

func percentiles(h *hdrhistogram.Histogram) Percentiles {
	if h.TotalCount() == 0 {
		return Percentiles{}
	}
	v := h.ValueAtPercentilesSlice([]float64{50, 90, 95, 99})
	us := func(x int64) time.Duration { return time.Duration(x) * time.Microsecond }
	return Percentiles{P50: us(v[0]), P90: us(v[1]), P95: us(v[2]), P99: us(v[3]),
		Max: us(h.Max()), Mean: time.Duration(h.Mean() * float64(time.Microsecond))}
}

// Bucket is one bar of a latency histogram: samples up to Upper.
type Bucket struct {
	Upper time.Duration `json:"upper"`
	Count int64         `json:"count"`
}

// buckets folds a histogram into n log-spaced buckets from its min to max.
func buckets(h *hdrhistogram.Histogram, n int) []Bucket {
	if h.TotalCount() == 0 || n < 1 {
		return nil
	}
	lo, hi := float64(max(h.Min(), 1)), float64(max(h.Max(), 1))
	if hi <= lo {
		hi = lo * 1.01
	}
	step := math.Pow(hi/lo, 1/float64(n))
	out := make([]Bucket, n)
	for i := range out {
		out[i].Upper = time.Duration(lo*math.Pow(step, float64(i+1))) * time.Microsecond
	}
	for _, bar := range h.Distribution() {
		if bar.Count == 0 {
			continue
		}
		v := float64(max(bar.From, 1))
		i := 0
		if v > lo {
			i = int(math.Log(v/lo) / math.Log(step))
		}
		out[min(max(i, 0), n-1)].Count += bar.Count
	}
	return out
}

// StageStats is one row of the report: a stage of the recorded flow (or
// the whole iteration).
type StageStats struct {
	Name   string              `json:"name"`
	Count  int64               `json:"count"`
	Errors int64               `json:"errors"`
	ByKind map[ErrorKind]int64 `json:"errors_by_kind,omitempty"`
	// Latency is from the step's intended start to its last byte: for the
	// first step of an iteration in the open model that includes the time
	// the arrival waited for a free virtual user.
	Latency Percentiles `json:"latency"`
	// TTFB is the server's time to first byte, summed over the step's
	// requests; Transfer is the rest of those requests (body transfer).
	TTFB       Percentiles `json:"ttfb"`
	Transfer   Percentiles `json:"transfer"`
	Throughput float64     `json:"throughput"` // completed per second of the run
	// Series is the mean latency per second of the run (the last
	// seriesLen seconds); ErrSeries the errors per second.
	Series    []time.Duration `json:"-"`
	ErrSeries []int64         `json:"-"`
	Buckets   []Bucket        `json:"histogram,omitempty"`
}

// ErrorRate is Errors/Count, 0 without samples.
func (s StageStats) ErrorRate() float64 {
	if s.Count == 0 {
		return 0
	}
	return float64(s.Errors) / float64(s.Count)
}

func (a *stageAcc) stats(elapsed time.Duration, nbuckets int) StageStats {
	s := StageStats{Name: a.name, Count: a.count, Errors: a.errors,
		Latency: percentiles(a.lat), TTFB: percentiles(a.ttfb), Transfer: percentiles(a.xfr),
		Buckets: buckets(a.lat, nbuckets)}
	if len(a.byKind) > 0 {
		s.ByKind = make(map[ErrorKind]int64, len(a.byKind))
		for k, v := range a.byKind {
			s.ByKind[k] = v
		}
	}
	if elapsed > 0 {
		s.Throughput = float64(a.count) / elapsed.Seconds()
	}
	s.Series = make([]time.Duration, len(a.n))
	for i, n := range a.n {
		if n > 0 {
			s.Series[i] = a.sum[i] / time.Duration(n)
		}
	}
	s.ErrSeries = append([]int64(nil), a.errSec...)
	return s
}

// ErrorEvent is one failed step, as the dashboard lists them.
type ErrorEvent struct {
	At        time.Duration `json:"-"` // into the run; at_ms in JSON
	VU        int           `json:"vu"`
	User      string        `json:"user,omitempty"`
	Iteration int           `json:"iteration"`
	Stage     string        `json:"stage"`
	Kind      ErrorKind     `json:"kind"`
	Message   string        `json:"message"`
	Recording string        `json:"recording,omitempty"` // where the iteration was written
	// Exchange is the exchange the step failed on, redacted (request and
	// response, headers, bodies, status), for the dashboard's details
	// pane; nil when the step sent nothing.
	Exchange *transport.Exchange `json:"-"`
}

// collector gathers every sample of a run; one lock, taken once per step.
type collector struct {
	mu          sync.Mutex
	stages      []*stageAcc
	iteration   *stageAcc
	iterations  int64
	failed      int64
	interrupted int64
	events      []ErrorEvent // ring of the last recentErrors
	nevents     int64
	failedVUs   map[int]bool
	recordings  map[string]bool
}

func newCollector(stages []string) *collector {
	c := &collector{iteration: newStageAcc("iteration"), failedVUs: map[int]bool{}, recordings: map[string]bool{}}
	for _, s := range stages {
		c.stages = append(c.stages, newStageAcc(s))
	}
	return c
}

func (c *collector) event(e ErrorEvent) {
	if len(c.events) < recentErrors {
		c.events = append(c.events, e)
	} else {
		c.events[c.nevents%recentErrors] = e
	}
	c.nevents++
}

// recentEvents is the ring in time order, oldest first.
func (c *collector) recentEvents() []ErrorEvent {
	if c.nevents <= recentErrors {
		return append([]ErrorEvent(nil), c.events...)
	}
	start := int(c.nevents % recentErrors)
	return append(append([]ErrorEvent(nil), c.events[start:]...), c.events[:start]...)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
