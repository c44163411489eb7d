package load

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/akinspect/akinspect/internal/termsafe"
)

// Dur prints a latency with three significant digits: 412µs, 1.23ms,
// 45.6ms, 1.52s.
func Dur(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// Describe is the run's one-line description.
func (s Snapshot) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "load of %s against %s: ", termsafe.Line(s.Flow), termsafe.Line(s.Target))
	if s.Model == "open" {
		fmt.Fprintf(&b, "open model, %g iterations/s, at most %d at once", s.Rate, s.VUs)
	} else {
		fmt.Fprintf(&b, "closed model, %d virtual user%s", s.VUs, plural(s.VUs))
	}
	switch {
	case s.Planned > 0:
		fmt.Fprintf(&b, ", for %s", s.Planned)
	case s.PlannedIterations > 0 && s.Model == "open":
		fmt.Fprintf(&b, ", %d iterations", s.PlannedIterations)
	case s.PlannedIterations > 0:
		fmt.Fprintf(&b, " × %d iterations", s.PlannedIterations/int64(max(s.VUs, 1)))
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Text is the report for a terminal: one row per stage (and the whole
// iteration), the errors by kind, the failure recordings.
func (s Snapshot) Text() string {
	var b strings.Builder
	b.WriteString(s.Describe() + "\n")
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Iterations) / s.Elapsed.Seconds()
	}
	fmt.Fprintf(&b, "%d iterations in %s (%.1f/s), %d failed", s.Iterations, Dur(s.Elapsed), rate, s.Failed)
	if s.Interrupted > 0 {
		fmt.Fprintf(&b, ", %d interrupted", s.Interrupted)
	}
	if s.Stopped {
		b.WriteString("; stopped early")
	}
	if s.TOTPWaits > 0 {
		fmt.Fprintf(&b, "\n%d iterations waited for a new TOTP step (an account takes one code per 30 s: give more accounts than virtual users)", s.TOTPWaits)
	}
	b.WriteString("\n\n")
	b.WriteString(s.Table())
	if errs := s.errorLines(); len(errs) > 0 {
		b.WriteString("\nerrors:\n")
		for _, l := range errs {
			b.WriteString("  " + l + "\n")
		}
	}
	if len(s.Recordings) > 0 {
		b.WriteString("\nfailed iterations recorded (open or diff them against the recording):\n")
		for _, p := range s.Recordings {
			b.WriteString("  " + termsafe.Line(p) + "\n")
		}
	}
	return b.String()
}

// Table is the per-stage table alone: latency from the intended start,
// then the server's time to first byte (ttfb) and the transfer after it
// (xfer), summed over the step's requests.
func (s Snapshot) Table() string {
	var b strings.Builder
	w := 24
	for _, st := range s.Stages {
		w = max(w, len(st.Name)+1)
	}
	fmt.Fprintf(&b, "%-*s %6s %6s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s\n", w, "stage", "count", "errors",
		"p50", "p90", "p95", "p99", "max", "ttfb p50", "ttfb p99", "xfer p50", "xfer p99", "rate/s")
	row := func(st StageStats) {
		fmt.Fprintf(&b, "%-*s %6d %6d %8s %8s %8s %8s %8s %8s %8s %8s %8s %8.1f\n", w, termsafe.Line(st.Name), st.Count, st.Errors,
			Dur(st.Latency.P50), Dur(st.Latency.P90), Dur(st.Latency.P95), Dur(st.Latency.P99), Dur(st.Latency.Max),
			Dur(st.TTFB.P50), Dur(st.TTFB.P99), Dur(st.Transfer.P50), Dur(st.Transfer.P99), st.Throughput)
	}
	for _, st := range s.Stages {
		row(st)
	}
	row(s.Iteration)
	return b.String()
}

func (s Snapshot) errorLines() []string {
	var out []string
	for _, st := range s.Stages {
		if st.Errors == 0 {
			continue
		}
		var parts []string
		for _, k := range ErrorKinds {
			if n := st.ByKind[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", k, n))
			}
		}
		out = append(out, fmt.Sprintf("%s: %s", termsafe.Line(st.Name), strings.Join(parts, ", ")))
	}
	if len(out) > 0 && len(s.RecentErrors) > 0 {
		e := s.RecentErrors[len(s.RecentErrors)-1]
		out = append(out, "last: "+e.Line())
	}
	return out
}

// Line is the event on one line, made safe to print.
func (e ErrorEvent) Line() string {
	who := fmt.Sprintf("vu%d", e.VU)
	if e.User != "" {
		who += " " + e.User
	}
	return termsafe.Line(fmt.Sprintf("%s iteration %d, %s: %s: %s", who, e.Iteration, e.Stage, e.Kind, e.Message))
}

// MarshalJSON writes durations as milliseconds.
func (p Percentiles) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]float64{"p50_ms": ms(p.P50), "p90_ms": ms(p.P90), "p95_ms": ms(p.P95),
		"p99_ms": ms(p.P99), "max_ms": ms(p.Max), "mean_ms": ms(p.Mean)})
}

// MarshalJSON writes the upper bound in milliseconds.
func (b Bucket) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Upper float64 `json:"upper_ms"`
		Count int64   `json:"count"`
	}{ms(b.Upper), b.Count})
}

// MarshalJSON writes the time into the run in milliseconds.
func (e ErrorEvent) MarshalJSON() ([]byte, error) {
	type plain ErrorEvent
	return json.Marshal(struct {
		plain
		At float64 `json:"at_ms"`
	}{plain(e), ms(e.At)})
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// WriteJSON writes the snapshot. Every duration is in milliseconds, once,
// under a name ending in _ms (elapsed_ms, at_ms, latency.p95_ms).
func (s Snapshot) WriteJSON(w io.Writer, thresholds []Result) error {
	type plain Snapshot
	out := struct {
		plain
		Elapsed    float64  `json:"elapsed_ms"`
		Planned    float64  `json:"planned_duration_ms,omitempty"`
		Thresholds []Result `json:"thresholds,omitempty"`
	}{plain: plain(s), Elapsed: ms(s.Elapsed), Planned: ms(s.Planned), Thresholds: thresholds}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteJUnit writes one test case per stage (a failure when it had
// errors) and one per threshold (a failure when missed).
func (s Snapshot) WriteJUnit(w io.Writer, thresholds []Result) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Time      float64  `xml:"time,attr"`
		Failure   *failure `xml:"failure,omitempty"`
	}
	type suite struct {
		XMLName  xml.Name   `xml:"testsuite"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Time     float64    `xml:"time,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	su := suite{Name: "akinspect load " + s.Flow, Time: s.Elapsed.Seconds()}
	for _, st := range append(append([]StageStats(nil), s.Stages...), s.Iteration) {
		tc := testcase{Name: st.Name, Classname: "load." + s.Flow, Time: st.Latency.P50.Seconds()}
		if st.Errors > 0 {
			var kinds []string
			for _, k := range ErrorKinds {
				if n := st.ByKind[k]; n > 0 {
					kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
				}
			}
			tc.Failure = &failure{Message: fmt.Sprintf("%d of %d failed", st.Errors, st.Count), Text: strings.Join(kinds, ", ")}
			su.Failures++
		}
		su.Cases = append(su.Cases, tc)
	}
	for _, t := range thresholds {
		tc := testcase{Name: "threshold " + t.Threshold, Classname: "load.thresholds"}
		if !t.Pass {
			tc.Failure = &failure{Message: "missed: " + t.Got}
			su.Failures++
		}
		su.Cases = append(su.Cases, tc)
	}
	su.Tests = len(su.Cases)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(su); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
