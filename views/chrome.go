package views

import (
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// HeaderState is what the header line shows.
type HeaderState struct {
	Host, Flow string
	Step       int
	State      string // idle|sending|done|denied|error|offline
	Spinner    string // the spinner's current frame, shown while sending
	Elapsed    time.Duration
	Recording  string // recording file, "" when not recording
	// RecordingStopped: writing the recording failed, so the file ends
	// before the session does.
	RecordingStopped bool
}

// RenderHeader draws the one-line header: app, host, flow, step on the
// left; state and recording on the right. Exactly width cells.
func RenderHeader(th *Theme, s HeaderState, width int) string {
	if width <= 0 {
		return ""
	}
	sep := th.Faint.Render(" │ ")
	app := th.HeaderTitle.Render("akinspect")
	var host, flowSlug, step string
	if s.Host != "" {
		host = sanitize(s.Host)
	}
	if s.Flow != "" {
		flowSlug = th.Bold.Render(sanitize(s.Flow))
	}
	if s.Step > 0 {
		step = th.Faint.Render("step ") + strconv.Itoa(s.Step)
	}

	st := headerStateText(th, s)
	rec := ""
	if s.Recording != "" {
		rec = sanitize(path.Base(s.Recording))
	}
	// right is the state and the recording indicator with the file name
	// cut to nameW cells (0: the indicator alone, -1: the whole name).
	right := func(nameW int) string {
		var parts []string
		if st != "" {
			parts = append(parts, st)
		}
		if s.Recording != "" {
			ind := th.Error.Render("●") + " " + th.Faint.Render("rec")
			if s.RecordingStopped {
				ind = th.Error.Render("✗ rec stopped")
			}
			switch {
			case nameW < 0:
				ind += " " + rec
			case nameW > 0:
				ind += " " + ansi.Truncate(rec, nameW, ellipsis)
			}
			parts = append(parts, ind)
		}
		return strings.Join(parts, sep)
	}
	inner := width - 2 // one cell of padding each side
	line := func(l, r string) string {
		lw := max(0, inner-ansi.StringWidth(r)-1)
		return fitLine(" "+fitLine(l, lw)+" "+r, width)
	}
	const gap = 3 // between the left part and the state, so they read apart
	fits := func(l, r string) bool { return ansi.StringWidth(l)+gap+ansi.StringWidth(r) <= inner }
	// Room is given up in this order: the app name, the recording's file
	// name (cut, then left out), the host, and last the flow slug.
	full, noApp := joinNonEmpty([]string{app, host, flowSlug, step}, sep), joinNonEmpty([]string{host, flowSlug, step}, sep)
	for _, l := range []string{full, noApp} {
		if r := right(-1); fits(l, r) {
			return line(l, r)
		}
	}
	if s.Recording != "" {
		const minName = 8 // fewer cells of a file name say nothing
		if room := inner - ansi.StringWidth(noApp) - gap - ansi.StringWidth(right(0)) - 1; room >= minName {
			return line(noApp, right(room))
		}
		if r := right(0); fits(noApp, r) {
			return line(noApp, r)
		}
	}
	r := right(0)
	if rw := ansi.StringWidth(r); rw > inner/2 {
		r = ansi.Truncate(r, inner/2, ellipsis)
	}
	lw := max(0, inner-ansi.StringWidth(r)-1)
	l := noApp
	for _, parts := range [][]string{{host, flowSlug, step}, {flowSlug, step}} {
		l = joinNonEmpty(parts, sep)
		if ansi.StringWidth(l) <= lw {
			break
		}
	}
	return line(l, r)
}

func joinNonEmpty(parts []string, sep string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

func headerStateText(th *Theme, s HeaderState) string {
	var st lipgloss.Style
	text := s.State
	switch s.State {
	case "":
		return ""
	case "sending":
		st = th.Info
		if s.Spinner != "" {
			text = s.Spinner + " " + text
		}
	case "done":
		st = th.Success
	case "denied":
		st = th.Warning
	case "error":
		st = th.Error
	default:
		st = th.Faint
	}
	if s.Elapsed > 0 {
		text += " " + formatDuration(s.Elapsed)
	}
	return st.Render(text)
}

// RenderStatus draws the status line: an error in the Error style, or a
// faint hint. Exactly width cells.
func RenderStatus(th *Theme, text string, isError bool, width int) string {
	text = strings.ReplaceAll(sanitize(text), "\n", " ")
	if isError {
		text = th.Error.Render("✗ " + text)
	} else {
		text = th.Faint.Render(text)
	}
	return fitLine(" "+text, width)
}

// RenderOverlay draws a bordered box with a title, centred in an area of
// exactly width×height (the root puts it over the panes).
func RenderOverlay(th *Theme, title, body string, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	frameW := th.Overlay.GetHorizontalFrameSize()
	frameH := th.Overlay.GetVerticalFrameSize()
	maxW, maxH := max(1, width-frameW), max(1, height-frameH)
	lines := strings.Split(body, "\n")
	if title != "" {
		lines = append([]string{th.Heading.Render(title), ""}, lines...)
	}
	if len(lines) > maxH {
		lines = append(lines[:maxH-1], th.Faint.Render("…"))
	}
	w := 0
	for i, l := range lines {
		if ansi.StringWidth(l) > maxW {
			lines[i] = ansi.Truncate(l, maxW, ellipsis)
		}
		w = max(w, ansi.StringWidth(lines[i]))
	}
	for i, l := range lines {
		lines[i] = fitLine(l, w)
	}
	box := th.Overlay.Render(strings.Join(lines, "\n"))
	return fitBlock(lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box), width, height)
}
