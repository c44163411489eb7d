// Package termsafetest checks terminal output for what a terminal would
// act on instead of showing, for the tests of every place where outside
// text is printed. It keeps its own list of such characters, independent
// of termsafe's, so that it checks termsafe rather than repeats it.
package termsafetest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Hostile are the strings the tests feed into every piece of outside text:
// clear the screen, set the window title, write the clipboard (OSC 52), a
// one-byte C1 CSI (U+009B) with an SGR after it, and a right-to-left
// override.
var Hostile = []string{"\x1b[2J", "\x1b]0;x\a", "\x1b]52;c;aGk=\a", "\u009b31m", "\u202e"}

// All is every hostile string in one, between letters so that a field
// that must not be empty (a component, a key) still reads as text.
var All = "a" + strings.Join(Hostile, "b") + "z"

// sgr is a Select Graphic Rendition sequence, what a styled renderer
// (lipgloss, chroma) writes for colours and attributes.
var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// Find describes the first thing in out a terminal would act on or that
// reorders text, "" when there is none. Line feeds are allowed; with
// allowSGR, so are SGR sequences (out is a styled frame). A hostile SGR is
// not told from the renderer's own: check unstyled output too.
func Find(out string, allowSGR bool) string {
	s := out
	if allowSGR {
		s = sgr.ReplaceAllString(out, "")
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return fmt.Sprintf("a byte that is not UTF-8 (%#x) in %s", s[i], around(s, i))
			}
		}
		if r != '\n' && bad(r) {
			return fmt.Sprintf("%U in %s", r, around(s, i))
		}
	}
	return ""
}

// bad: C0 controls, DEL, C1 controls, the bidirectional controls and the
// line and paragraph separators.
func bad(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e,
		r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// around is the text near byte i, cut at character boundaries.
func around(s string, i int) string {
	from, to := max(0, i-40), min(len(s), i+40)
	for from > 0 && !utf8.RuneStart(s[from]) {
		from--
	}
	for to < len(s) && !utf8.RuneStart(s[to]) {
		to++
	}
	return fmt.Sprintf("%q", s[from:to])
}
