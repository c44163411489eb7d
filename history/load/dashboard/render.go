package dashboard

import (
	"fmt"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/barchart"
	"github.com/NimbleMarkets/ntcharts/sparkline"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/views"
)

// Drawing a snapshot: the header, the stage table with sparklines, the
// histogram of the selected stage, the errors and a help line.

var (
	bold     = lipgloss.NewStyle().Bold(true)
	faint    = lipgloss.NewStyle().Faint(true)
	selStyle = lipgloss.NewStyle().Reverse(true)
	errStyle = lipgloss.NewStyle().Foreground(lipgloss.Color("1"))
	barStyle = lipgloss.NewStyle().Foreground(lipgloss.Color("4"))
)

// Render draws a snapshot in width×height cells: the header, the stage
// table with sparklines, the histogram of the selected stage, the latest
// errors and a status line. It never returns more than height lines.
func Render(s load.Snapshot, width, height int, sel Selection, status string) string {
	width, height = max(width, 40), max(height, 12)
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }

	add(bold.Render(fit("akinspect load · "+termsafe.Line(s.Flow)+" → "+termsafe.Line(s.Target), width)))
	add(fit(headerLine(s), width))
	add("")
	rows := append(append([]load.StageStats(nil), s.Stages...), s.Iteration)
	selected := min(max(sel.Stage, 0), len(rows)-1)
	add(tableLines(rows, width, selected, !sel.ErrorsFocused)...)
	add("")

	errs := s.RecentErrors
	avail := height - len(lines) - 4 // histogram title and axis, errors title, status
	errLines := min(max(avail/3, 1), max(len(errs), 1))
	chartH := avail - errLines
	st := rows[selected]
	title := fmt.Sprintf("latency of %s · %d samples", termsafe.Line(st.Name), st.Count)
	if st.Count > 0 {
		title += fmt.Sprintf(" · p50 %s · p99 %s · ttfb p50 %s · transfer p50 %s",
			load.Dur(st.Latency.P50), load.Dur(st.Latency.P99), load.Dur(st.TTFB.P50), load.Dur(st.Transfer.P50))
	}
	add(bold.Render(fit(title, width)))
	if chartH >= 2 {
		add(histogram(st.Buckets, width, chartH)...)
		add(faint.Render(axis(st.Buckets, width)))
	}
	add(errorLines(s, width, errLines, sel)...)
	for len(lines) < height-1 {
		add("")
	}
	if len(lines) > height-1 {
		lines = lines[:height-1]
	}
	add(faint.Render(fit(status, width)))
	return strings.Join(lines, "\n")
}

// errorLines is the error list: its title (marked while it has the
// focus) and the n events around the selected one, newest last.
func errorLines(s load.Snapshot, width, n int, sel Selection) []string {
	title := fmt.Sprintf("errors (%d failed iterations)", s.Failed)
	if sel.ErrorsFocused {
		title = views.FocusMark + title
	}
	out := []string{bold.Render(fit(title, width))}
	errs := s.RecentErrors
	if len(errs) == 0 {
		return append(out, faint.Render("  none"))
	}
	chosen := -1
	if sel.ErrorsFocused {
		chosen = min(max(sel.Error, 0), len(errs)-1)
	}
	start := max(len(errs)-n, 0)
	if chosen >= 0 && chosen < start {
		start = chosen
	}
	for i, e := range errs[start:min(start+n, len(errs))] {
		marker, style := "  ", errStyle
		if start+i == chosen {
			marker, style = "› ", selStyle
		}
		out = append(out, style.Render(fit(fmt.Sprintf("%s%6s %s", marker, load.Dur(e.At.Truncate(100*time.Millisecond)), e.Line()), width)))
	}
	return out
}

func headerLine(s load.Snapshot) string {
	var b strings.Builder
	if s.Model == "open" {
		fmt.Fprintf(&b, "open %g/s · ≤%d users", s.Rate, s.VUs)
	} else {
		fmt.Fprintf(&b, "closed · %d users", s.VUs)
	}
	fmt.Fprintf(&b, " · %s", load.Dur(s.Elapsed.Truncate(100*time.Millisecond)))
	switch {
	case s.Done && s.Stopped:
		b.WriteString(" · stopped")
	case s.Done:
		b.WriteString(" · done")
	case s.Planned > 0:
		fmt.Fprintf(&b, " · %s left", load.Dur(max(s.Planned-s.Elapsed, 0).Truncate(100*time.Millisecond)))
	case s.PlannedIterations > 0 && s.Iterations > 0:
		left := time.Duration(float64(s.Elapsed) * float64(s.PlannedIterations-s.Iterations) / float64(s.Iterations))
		fmt.Fprintf(&b, " · ~%s left", load.Dur(left.Truncate(100*time.Millisecond)))
	}
	if s.PlannedIterations > 0 {
		fmt.Fprintf(&b, " · %d/%d iterations", s.Iterations, s.PlannedIterations)
	} else {
		fmt.Fprintf(&b, " · %d iterations", s.Iterations)
	}
	fmt.Fprintf(&b, " · %d failed · %d running", s.Failed, s.Active)
	if s.TOTPWaiting > 0 {
		fmt.Fprintf(&b, " · %d waiting for a TOTP step", s.TOTPWaiting)
	}
	return b.String()
}

// tableLines is the stage table: name, count, errors, latency
// percentiles, the server's p95 time to first byte, throughput, and a
// sparkline of the mean latency per second filling the rest of the width.
func tableLines(rows []load.StageStats, width, selected int, focused bool) []string {
	nameW := 14
	for _, r := range rows {
		nameW = max(nameW, min(len(r.Name), 24))
	}
	wide := width >= 110
	head := fmt.Sprintf("  %-*s %6s %5s %7s %7s %7s %7s", nameW, "stage", "count", "err", "p50", "p95", "p99", "ttfb95")
	if wide {
		head += fmt.Sprintf(" %7s %7s", "max", "rate/s")
	}
	sparkW := width - ansi.StringWidth(head) - 2
	if sparkW >= 4 {
		head += "  " + fit("latency/s", sparkW)
	}
	out := []string{faint.Render(head)}
	for i, r := range rows {
		marker := "  "
		if i == selected {
			marker = "› "
		}
		line := fmt.Sprintf("%s%-*s %6d %5d %7s %7s %7s %7s", marker, nameW, fit(termsafe.Line(r.Name), nameW), r.Count, r.Errors,
			load.Dur(r.Latency.P50), load.Dur(r.Latency.P95), load.Dur(r.Latency.P99), load.Dur(r.TTFB.P95))
		if wide {
			line += fmt.Sprintf(" %7s %7.1f", load.Dur(r.Latency.Max), r.Throughput)
		}
		if i == selected && focused {
			line = selStyle.Render(line)
		} else if r.Errors > 0 {
			line = errStyle.Render(line)
		}
		if sparkW >= 4 {
			line += "  " + spark(r.Series, sparkW)
		}
		out = append(out, line)
	}
	return out
}

// spark draws a series (the last width points) as an ntcharts sparkline.
func spark(series []time.Duration, width int) string {
	sl := sparkline.New(width, 1, sparkline.WithStyle(barStyle))
	data := series[max(len(series)-width, 0):]
	vals := make([]float64, len(data))
	for i, d := range data {
		vals[i] = float64(d) / float64(time.Millisecond)
	}
	sl.PushAll(vals)
	sl.Draw()
	return sl.View()
}

// histogram draws the buckets as an ntcharts bar chart.
func histogram(bs []load.Bucket, width, height int) []string {
	if len(bs) == 0 {
		return padLines([]string{faint.Render("  no samples yet")}, height)
	}
	data := make([]barchart.BarData, len(bs))
	for i, b := range bs {
		data[i] = barchart.BarData{Values: []barchart.BarValue{{Name: "n", Value: float64(b.Count), Style: barStyle}}}
	}
	bc := barchart.New(width, height, barchart.WithDataSet(data), barchart.WithNoAxis(), barchart.WithBarGap(1))
	bc.Draw()
	return strings.Split(bc.View(), "\n")
}

// axis labels the histogram: the lowest bucket's bound on the left, the
// middle one in the middle, the highest on the right.
func axis(bs []load.Bucket, width int) string {
	if len(bs) == 0 {
		return ""
	}
	lo := bs[0].Upper
	if len(bs) > 1 {
		// The first bucket starts where the second's ratio says.
		lo = time.Duration(float64(bs[0].Upper) * float64(bs[0].Upper) / float64(bs[1].Upper))
	}
	left, mid, right := load.Dur(lo), load.Dur(bs[len(bs)/2-1].Upper), load.Dur(bs[len(bs)-1].Upper)
	line := []rune(strings.Repeat(" ", width))
	put := func(at int, s string) {
		r := []rune(s)
		at = min(max(at, 0), width-len(r))
		copy(line[at:], r)
	}
	put(0, left)
	put(width/2-len([]rune(mid))/2, mid)
	put(width-len([]rune(right)), right)
	return strings.TrimRight(string(line), " ")
}

func padLines(l []string, n int) []string {
	for len(l) < n {
		l = append(l, "")
	}
	return l[:n]
}

// fit cuts s to width cells.
func fit(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}
