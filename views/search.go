package views

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// match is one piece of a search hit: byte offsets into one displayed
// plain line. A hit across a wrapped line has a piece on each screen line;
// n numbers the hits, so all pieces of one hit share it.
type match struct {
	line, start, end int
	n                int
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
	ms, _ := findWrappedMatches(lines, nil, q)
	return ms
}

// findWrappedMatches finds every non-overlapping occurrence of q, where
// cont[i] says line i continues line i-1 (a long line wrapped to the
// width): a hit may run over such a break, as a word cut by wrapping is
// still one word to the reader. It returns the pieces and the hit count.
func findWrappedMatches(lines []string, cont []bool, q string) ([]match, int) {
	if q == "" {
		return nil, 0
	}
	sensitive := smartCase(q)
	if !sensitive {
		q = strings.ToLower(q)
	}
	var out []match
	n := 0
	for a := 0; a < len(lines); {
		b := a + 1
		for b < len(lines) && b < len(cont) && cont[b] {
			b++
		}
		line := lines[a]
		if b > a+1 {
			line = strings.Join(lines[a:b], "")
		}
		hay := line
		if !sensitive {
			hay = strings.ToLower(line)
			// Lower-casing can change byte lengths outside ASCII; then the
			// offsets would not fit the line, so match it as it is.
			if len(hay) != len(line) {
				hay = line
			}
		}
		for from := 0; ; {
			j := strings.Index(hay[from:], q)
			if j < 0 {
				break
			}
			start := from + j
			out = appendPieces(out, lines[a:b], a, start, start+len(q), n)
			n++
			from = start + len(q)
		}
		a = b
	}
	return out, n
}

// appendPieces adds the pieces of hit [start, end) (offsets into the
// joined lines, the first of which is screen line first).
func appendPieces(out []match, lines []string, first, start, end, n int) []match {
	off := 0
	for k, l := range lines {
		lo, hi := max(start, off), min(end, off+len(l))
		if lo < hi {
			out = append(out, match{line: first + k, start: lo - off, end: hi - off, n: n})
		}
		off += len(l)
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
