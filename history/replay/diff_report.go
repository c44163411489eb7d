package replay

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/akinspect/akinspect/internal/termsafe"
)

// Text is the report as a person reads it, one line per stage, unified
// style: "  " the same, "~ " changed (its differences indented below),
// "- " only in A, "+ " only in B. Every value from the files is made safe
// for the terminal.
func (d *FlowDiff) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", termsafe.Line(d.A), termsafe.Line(d.B))
	for i, r := range d.Runs {
		side := ""
		switch r.Change {
		case OnlyA:
			side = "  (only in A)"
		case OnlyB:
			side = "  (only in B)"
		}
		fmt.Fprintf(&b, "run %d: %s%s\n", i+1, termsafe.Line(r.Flow), side)
		for _, s := range r.Steps {
			writeStep(&b, s)
		}
	}
	n := d.Differences()
	switch n {
	case 0:
		runs := "runs"
		if len(d.Runs) == 1 {
			runs = "run"
		}
		fmt.Fprintf(&b, "same: %d %s, no difference\n", len(d.Runs), runs)
	case 1:
		b.WriteString("1 stage differs\n")
	default:
		fmt.Fprintf(&b, "%d stages differ\n", n)
	}
	return b.String()
}

// ExchangesText is the report of two single exchanges (FILE#N), a and b
// naming them: one "~ path: A → B" line a difference, "same" for none.
// Every value from the files is made safe for the terminal.
func ExchangesText(a, b string, diffs []Diff) string {
	var t strings.Builder
	fmt.Fprintf(&t, "--- %s\n+++ %s\n", termsafe.Line(a), termsafe.Line(b))
	for _, d := range diffs {
		fmt.Fprintf(&t, "~ %s: %s → %s\n", termsafe.Line(d.Path), termsafe.Line(d.Want), termsafe.Line(d.Got))
	}
	if len(diffs) == 0 {
		t.WriteString("same\n")
	}
	return t.String()
}

func writeStep(b *strings.Builder, s StepDiff) {
	switch s.Change {
	case Same:
		fmt.Fprintf(b, "  %s %d  %s\n", termsafe.Line(s.A.Label()), s.A.Status, s.Sides("A", "B"))
	case OnlyA:
		fmt.Fprintf(b, "- %s %d  %s\n", termsafe.Line(s.A.Label()), s.A.Status, s.Sides("A", "B"))
	case OnlyB:
		fmt.Fprintf(b, "+ %s %d  %s\n", termsafe.Line(s.B.Label()), s.B.Status, s.Sides("A", "B"))
	case Changed:
		fmt.Fprintf(b, "~ %s  %s\n", termsafe.Line(s.A.Label()), s.Sides("A", "B"))
		for _, d := range s.Diffs {
			fmt.Fprintf(b, "      %s: %s → %s\n", termsafe.Line(d.Path), termsafe.Line(d.Want), termsafe.Line(d.Got))
		}
	}
}

// Sides says where the step is on each side and how long it took there,
// the sides named nameA and nameB: "(A #4 80ms, B #4 78ms)", "(only in
// B, #6 3.1ms)".
func (s StepDiff) Sides(nameA, nameB string) string {
	switch {
	case s.A != nil && s.B != nil:
		return fmt.Sprintf("(%s %s, %s %s)", nameA, s.A.where(), nameB, s.B.where())
	case s.A != nil:
		return fmt.Sprintf("(only in %s, %s)", nameA, s.A.where())
	case s.B != nil:
		return fmt.Sprintf("(only in %s, %s)", nameB, s.B.where())
	}
	return ""
}

// where is the step's exchange and time: "#4 80ms".
func (s *StageStep) where() string { return "#" + strconv.Itoa(s.ID) + " " + formatTime(s.Time) }

// formatTime is a step's time as a person reads it: "0.8ms", "80ms", "1.2s".
func formatTime(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	case d < 10*time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + "s"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
}
