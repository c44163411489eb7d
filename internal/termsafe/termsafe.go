// Package termsafe makes text from outside the program (a server's
// answers, a recording or HAR file, a URL) safe to print on a terminal.
//
// A terminal acts on some characters instead of showing them: the C0
// controls (ESC starts the sequences that clear the screen, set the window
// title or write the clipboard), DEL, the C1 controls U+0080–U+009F
// (U+009B is a one-byte CSI on some terminals) and the bidirectional
// controls, which reorder the text after them. String and Line replace
// each of them with one visible character one cell wide, so that a reader
// sees something was there and text measures the same before styling as
// it shows:
//
//   - a C0 control becomes its Control Picture, U+2400 plus its code
//     (␛ for ESC, ␀ for NUL, ␍ for CR), and DEL becomes ␡ (U+2421);
//   - a C1 control, a bidirectional control (U+061C, U+200E, U+200F,
//     U+202A–U+202E, U+2066–U+2069), the line and paragraph separators
//     U+2028 and U+2029, and every byte that is not UTF-8 become U+FFFD �.
//
// Everything else, including every printable character of any script, is
// kept. Text that needs no change is returned as it is, without copying.
//
// Apply it where outside text becomes terminal output, before styling:
// the styles' own escape sequences must not pass through it.
package termsafe

import (
	"strings"
	"unicode/utf8"
)

// String makes multi-line text safe to print. It keeps line feeds, drops a
// carriage return that ends a line ("\r\n" becomes "\n") and turns a tab
// into four spaces, since a terminal's tab stops are not counted by width
// math; every other character a terminal would act on becomes visible as
// the package describes.
func String(s string) string { return clean(s, true) }

// Line makes text safe to print on one line: like String, but line feeds,
// carriage returns and tabs become visible too (␊, ␍, ␉), so that outside
// text can neither break a line nor move the cursor back over it.
func Line(s string) string { return clean(s, false) }

// Replacement characters.
const (
	controlPictures = 0x2400 // U+2400 + c for a C0 control c
	symbolDEL       = '\u2421'
	replacement     = '\uFFFD'
)

func clean(s string, multiLine bool) string {
	i := firstUnsafe(s, multiLine)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 0x20 && c != 0x7f:
				b.WriteByte(c)
			case multiLine && c == '\n':
				b.WriteByte('\n')
			case multiLine && c == '\t':
				b.WriteString("    ")
			case multiLine && c == '\r' && i < len(s) && s[i] == '\n':
				// "\r\n": the line feed that follows ends the line.
			case c == 0x7f:
				b.WriteRune(symbolDEL)
			default:
				b.WriteRune(rune(controlPictures + int(c)))
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || unsafeRune(r) {
			b.WriteRune(replacement)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// firstUnsafe is the byte offset of the first character that needs a
// change, len(s) when there is none.
func firstUnsafe(s string, multiLine bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 || c == 0x7f) && !(multiLine && c == '\n') {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || unsafeRune(r) {
			return i
		}
		i += n
	}
	return len(s)
}

// unsafeRune reports whether a non-ASCII rune is one a terminal acts on
// (C1 controls) or that reorders or breaks the text around it.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r == 0x061c, // ARABIC LETTER MARK
		r == 0x200e, r == 0x200f, // LRM, RLM
		r >= 0x202a && r <= 0x202e, // LRE, RLE, PDF, LRO, RLO
		r >= 0x2066 && r <= 0x2069, // LRI, RLI, FSI, PDI
		r == 0x2028, r == 0x2029:   // LINE and PARAGRAPH SEPARATOR
		return true
	}
	return false
}
