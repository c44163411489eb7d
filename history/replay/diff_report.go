package replay

import (
	"fmt"
	"strings"

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
		fmt.Fprintf(&b, "same: %d runs, no difference\n", len(d.Runs))
	case 1:
		b.WriteString("1 stage differs\n")
	default:
		fmt.Fprintf(&b, "%d stages differ\n", n)
	}
	return b.String()
}

func writeStep(b *strings.Builder, s StepDiff) {
	switch s.Change {
	case Same:
		fmt.Fprintf(b, "  %s %d\n", termsafe.Line(s.A.Label()), s.A.Status)
	case OnlyA:
		fmt.Fprintf(b, "- %s %d  (only in A, #%d)\n", termsafe.Line(s.A.Label()), s.A.Status, s.A.ID)
	case OnlyB:
		fmt.Fprintf(b, "+ %s %d  (only in B, #%d)\n", termsafe.Line(s.B.Label()), s.B.Status, s.B.ID)
	case Changed:
		fmt.Fprintf(b, "~ %s  (A #%d, B #%d)\n", termsafe.Line(s.A.Label()), s.A.ID, s.B.ID)
		for _, d := range s.Diffs {
			fmt.Fprintf(b, "      %s: %s → %s\n", termsafe.Line(d.Path), termsafe.Line(d.Want), termsafe.Line(d.Got))
		}
	}
}
