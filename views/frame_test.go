package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestCellWidthAgreesWithAnsi(t *testing.T) {
	for _, s := range []string{
		"", "plain", "\x1b[38;2;1;2;3mcolour\x1b[0m", "› 12 POST 302 ↪⟳ …", "│╭─ title ─╮│",
		"日本語", "e\u0301", "👩‍💻 dev", "\x1b]8;;http://x\x07link\x1b]8;;\x07", "tab\there", "✅ wide", "a\x1b[1mb",
	} {
		for r := range narrowRunes {
			if w := ansi.StringWidth(string(r)); w != 1 {
				t.Fatalf("%q is %d cells wide, not narrow", r, w)
			}
		}
		if got, want := cellWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("cellWidth(%q) = %d, ansi says %d", s, got, want)
		}
	}
}

func FuzzCellWidth(f *testing.F) {
	f.Add("› 12 \x1b[31mPOST\x1b[0m ↪")
	f.Add("日本\x1b[1m語")
	f.Add("\x1b[ 0A") // a parameter byte after an intermediate one (issue 8)
	f.Add("\x1b[?25h\x1b[0 q\x1b[!p")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cellWidth(s), ansi.StringWidth(s); got != want {
			t.Fatalf("cellWidth(%q) = %d, ansi says %d", s, got, want)
		}
	})
}

func FuzzHardwrap(f *testing.F) {
	f.Add("균", 1) // wider than the column (issue 8: FuzzDetailsView)
	f.Add("\x1b[31m日本語\x1b[0m text", 3)
	f.Add("plain words here", 4)
	f.Fuzz(func(t *testing.T, s string, w int) {
		w = 1 + int(uint(w)%40)
		s = strings.ReplaceAll(s, "\n", " ")
		lines := hardwrap(s, w)
		if n := len(strings.Split(ansi.Hardwrap(s, w, true), "\n")); len(lines) != n {
			t.Fatalf("%d lines, ansi.Hardwrap gives %d", len(lines), n)
		}
		for _, l := range lines {
			if cw := ansi.StringWidth(l); cw > w {
				t.Fatalf("hardwrap(%q, %d): %q is %d cells wide", s, w, l, cw)
			}
		}
	})
}
