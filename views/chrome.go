package views

import (
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/internal/termsafe"
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
	p := newHeaderParts(th, s)
	row := headerRow{width: width, inner: width - 2}
	// Room is given up in this order: the app name, the recording's file
	// name (cut, then left out), the host, and last the flow slug.
	if line, ok := p.withWholeRecordingName(row); ok {
		return line
	}
	if line, ok := p.withCutRecordingName(row); ok {
		return line
	}
	if line, ok := p.withRecordingMarkOnly(row); ok {
		return line
	}
	return p.squeezed(row)
}

// headerParts are the header's pieces, styled, before any is given up.
type headerParts struct {
	sep                   string
	app, host, flow, step string // the left side, in order
	state                 string
	recMark               string // "● rec" or "✗ rec stopped"; "" when not recording
	recName               string // the recording's file name, without its folder
}

func newHeaderParts(th *Theme, s HeaderState) headerParts {
	p := headerParts{
		sep:   th.Faint.Render(" │ "),
		app:   th.HeaderTitle.Render("akinspect"),
		state: headerStateText(th, s),
	}
	if s.Host != "" {
		p.host = termsafe.Line(s.Host)
	}
	if s.Flow != "" {
		p.flow = th.Bold.Render(termsafe.Line(s.Flow))
	}
	if s.Step > 0 {
		p.step = th.Faint.Render("step ") + strconv.Itoa(s.Step)
	}
	if s.Recording != "" {
		p.recName = termsafe.Line(path.Base(s.Recording))
		p.recMark = th.Error.Render("●") + " " + th.Faint.Render("rec")
		if s.RecordingStopped {
			p.recMark = th.Error.Render("✗ rec stopped")
		}
	}
	return p
}

// right's nameW, besides a number of cells to cut the file name to: the
// indicator alone, or the whole name.
const (
	recMarkOnly  = 0
	recWholeName = -1
)

// left is the left side without its first drop pieces: 0 keeps them all,
// 1 leaves out the app name, 2 the host too.
func (p headerParts) left(drop int) string {
	return joinNonEmpty([]string{p.app, p.host, p.flow, p.step}[drop:], p.sep)
}

// right is the state and the recording indicator with the file name cut
// to nameW cells (or recMarkOnly, recWholeName).
func (p headerParts) right(nameW int) string {
	var parts []string
	if p.state != "" {
		parts = append(parts, p.state)
	}
	if p.recMark != "" {
		ind := p.recMark
		switch {
		case nameW < 0:
			ind += " " + p.recName
		case nameW > 0:
			ind += " " + ansi.Truncate(p.recName, nameW, ellipsis)
		}
		parts = append(parts, ind)
	}
	return strings.Join(parts, p.sep)
}

// headerGap keeps the left side and the state apart, so they read apart.
const headerGap = 3

// minRecNameCells: fewer cells of a file name say nothing.
const minRecNameCells = 8

// headerRow is a header line of width cells, inner of them between one
// cell of padding each side.
type headerRow struct{ width, inner int }

// leftRoom is the cells left for the left side beside r.
func (row headerRow) leftRoom(r string) int { return max(0, row.inner-ansi.StringWidth(r)-1) }

// join sets l at the left, cut to the room beside r, and r at the right.
func (row headerRow) join(l, r string) string {
	return fitLine(" "+fitLine(l, row.leftRoom(r))+" "+r, row.width)
}

// fits reports whether l and r fit whole with the gap between them.
func (row headerRow) fits(l, r string) bool {
	return ansi.StringWidth(l)+headerGap+ansi.StringWidth(r) <= row.inner
}

// withWholeRecordingName keeps everything on the right, giving up the app
// name if that makes it fit.
func (p headerParts) withWholeRecordingName(row headerRow) (string, bool) {
	r := p.right(recWholeName)
	for _, l := range []string{p.left(0), p.left(1)} {
		if row.fits(l, r) {
			return row.join(l, r), true
		}
	}
	return "", false
}

// withCutRecordingName cuts the recording's file name to the room left,
// when that leaves enough of it to read.
func (p headerParts) withCutRecordingName(row headerRow) (string, bool) {
	if p.recMark == "" {
		return "", false
	}
	l := p.left(1)
	room := row.inner - ansi.StringWidth(l) - headerGap - ansi.StringWidth(p.right(recMarkOnly)) - 1
	if room < minRecNameCells {
		return "", false
	}
	return row.join(l, p.right(room)), true
}

// withRecordingMarkOnly leaves the recording's file name out.
func (p headerParts) withRecordingMarkOnly(row headerRow) (string, bool) {
	if p.recMark == "" {
		return "", false
	}
	l, r := p.left(1), p.right(recMarkOnly)
	if !row.fits(l, r) {
		return "", false
	}
	return row.join(l, r), true
}

// squeezed is the last resort: the right side takes at most half the row,
// and the left gives up the host, then is cut.
func (p headerParts) squeezed(row headerRow) string {
	r := p.right(recMarkOnly)
	if ansi.StringWidth(r) > row.inner/2 {
		r = ansi.Truncate(r, row.inner/2, ellipsis)
	}
	l := p.left(1)
	if ansi.StringWidth(l) > row.leftRoom(r) {
		l = p.left(2)
	}
	return row.join(l, r)
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
	text = strings.ReplaceAll(termsafe.String(text), "\n", " ")
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
	return renderOverlay(th, th.Overlay, title, body, width, height)
}

func renderOverlay(th *Theme, box lipgloss.Style, title, body string, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	frameW := box.GetHorizontalFrameSize()
	frameH := box.GetVerticalFrameSize()
	maxW, maxH := max(1, width-frameW), max(1, height-frameH)
	lines := strings.Split(body, "\n")
	if title != "" {
		lines = append([]string{th.Heading.Render(termsafe.Line(title)), ""}, lines...)
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
	out := box.Render(strings.Join(lines, "\n"))
	return fitBlock(lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, out), width, height)
}
