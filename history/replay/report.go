package replay

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// StepStatus is how one replayed step went.
type StepStatus string

const (
	StepOK       StepStatus = "ok"
	StepDiverged StepStatus = "diverged" // the server answered differently
	StepFailed   StepStatus = "error"    // the request could not be made or answered
	StepNotRun   StepStatus = "not-run"  // after the first divergence, without KeepGoing
)

// StepResult compares one replayed step with the recording.
type StepResult struct {
	Index      int        `json:"index"` // 1-based
	Flow       string     `json:"flow"`
	Action     string     `json:"action"`   // "start default-authentication-flow", "answer password"
	Expected   string     `json:"expected"` // recorded component
	Got        string     `json:"got"`      // replayed component
	WantStatus int        `json:"want_status"`
	GotStatus  int        `json:"got_status"`
	Status     StepStatus `json:"status"`
	Diffs      []Diff     `json:"diffs,omitempty"`
	Note       string     `json:"note,omitempty"`
	RecordedID int        `json:"recorded_id"` // the recorded exchange compared with
}

// Report is the outcome of a replay.
type Report struct {
	Flow     string       `json:"flow"`
	Target   string       `json:"target"`
	Recorded time.Time    `json:"recorded"`
	Steps    []StepResult `json:"steps"`
	Diverged bool         `json:"diverged"`
	// FirstDivergence is the Index of the first step that did not match,
	// 0 when every step matched.
	FirstDivergence int `json:"first_divergence"`
}

// Text is the report for a terminal: one line per step, recorded and
// replayed component side by side, the differences under the step. What
// the server or the recording said is made safe to print (termsafe.Line).
func (r *Report) Text() string {
	safe := termsafe.Line
	var b strings.Builder
	fmt.Fprintf(&b, "replay of %s against %s", safe(r.Flow), safe(r.Target))
	if !r.Recorded.IsZero() {
		fmt.Fprintf(&b, " (recorded %s)", r.Recorded.UTC().Format("2006-01-02 15:04 MST"))
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "%4s  %-34s %-26s %-26s %s\n", "step", "action", "recorded", "replayed", "result")
	for _, s := range r.Steps {
		want := fmt.Sprintf("%d %s", s.WantStatus, safe(flow.ShortComponent(s.Expected)))
		got := "-"
		if s.Status != StepNotRun {
			got = fmt.Sprintf("%d %s", s.GotStatus, safe(flow.ShortComponent(s.Got)))
		}
		fmt.Fprintf(&b, "%4d  %-34s %-26s %-26s %s\n", s.Index, clip(safe(s.Action), 34), clip(want, 26), clip(got, 26), safe(strings.ToUpper(string(s.Status))))
		if s.Note != "" {
			fmt.Fprintf(&b, "      note: %s\n", safe(s.Note))
		}
		for _, d := range s.Diffs {
			fmt.Fprintf(&b, "      %s\n        - recorded: %s\n        + replayed: %s\n", safe(d.Path), clip(safe(d.Want), 100), clip(safe(d.Got), 100))
		}
	}
	b.WriteString("\n")
	switch {
	case !r.Diverged:
		fmt.Fprintf(&b, "all %d steps match the recording\n", len(r.Steps))
	default:
		notRun := 0
		for _, s := range r.Steps {
			if s.Status == StepNotRun {
				notRun++
			}
		}
		fmt.Fprintf(&b, "diverged at step %d", r.FirstDivergence)
		if notRun > 0 {
			fmt.Fprintf(&b, "; stopped there, %d steps not run (keep going to run them)", notRun)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML for CI: one test case per
// step, failures for divergences, skipped for steps not run.
func (r *Report) WriteJUnit(w io.Writer) error {
	suite := junitSuite{Name: "akinspect replay " + r.Flow, Tests: len(r.Steps)}
	for _, s := range r.Steps {
		c := junitCase{Name: fmt.Sprintf("step %d: %s", s.Index, s.Action), ClassName: "akinspect." + s.Flow}
		switch s.Status {
		case StepDiverged:
			suite.Failures++
			var text strings.Builder
			for _, d := range s.Diffs {
				fmt.Fprintf(&text, "%s: recorded %s, replayed %s\n", d.Path, d.Want, d.Got)
			}
			c.Failure = &junitMessage{Message: fmt.Sprintf("expected %s, got %s", s.Expected, s.Got), Text: text.String()}
		case StepFailed:
			suite.Errors++
			c.Error = &junitMessage{Message: s.Note, Text: s.Note}
		case StepNotRun:
			suite.Skipped++
			c.Skipped = &junitMessage{Message: "not run: an earlier step diverged"}
		}
		suite.Cases = append(suite.Cases, c)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{suite}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
