package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Hostile are the strings every boundary test feeds into outside text:
// clear screen, set the window title, write the clipboard (OSC 52), a
// one-byte C1 CSI, and a right-to-left override.
var hostile = []string{"\x1b[2J", "\x1b]0;x\a", "\x1b]52;c;aGk=\a", "\u009b31m", "\u202e"}

func TestLineAndString(t *testing.T) {
	for _, c := range []struct{ in, line, str string }{
		{"", "", ""},
		{"plain text", "plain text", "plain text"},
		{"grüße 日本 🙂", "grüße 日本 🙂", "grüße 日本 🙂"},
		{"\x1b[2J", "␛[2J", "␛[2J"},
		{"\x1b]0;x\a", "␛]0;x␇", "␛]0;x␇"},
		{"\x1b]52;c;aGk=\a", "␛]52;c;aGk=␇", "␛]52;c;aGk=␇"},
		{"\u009b31m", "�31m", "�31m"},
		{"a\u202eb", "a�b", "a�b"},
		{"\x00\x7f", "␀␡", "␀␡"},
		{"a\nb", "a␊b", "a\nb"},
		{"a\r\nb", "a␍␊b", "a\nb"},
		{"a\rb", "a␍b", "a␍b"},
		{"a\tb", "a␉b", "a    b"},
		{"\xff\xfe", "��", "��"},
		{"\u200e\u200f\u061c\u2066\u2069\u2028\u2029", "�������", "�������"},
		{"\u00a0\u00e9", "\u00a0\u00e9", "\u00a0\u00e9"}, // first characters after C1 stay
	} {
		if got := Line(c.in); got != c.line {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
		}
		if got := String(c.in); got != c.str {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.str)
		}
	}
}

func TestEveryReplacementIsOneCell(t *testing.T) {
	var in []string
	for c := 0; c < 0x20; c++ {
		in = append(in, string(rune(c)))
	}
	in = append(in, "\x7f", "\xff")
	for r := rune(0x80); r <= 0x9f; r++ {
		in = append(in, string(r))
	}
	for _, r := range []rune{0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029} {
		in = append(in, string(r))
	}
	for _, s := range in {
		out := Line(s)
		if out == s || utf8.RuneCountInString(out) != 1 || ansi.StringWidth(out) != 1 {
			t.Errorf("Line(%q) = %q: want one visible character one cell wide (width %d)", s, out, ansi.StringWidth(out))
		}
	}
}

func TestCleanTextIsNotCopied(t *testing.T) {
	for _, s := range []string{"GET  200 identification  1ms", "grüße 日本 🙂 → ✓", "two\nlines"} {
		if n := testing.AllocsPerRun(100, func() { _ = String(s) }); n != 0 {
			t.Errorf("String(%q) allocated %v times", s, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = Line("grüße → ✓") }); n != 0 {
		t.Errorf("Line allocated %v times", n)
	}
}

// checkSafe fails when out holds anything a terminal would act on; line
// feeds are allowed when multiLine.
func checkSafe(t *testing.T, in, out string, multiLine bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%q: output %q is not UTF-8", in, out)
	}
	for _, r := range out {
		if r == '\n' && multiLine {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || unsafeRune(r) {
			t.Fatalf("%q: output %q keeps %U", in, out, r)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, h := range hostile {
		f.Add(h)
		f.Add("label " + h + " end\r\n\tnext")
	}
	f.Add("\xe2\x80") // a cut bidi control
	f.Add("\xc2")     // a cut C1 control
	f.Fuzz(func(t *testing.T, s string) {
		line, str := Line(s), String(s)
		checkSafe(t, s, line, false)
		checkSafe(t, s, str, true)
		// One character for each of the input's (a bad byte counts one),
		// so widths stay countable.
		if got, want := utf8.RuneCountInString(line), len([]rune(s)); got != want {
			t.Fatalf("Line(%q) has %d characters, want %d", s, got, want)
		}
		if Line(line) != line || String(str) != str {
			t.Fatalf("not idempotent on %q", s)
		}
		if !strings.ContainsAny(s, "\t\r") && strings.ReplaceAll(line, "␊", "\n") != strings.ReplaceAll(str, "␊", "\n") {
			t.Fatalf("Line and String differ beyond line feeds on %q: %q vs %q", s, line, str)
		}
	})
}
