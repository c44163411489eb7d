package views

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// A timeline row: the columns for the pane's width, the header over them,
// and one exchange laid out in them.

// columns computes the column widths for the pane width. The component
// column comes first: a narrow pane drops the duration (the Timing tab has
// it) before it cuts a stage name, and the path only gets what is left.
type columns struct {
	comp, path int
	dur        bool
}

const (
	methodW = 4
	statusW = 3
	durW    = 5
	marksW  = 3
	// compMin fits the longest stage names ("authenticator-validate");
	// compW adds room for a note's arrow ("→ authenticator-validate").
	compMin = 22
	compW   = 24
	pathMin = 12
)

// TimelineFixedWidth is the width of the columns that are always there
// (marker, #, method, status, marks and their gaps, for IDs up to 999).
const TimelineFixedWidth = 1 + 3 + 1 + methodW + 1 + statusW + 1 + 1 + marksW

// TimelineMinWidth is the inside width at which every stage name is shown
// whole with the duration beside it: the root sizes the pane from it. (A
// POST's "→ stage" note may lose its last cells; the GET above names the
// stage.)
const TimelineMinWidth = TimelineFixedWidth + compMin + durW + 1

func (t *Timeline) columns() columns {
	// marker id method status component [path] [duration] marks.
	fixed := 1 + t.idW + 1 + methodW + 1 + statusW + 1 + 1 + marksW
	avail := max(1, t.width-fixed)
	const durCol = durW + 1
	switch {
	case avail >= compW+1+pathMin+durCol:
		return columns{comp: compW, path: avail - compW - 1 - durCol, dur: true}
	case avail >= compMin+durCol:
		return columns{comp: avail - durCol, dur: true}
	}
	return columns{comp: avail}
}

func (t *Timeline) header() string {
	c := t.columns()
	h := " " + fmt.Sprintf("%*s", t.idW, "#") + " " + fitLine("METH", methodW) + " " + "STA" + " " + fitLine("COMPONENT", c.comp)
	if c.path > 0 {
		h += " PATH"
	}
	ind := t.indicator()
	style := t.th.Faint
	if t.live {
		style = t.th.Live
	}
	// The indicator sits at the right end, over the time and marks columns.
	iw := lipgloss.Width(ind)
	if iw+1 >= t.width {
		return t.th.Faint.Render(fitLine(h, t.width))
	}
	room := t.width - iw - 1
	if lipgloss.Width(h) > room {
		h = ansi.Truncate(h, room, "")
	}
	return t.th.Faint.Render(fitLine(h, room)) + " " + style.Render(ind)
}

// row renders row i; unselected rows come from the cache.
func (t *Timeline) row(i int) string {
	r := t.rows[i]
	if i == t.cursor {
		return t.selected(t.rowText(r, true, false))
	}
	if s, ok := t.rowCache[r.ID]; ok {
		return s
	}
	s := t.rowText(r, false, true)
	t.rowCache[r.ID] = s
	return s
}

// selected paints a plain row with the selection style. The style's
// escape sequences are taken once from a one-cell render, because
// lipgloss measuring a wide line on every frame is the costly part.
func (t *Timeline) selected(text string) string {
	if !t.selReady {
		t.selReady = true
		t.selOn, t.selOff, _ = strings.Cut(t.th.Selected.Render("x"), "x")
	}
	return t.selOn + text + t.selOff
}

// rowText lays out one row to exactly the pane width. styled colours the
// cells; the selected row is drawn plain under the selection style.
func (t *Timeline) rowText(r ExchangeRow, selected, styled bool) string {
	th := t.th
	if r.Separator {
		text := "── " + termsafe.Line(r.Note) + " "
		text += strings.Repeat("─", max(0, t.width-cellWidth(text)))
		if styled {
			return th.Faint.Render(fitLine(text, t.width))
		}
		return fitLine(text, t.width)
	}
	paint := func(s lipgloss.Style, text string) string {
		switch {
		case !styled:
			return text
		case r.Dim:
			return th.Faint.Render(text)
		}
		return s.Render(text)
	}
	c := t.columns()
	marker := " "
	switch {
	case selected:
		marker = "›"
	case r.ID == t.marked && !r.Separator:
		marker = "◆" // marked with m, for d
	}
	status, statusStyle := statusCell(th, r)
	comp := termsafe.Line(flow.ShortComponent(r.Component))
	compStyle := th.App
	if comp == "" {
		// No challenge (a 302, an HTML page, a failed request): the note
		// says more than an empty cell.
		comp, compStyle = "—", th.Faint
		if r.Note != "" {
			comp = termsafe.Line(r.Note)
		}
	}
	var b strings.Builder
	b.WriteString(paint(th.Marker, marker))
	b.WriteString(paint(th.Faint, fmt.Sprintf("%*d", t.idW, r.ID)))
	b.WriteString(" " + paint(th.Method, fitLine(termsafe.Line(r.Method), methodW)))
	b.WriteString(" " + paint(statusStyle, status))
	b.WriteString(" " + paint(compStyle, fitLine(comp, c.comp)))
	if c.path > 0 {
		b.WriteString(" " + paint(th.Faint, fitLine(termsafe.Line(r.Path), c.path)))
	}
	if c.dur {
		dur := ""
		if !r.Pending && (r.Status != 0 || r.Duration > 0) {
			dur = formatDuration(r.Duration)
		}
		b.WriteString(" " + paint(th.Faint, fmt.Sprintf("%*s", durW, dur)))
	}
	b.WriteString(" " + paint(marksStyle(th, r), fitLine(marks(r), marksW)))
	return fitLine(b.String(), t.width)
}

// statusCell is the three-cell status column and its colour.
func statusCell(th *Theme, r ExchangeRow) (string, lipgloss.Style) {
	switch {
	case r.Pending:
		return " … ", th.Pending
	case r.Status == 0 && r.Error:
		return "ERR", th.Error
	case r.Status == 0:
		return " — ", th.Faint
	case r.Status >= 400:
		return strconv.Itoa(r.Status), th.Status4xx
	case r.Status >= 300:
		return strconv.Itoa(r.Status), th.Status3xx
	default:
		return strconv.Itoa(r.Status), th.Status2xx
	}
}

// marks are the row's flags: ↪ redirect, ✗ error, ⟳ session rotated,
// ! validation error, … pending.
func marks(r ExchangeRow) string {
	var m string
	if r.Pending {
		m += "…"
	}
	if r.Error {
		m += "✗"
	}
	if r.Invalid {
		m += "!"
	}
	if r.Redirect {
		m += "↪"
	}
	if r.Rotated {
		m += "⟳"
	}
	return m
}

func marksStyle(th *Theme, r ExchangeRow) lipgloss.Style {
	switch {
	case r.Error, r.Invalid:
		return th.Error
	case r.Pending:
		return th.Pending
	default:
		return th.Warning
	}
}

// formatDuration is a compact duration for narrow columns: 850µs, 42ms, 1.3s.
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0ms"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	default:
		return d.Truncate(time.Second).String()
	}
}
