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

	var right []string
	if st := headerStateText(th, s); st != "" {
		right = append(right, st)
	}
	if s.Recording != "" {
		right = append(right, th.Error.Render("●")+" "+th.Faint.Render("rec ")+sanitize(path.Base(s.Recording)))
	}
	r := strings.Join(right, sep)
	inner := width - 2 // one cell of padding each side
	rw := ansi.StringWidth(r)
	if rw > inner/2 {
		r = ansi.Truncate(r, inner/2, ellipsis)
		rw = ansi.StringWidth(r)
	}
	lw := max(0, inner-rw-1)
	// When narrow, drop the app name and then the host before cutting the
	// flow slug, which matters most.
	var l string
	for _, parts := range [][]string{{app, host, flowSlug, step}, {host, flowSlug, step}, {flowSlug, step}} {
		l = joinNonEmpty(parts, sep)
		if ansi.StringWidth(l) <= lw {
			break
		}
	}
	return fitLine(" "+fitLine(l, lw)+" "+r, width)
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
