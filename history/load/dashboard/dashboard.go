// Package dashboard is the live view of `akinspect load`: a row per stage
// with a sparkline of its latency, the latency histogram of the selected
// stage, the errors as they happen, elapsed and remaining time. Charts are
// drawn with github.com/NimbleMarkets/ntcharts (sparkline, barchart).
package dashboard

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/barchart"
	"github.com/NimbleMarkets/ntcharts/sparkline"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// refresh is how often the dashboard reads the statistics.
const refresh = 250 * time.Millisecond

type tickMsg struct{}

type doneMsg struct{ snap load.Snapshot }

// Model is the dashboard, a tea.Model. Source reads the statistics; Stop
// asks the run to stop (ctrl+c).
type Model struct {
	Source func() load.Snapshot
	Stop   func()

	snap          load.Snapshot
	width, height int
	selected      int // index into stages, len(stages) is the iteration row
	stopping      bool
}

// New builds the dashboard on a statistics source.
func New(source func() load.Snapshot, stop func()) Model {
	return Model{Source: source, Stop: stop, snap: source(), width: 80, height: 24}
}

func tick() tea.Cmd { return tea.Tick(refresh, func(time.Time) tea.Msg { return tickMsg{} }) }

// Init starts the refresh.
func (m Model) Init() tea.Cmd { return tick() }

// Update handles refreshes, keys and resizes.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		m.snap = m.Source()
		return m, tick()
	case doneMsg:
		m.snap = msg.snap
		return m, tea.Quit
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		switch msg.String() {
		case "up", "k":
			m.selected = max(m.selected-1, 0)
		case "down", "j":
			m.selected = min(m.selected+1, len(m.snap.Stages))
		case "ctrl+c", "q", "esc":
			if !m.stopping && m.Stop != nil {
				m.Stop()
			}
			m.stopping = true
		}
	}
	return m, nil
}

// View draws the dashboard at the window size.
func (m Model) View() string {
	status := "↑/↓ select a stage · ctrl+c stop and report"
	if m.stopping {
		status = "stopping: finishing the report…"
	}
	return Render(m.snap, m.width, m.height, m.selected, status)
}

// Run shows the dashboard while the run runs; it returns the final
// statistics when the run ends or after ctrl+c stopped it.
func Run(ctx context.Context, run *load.Run) (load.Snapshot, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan load.Snapshot, 1)
	p := tea.NewProgram(New(run.Snapshot, cancel), tea.WithAltScreen(), tea.WithContext(ctx))
	go func() {
		snap := run.Run(ctx)
		done <- snap
		p.Send(doneMsg{snap})
	}()
	_, err := p.Run()
	cancel() // the program ended (done, or killed): stop the run too
	snap := <-done
	if err != nil && ctx.Err() == nil {
		return snap, err
	}
	return snap, nil
}

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
func Render(s load.Snapshot, width, height, selected int, status string) string {
	width, height = max(width, 40), max(height, 12)
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }

	add(bold.Render(fit("akinspect load · "+termsafe.Line(s.Flow)+" → "+termsafe.Line(s.Target), width)))
	add(fit(headerLine(s), width))
	add("")
	rows := append(append([]load.StageStats(nil), s.Stages...), s.Iteration)
	selected = min(max(selected, 0), len(rows)-1)
	add(tableLines(rows, width, selected)...)
	add("")

	errs := s.RecentErrors
	avail := height - len(lines) - 4 // histogram title and axis, errors title, status
	errLines := min(max(avail/3, 1), max(len(errs), 1))
	chartH := avail - errLines
	sel := rows[selected]
	title := fmt.Sprintf("latency of %s · %d samples", termsafe.Line(sel.Name), sel.Count)
	if sel.Count > 0 {
		title += fmt.Sprintf(" · p50 %s · p99 %s · ttfb p50 %s · transfer p50 %s",
			load.Dur(sel.Latency.P50), load.Dur(sel.Latency.P99), load.Dur(sel.TTFB.P50), load.Dur(sel.Transfer.P50))
	}
	add(bold.Render(fit(title, width)))
	if chartH >= 2 {
		add(histogram(sel.Buckets, width, chartH)...)
		add(faint.Render(axis(sel.Buckets, width)))
	}
	add(bold.Render(fit(fmt.Sprintf("errors (%d failed iterations)", s.Failed), width)))
	if len(errs) == 0 {
		add(faint.Render("  none"))
	}
	for _, e := range errs[max(len(errs)-errLines, 0):] {
		add(errStyle.Render(fit(fmt.Sprintf("  %6s %s", load.Dur(e.At.Truncate(100*time.Millisecond)), e.Line()), width)))
	}
	for len(lines) < height-1 {
		add("")
	}
	if len(lines) > height-1 {
		lines = lines[:height-1]
	}
	add(faint.Render(fit(status, width)))
	return strings.Join(lines, "\n")
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
	return b.String()
}

// tableLines is the stage table: name, count, errors, latency
// percentiles, the server's p95 time to first byte, throughput, and a
// sparkline of the mean latency per second filling the rest of the width.
func tableLines(rows []load.StageStats, width, selected int) []string {
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
		if i == selected {
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
