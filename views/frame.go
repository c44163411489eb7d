package views

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/internal/termsafe"
)

// ellipsis marks text cut to fit a column.
const ellipsis = "…"

// narrowRunes are the non-ASCII runes akinspect draws itself, all one
// cell wide; lines made of ASCII and these are measured without the
// grapheme machinery.
var narrowRunes = map[rune]bool{
	'…': true, '—': true, '−': true, '›': true, '«': true, '»': true, '·': true, 'µ': true, '•': true,
	'↪': true, '→': true, '←': true, '↑': true, '↓': true, '✓': true, '✗': true, '⟳': true, '▶': true, '●': true, '■': true,
	'█': true, '│': true, '─': true, '╭': true, '╮': true, '╰': true, '╯': true, '‹': true,
	'⠋': true, '⠙': true, '⠹': true, '⠸': true, '⠼': true, '⠴': true, '⠦': true, '⠧': true, '⠇': true, '⠏': true,
}

// cellWidth is ansi.StringWidth with a fast path: escape sequences are
// skipped and ASCII and narrowRunes count one cell; anything else falls
// back to the full measurement. Measuring is most of a frame's cost.
func cellWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			// CSI (ECMA-48): parameter bytes (0x30..0x3f), then
			// intermediate bytes (0x20..0x2f), then one final byte
			// (0x40..0x7e). Anything else, a parameter byte after an
			// intermediate one included ("\x1b[ 0A"), is left to ansi,
			// whose parser ends such a sequence early.
			j := i + 2
			for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
				j++
			}
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
				j++
			}
			if j >= len(s) || s[j] < 0x40 || s[j] > 0x7e {
				return ansi.StringWidth(s)
			}
			i = j + 1
		case c < 0x20 || c == 0x7f:
			return ansi.StringWidth(s)
		case c < 0x80:
			n++
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrowRunes[r] {
				return ansi.StringWidth(s)
			}
			n++
			i += size
		}
	}
	return n
}

// fitLine pads or truncates one line to exactly w cells. Escape sequences
// survive truncation, so a styled line stays well-formed.
func fitLine(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := cellWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, ellipsis)
		sw = cellWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// hardwrap breaks s into lines of at most w cells, like ansi.Hardwrap
// with spaces kept. ansi.Hardwrap cannot break a character wider than the
// column (a wide rune in a one-cell pane); such a line is cut to an
// ellipsis, so no line is ever wider than w. The number of lines is
// Hardwrap's, so a styled line and its plain twin still wrap alike.
func hardwrap(s string, w int) []string {
	lines := strings.Split(ansi.Hardwrap(s, w, true), "\n")
	for i, l := range lines {
		if cellWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, ellipsis)
		}
	}
	return lines
}

// fitBlock makes s exactly w cells wide and h lines tall: extra lines are
// dropped, short ones padded, missing ones added blank.
func fitBlock(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	var b strings.Builder
	b.Grow((w + 1) * h)
	blank := strings.Repeat(" ", w)
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(fitLine(lines[i], w))
		} else {
			b.WriteString(blank)
		}
	}
	return b.String()
}

// wrapper returns a function that paints text with a plain text style
// (colours and attributes, no padding or width). The escape sequences are
// taken from a one-cell render so that long runs of border characters
// are not measured by lipgloss on every frame.
func wrapper(st lipgloss.Style) func(string) string {
	on, off, ok := strings.Cut(st.Render("x"), "x")
	if !ok {
		return func(s string) string { return st.Render(s) }
	}
	return func(s string) string { return on + s + off }
}

// PaneFrame draws a rounded border around content with the title set into
// the top border. The result is exactly width×height; content is padded or
// cut to the (width-2)×(height-2) inside. It keeps nothing: the caller
// that owns the pane keeps its last frame (the root model does, one per
// pane), so there is one frame cache, not a second one here.
func PaneFrame(th *Theme, title string, focused bool, content string, width, height int) string {
	return PaneFrameInfo(th, title, "", focused, content, width, height)
}

// FocusMark starts the title of the focused pane, so focus shows without
// colour too (NO_COLOR, a monochrome terminal).
const FocusMark = "▶ "

// PaneFrameInfo is PaneFrame with info (a scroll position) set into the
// right end of the top border; the title gives up room before it does.
func PaneFrameInfo(th *Theme, title, info string, focused bool, content string, width, height int) string {
	title, info = termsafe.Line(title), termsafe.Line(info) // a stage's title, an exchange's URL
	if width < 2 || height < 2 {
		return fitBlock(content, width, height)
	}
	frame, titleStyle := th.Pane, th.PaneTitle
	if focused {
		frame, titleStyle = th.PaneFocused, th.PaneTitleOn
		title = FocusMark + title
	}
	bc := lipgloss.NewStyle().Foreground(frame.GetBorderTopForeground())
	paint, paintTitle := wrapper(bc), wrapper(titleStyle)
	b := lipgloss.RoundedBorder()
	inner := width - 2

	// " info ─" at the right when it leaves the title ten cells.
	tail := ""
	if info != "" && inner-3-(cellWidth(info)+3) >= 10 {
		tail = " " + info + " " + b.Top
	}
	var top string
	// "╭─ title ─╮" needs five cells besides the title.
	if title != "" && inner >= 4 {
		room := inner - 3 - cellWidth(tail)
		t := ansi.Truncate(title, room, ellipsis)
		rest := room - cellWidth(t)
		top = paint(b.TopLeft+b.Top+" ") + paintTitle(t) + paint(" "+strings.Repeat(b.Top, rest)) +
			paintTitle(strings.TrimSuffix(tail, b.Top)) + paint(suffixIf(tail, b.Top)+b.TopRight)
	} else {
		top = paint(b.TopLeft + strings.Repeat(b.Top, inner) + b.TopRight)
	}
	left, right := paint(b.Left), paint(b.Right)
	bottom := paint(b.BottomLeft + strings.Repeat(b.Bottom, inner) + b.BottomRight)

	var sb strings.Builder
	sb.Grow(len(content) + (width+16)*height)
	sb.WriteString(top)
	blank := strings.Repeat(" ", inner)
	rest := content
	for i := 0; i < height-2; i++ {
		sb.WriteByte('\n')
		sb.WriteString(left)
		var line string
		switch {
		case rest == "" && i > 0:
			line = blank
		default:
			line, rest, _ = strings.Cut(rest, "\n")
			line = fitLine(line, inner)
		}
		sb.WriteString(line)
		sb.WriteString(right)
	}
	sb.WriteByte('\n')
	sb.WriteString(bottom)
	return sb.String()
}

// suffixIf is suffix when s is not empty.
func suffixIf(s, suffix string) string {
	if s == "" {
		return ""
	}
	return suffix
}
