package load

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/akinspect/akinspect/internal/termsafe"
)

// Threshold is a pass/fail condition on the final report:
//
//	[STAGE.]METRIC OP VALUE
//
// STAGE is a stage name ("password", "start") or "iteration" (the default).
// METRIC is p50, p90, p95, p99, max or mean (latency), ttfb_p50 … ttfb_max
// (the server's time to first byte), errors (a count, or a rate with %),
// count or rps. OP is <, <=, > or >=. VALUE is a duration (300ms, 1.5s), a
// percentage (1%) or a number. Examples: "password.p95<300ms",
// "errors<1%", "iteration.rps>=50".
type Threshold struct {
	Text   string
	Stage  string // "" means the whole iteration
	Metric string
	Op     string
	Value  float64 // milliseconds for durations, a fraction for percentages
	Unit   string  // "ms", "%" or ""
}

// Result is a threshold checked against a report.
type Result struct {
	Threshold string `json:"threshold"`
	Pass      bool   `json:"pass"`
	Got       string `json:"got"`
}

var latencyMetrics = map[string]func(Percentiles) time.Duration{
	"p50": func(p Percentiles) time.Duration { return p.P50 }, "p90": func(p Percentiles) time.Duration { return p.P90 },
	"p95": func(p Percentiles) time.Duration { return p.P95 }, "p99": func(p Percentiles) time.Duration { return p.P99 },
	"max": func(p Percentiles) time.Duration { return p.Max }, "mean": func(p Percentiles) time.Duration { return p.Mean },
}

// ParseThreshold reads one --threshold.
func ParseThreshold(s string) (Threshold, error) {
	t := Threshold{Text: strings.TrimSpace(s)}
	text := strings.ReplaceAll(t.Text, " ", "")
	i := strings.IndexAny(text, "<>")
	if i <= 0 {
		return t, fmt.Errorf("threshold %q: want [STAGE.]METRIC<VALUE, e.g. password.p95<300ms or errors<1%%", s)
	}
	lhs, rest := text[:i], text[i:]
	t.Op = rest[:1]
	if strings.HasPrefix(rest[1:], "=") {
		t.Op += "="
	}
	val := rest[len(t.Op):]
	if j := strings.LastIndexByte(lhs, '.'); j >= 0 {
		t.Stage, t.Metric = lhs[:j], lhs[j+1:]
	} else {
		t.Metric = lhs
	}
	if t.Stage == "iteration" {
		t.Stage = ""
	}
	metric := strings.TrimPrefix(t.Metric, "ttfb_")
	switch {
	case latencyMetrics[metric] != nil:
		d, err := time.ParseDuration(val)
		if err != nil {
			return t, fmt.Errorf("threshold %q: %s wants a duration such as 300ms", s, t.Metric)
		}
		t.Value, t.Unit = float64(d)/float64(time.Millisecond), "ms"
	case t.Metric == "errors":
		if p, ok := strings.CutSuffix(val, "%"); ok {
			f, err := strconv.ParseFloat(p, 64)
			if err != nil {
				return t, fmt.Errorf("threshold %q: %q is not a percentage", s, val)
			}
			t.Value, t.Unit = f/100, "%"
			break
		}
		fallthrough
	case t.Metric == "count" || t.Metric == "rps":
		f, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return t, fmt.Errorf("threshold %q: %q is not a number", s, val)
		}
		t.Value = f
	default:
		return t, fmt.Errorf("threshold %q: unknown metric %q (p50, p90, p95, p99, max, mean, ttfb_p95…, errors, count, rps)", s, t.Metric)
	}
	return t, nil
}

// CheckStages reports a threshold whose stage is not one of the run's
// stages (Run.Stages), naming the ones there are: called before the run,
// so that a misspelt stage costs no load.
func (t Threshold) CheckStages(stages []string) error {
	if t.Stage == "" {
		return nil
	}
	for _, n := range stages {
		if n == t.Stage {
			return nil
		}
	}
	return fmt.Errorf("threshold %q: the recording has no stage %q (stages: %s, iteration)",
		termsafe.Line(t.Text), termsafe.Line(t.Stage), termsafe.Line(strings.Join(stages, ", ")))
}

// Check evaluates the threshold on a report. A stage the report does not
// have is an error.
func (t Threshold) Check(s Snapshot) (Result, error) {
	st := s.Iteration
	if t.Stage != "" {
		names := make([]string, len(s.Stages))
		for i, x := range s.Stages {
			names[i] = x.Name
			if x.Name == t.Stage {
				st = x
			}
		}
		if err := t.CheckStages(names); err != nil {
			return Result{Threshold: t.Text, Got: "no such stage"}, err
		}
	}
	var got float64
	var shown string
	switch metric := strings.TrimPrefix(t.Metric, "ttfb_"); {
	case latencyMetrics[metric] != nil:
		p := st.Latency
		if metric != t.Metric {
			p = st.TTFB
		}
		d := latencyMetrics[metric](p)
		got, shown = float64(d)/float64(time.Millisecond), Dur(d)
	case t.Metric == "errors" && t.Unit == "%":
		got, shown = st.ErrorRate(), fmt.Sprintf("%.2f%% (%d of %d)", 100*st.ErrorRate(), st.Errors, st.Count)
	case t.Metric == "errors":
		got, shown = float64(st.Errors), strconv.FormatInt(st.Errors, 10)
	case t.Metric == "count":
		got, shown = float64(st.Count), strconv.FormatInt(st.Count, 10)
	case t.Metric == "rps":
		got, shown = st.Throughput, fmt.Sprintf("%.1f/s", st.Throughput)
	}
	var pass bool
	switch t.Op {
	case "<":
		pass = got < t.Value
	case "<=":
		pass = got <= t.Value
	case ">":
		pass = got > t.Value
	case ">=":
		pass = got >= t.Value
	}
	return Result{Threshold: t.Text, Pass: pass, Got: shown}, nil
}
