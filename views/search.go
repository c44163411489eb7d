package views

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// match is one search hit: byte offsets into one displayed plain line.
type match struct {
	line, start, end int
}

// smartCase reports whether a query should match case-sensitively: only
// when it contains an upper-case letter (as in vim's smartcase).
func smartCase(q string) bool {
	for _, r := range q {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// findMatches finds every non-overlapping occurrence of q in the plain
// lines. Matches never span a line break.
func findMatches(lines []string, q string) []match {
	if q == "" {
		return nil
	}
	sensitive := smartCase(q)
	if !sensitive {
		q = strings.ToLower(q)
	}
	var out []match
	for i, l := range lines {
		hay := l
		if !sensitive {
			hay = strings.ToLower(l)
			// Lower-casing can change byte lengths outside ASCII; then the
			// offsets would not fit the line, so match it as it is.
			if len(hay) != len(l) {
				hay = l
			}
		}
		for from := 0; ; {
			j := strings.Index(hay[from:], q)
			if j < 0 {
				break
			}
			start := from + j
			out = append(out, match{line: i, start: start, end: start + len(q)})
			from = start + len(q)
		}
	}
	return out
}

// markMatches renders a plain line with its matches reversed; the current
// match (index into ms, or -1) stands out.
func markMatches(th *Theme, plain string, ms []match, current int) string {
	// Without colour (NO_COLOR, Ascii) reverse video is dropped too, so
	// matches get brackets instead.
	bare := lipgloss.ColorProfile() == termenv.Ascii
	var b strings.Builder
	pos := 0
	for i, m := range ms {
		b.WriteString(plain[pos:m.start])
		text := plain[m.start:m.end]
		switch {
		case bare && i == current:
			b.WriteString("«" + text + "»")
		case bare:
			b.WriteString("[" + text + "]")
		case i == current:
			b.WriteString(th.MatchOn.Render(text))
		default:
			b.WriteString(th.Match.Render(text))
		}
		pos = m.end
	}
	b.WriteString(plain[pos:])
	return b.String()
}
