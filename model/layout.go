package model

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/views"
)

// rect is a screen rectangle in cells.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// innerWidth is the width inside a pane's border.
func (r rect) innerWidth() int { return max(r.w-2, 1) }

// layout is where everything goes, computed once per size.
type layout struct {
	header                  rect
	body                    rect // the area between header and status
	timeline, details, form rect
	status, helpLine        rect
	wide, stacked           bool
}

// Layout constants: one header line, status plus short help at the bottom.
const (
	headerLines    = 1
	footerLines    = 2
	wideMinWidth   = 120 // three panes side by side from here
	stackMaxWidth  = 70  // below this, details above form
	timelineStripH = 6   // the timeline strip of the narrow layout (border included)
	// timelineMinW shows the longest stage names ("authenticator-validate")
	// and the notes of the POSTs that answered them, with the border.
	timelineMinW = views.TimelineMinWidth + 2
)

// computeLayout splits a width×height screen into the panes' rectangles.
func computeLayout(width, height int) layout {
	l := layout{
		header: rect{0, 0, width, headerLines},
	}
	bodyH := max(height-headerLines-footerLines, 0)
	l.body = rect{0, headerLines, width, bodyH}
	l.status = rect{0, headerLines + bodyH, width, 1}
	l.helpLine = rect{0, headerLines + bodyH + 1, width, 1}
	y := headerLines
	switch {
	case width >= wideMinWidth:
		l.wide = true
		// The timeline gets at least room for the longest stage names
		// ("authenticator-validate"), but never more than 40%.
		tw := min(max(width*34/100, timelineMinW), width*40/100)
		fw := width * 28 / 100
		dw := width - tw - fw
		l.timeline = rect{0, y, tw, bodyH}
		l.details = rect{tw, y, dw, bodyH}
		l.form = rect{tw + dw, y, fw, bodyH}
	default:
		th := min(timelineStripH, bodyH/3)
		if bodyH >= 4*timelineStripH {
			th = timelineStripH + 1
		}
		rest := bodyH - th
		l.timeline = rect{0, y, width, th}
		if width < stackMaxWidth {
			l.stacked = true
			dh := rest / 2
			l.details = rect{0, y + th, width, dh}
			l.form = rect{0, y + th + dh, width, rest - dh}
		} else {
			dw := width / 2
			l.details = rect{0, y + th, dw, rest}
			l.form = rect{dw, y + th, width - dw, rest}
		}
	}
	return l
}

// resize recomputes the layout and pushes the sizes down to the panes,
// which re-render their width-dependent content now, not per frame.
func (m *Model) resize(width, height int) tea.Cmd {
	m.width, m.height = width, height
	m.rects = computeLayout(width, height)
	for id := focusTimeline; id < paneCount; id++ {
		r := m.paneRect(id)
		m.paneAt(id).SetSize(max(r.w-2, 0), max(r.h-2, 0)) // inside the frame
	}
	m.renderInspection()
	m.rebuildHelpLine()
	return nil
}

// View joins the cached pieces; it never renders content itself.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return "akinspect: starting…"
	}
	header := fitLine(views.RenderHeader(m.theme, m.headerState(), m.width), m.width)
	if m.overlay.kind == overlayHelp && m.height > headerLines {
		// The help is long: it takes the footer's lines too.
		h := m.height - headerLines
		return header + "\n" + fitBlock(views.RenderHelp(m.theme, m.fullHelp(), m.width, h, m.overlay.cursor), m.width, h)
	}
	l := m.rects
	var body string
	if m.overlay.kind != overlayNone {
		body = fitBlock(m.renderOverlay(l.body.w, l.body.h), m.width, l.body.h)
	} else {
		body = m.paneArea()
	}
	status, isErr := m.status, m.statusErr
	switch {
	case status == "" && m.src.alert() != "": // until something more urgent
		status, isErr = m.src.alert(), true
	case status == "":
		status = m.idleHint()
	}
	parts := []string{header}
	if l.body.h > 0 {
		parts = append(parts, body)
	}
	statusLine := views.RenderStatus(m.theme, status, isErr, m.width)
	if p := m.src.prompt(); p != nil {
		statusLine = " " + p.view()
	}
	parts = append(parts, fitLine(statusLine, m.width), fitLine(m.helpLine, m.width))
	out := strings.Join(parts, "\n")
	if m.height < headerLines+footerLines {
		out = fitBlock(out, m.width, m.height) // a tiny terminal: keep the top
	}
	return out
}

// paneArea is the three framed panes laid out. Each pane keeps its own
// last frame, so an unchanged pane costs a comparison.
func (m *Model) paneArea() string {
	l := m.rects
	switch {
	case m.zoomed:
		return joinColumns(l.body.h, m.framed(m.focus)) // the only pane on screen
	case l.wide:
		return joinColumns(l.body.h, m.framed(focusTimeline), m.framed(focusDetails), m.framed(focusForm))
	case l.stacked:
		return joinNonEmpty(joinColumns(l.timeline.h, m.framed(focusTimeline)),
			joinNonEmpty(joinColumns(l.details.h, m.framed(focusDetails)), joinColumns(l.form.h, m.framed(focusForm))))
	default:
		return joinNonEmpty(joinColumns(l.timeline.h, m.framed(focusTimeline)),
			joinColumns(l.details.h, m.framed(focusDetails), m.framed(focusForm)))
	}
}

// toggleZoom makes the focused pane fill the screen, or puts the three
// panes back; while zoomed, tab shows the next pane zoomed.
func (m *Model) toggleZoom() {
	m.zoomed = !m.zoomed
	m.resize(m.width, m.height)
	if m.zoomed {
		m.setStatus("zoomed on "+paneName(m.focus)+": z puts the three panes back, tab zooms the next", false)
	} else {
		m.setStatus("", false)
	}
}

func paneName(id focusID) string {
	return [...]string{"the timeline", "the details", "the form"}[id]
}

// idleHint fills an empty status line with what to do next.
func (m *Model) idleHint() string {
	if hint, ok := m.src.hint(); ok {
		return hint
	}
	switch {
	case m.zoomed:
		return "zoomed: " + keyName(m.keys.Zoom) + " puts the three panes back"
	case m.busy():
		return "sending… esc cancels"
	case !m.followNewest:
		return "time travel: " + keyName(m.keys.Live) + " returns to live"
	case m.form.Raw():
		return "raw mode: ctrl+s sends the body as it is, ctrl+o opens $EDITOR, esc leaves"
	}
	return ""
}

// headerState is the header's data; elapsed time shows only while sending.
func (m *Model) headerState() views.HeaderState {
	s := views.HeaderState{Host: m.host, Flow: m.flowSlug, Step: m.stepNo, State: m.state(),
		Recording: m.opts.RecordingPath}
	m.src.header(&s)
	if sentAt, busy := m.src.inFlight(); busy {
		s.Spinner = m.spinner.View()
		s.Elapsed = m.now().Sub(sentAt)
	}
	return s
}

// framed is one pane inside its border, exactly its rectangle's size.
func (m *Model) framed(id focusID) column {
	r := m.paneRect(id)
	return column{m.paneAt(id).Framed(m.focus == id, r.w, r.h), r.w, true}
}

// column is one pane's rendered block and its width. exact marks blocks
// already cut to width (PaneFrame's), which need no measuring per frame.
type column struct {
	text  string
	width int
	exact bool
}

// joinColumns puts blocks side by side, each cut or padded to its width,
// over exactly height lines. It is a plain line join: lipgloss's
// JoinHorizontal measures everything again on each frame.
func joinColumns(height int, cols ...column) string {
	if height <= 0 {
		return ""
	}
	rest := make([]string, len(cols)) // what is left of each block
	done := make([]bool, len(cols))   // its last line was written
	size := height
	for i, c := range cols {
		rest[i] = c.text
		size += len(c.text) + max(c.width, 0) // room for a padded line
	}
	var b strings.Builder
	b.Grow(size)
	for row := 0; row < height; row++ {
		if row > 0 {
			b.WriteByte('\n')
		}
		for i, c := range cols {
			if done[i] {
				b.WriteString(strings.Repeat(" ", max(c.width, 0)))
				continue
			}
			line, more, found := strings.Cut(rest[i], "\n")
			rest[i], done[i] = more, !found
			if c.exact {
				b.WriteString(line)
			} else {
				b.WriteString(fitLine(line, c.width))
			}
		}
	}
	return b.String()
}

// fitLine pads or cuts one line to exactly w cells.
func fitLine(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// fitBlock makes s exactly w×h: the screen must never be taller than the
// terminal, or Bubble Tea drops the header.
func fitBlock(s string, w, h int) string {
	if h <= 0 {
		return ""
	}
	lines := strings.SplitN(s, "\n", h+1)
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fitLine(l, w)
	}
	return strings.Join(lines, "\n")
}

// handleMouse: a click focuses the pane under the pointer, the wheel
// scrolls it (as arrow keys: panes scroll on keys, not mouse events).
func (m *Model) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if m.overlay.kind != overlayNone || m.width == 0 {
		return nil
	}
	for id := focusTimeline; id < paneCount; id++ {
		if !m.paneRect(id).contains(msg.X, msg.Y) || (m.zoomed && id != m.focus) {
			continue
		}
		switch {
		case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft:
			if m.focus != id {
				m.setFocus(id)
			}
			if id == focusTimeline { // a click on a row shows that exchange
				return m.timeline.Click(msg.Y - m.paneRect(id).y - 1)
			}
		case msg.Button == tea.MouseButtonWheelUp && id != focusForm:
			return m.sendTo(m.paneAt(id), tea.KeyMsg{Type: tea.KeyUp})
		case msg.Button == tea.MouseButtonWheelDown && id != focusForm:
			return m.sendTo(m.paneAt(id), tea.KeyMsg{Type: tea.KeyDown})
		}
		return nil
	}
	return nil
}

func (m *Model) paneRect(id focusID) rect {
	if m.zoomed && id == m.focus {
		return m.rects.body
	}
	switch id {
	case focusTimeline:
		return m.rects.timeline
	case focusDetails:
		return m.rects.details
	default:
		return m.rects.form
	}
}
