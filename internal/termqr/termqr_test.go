package termqr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRenderDrawsAScannableCode(t *testing.T) {
	uri := "otpauth://totp/authentik:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=authentik&algorithm=SHA1&digits=6&period=30"
	out, err := Render(uri)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	width := utf8.RuneCountInString(lines[0])
	for i, l := range lines {
		if utf8.RuneCountInString(l) != width {
			t.Fatalf("line %d is %d cells, line 0 is %d: not a square grid", i, utf8.RuneCountInString(l), width)
		}
	}
	if height := len(lines); height != (width+1)/2 {
		t.Errorf("%d lines for %d modules across: two modules per line expected", height, width)
	}
	if lines[0] != strings.Repeat("█", width) {
		t.Errorf("the first line is not the light quiet zone: %q", lines[0])
	}
	// Modules 4 and 5 down: the top of the finder pattern (dark 4…10), and
	// below it its dark sides around a light inside.
	if got := string([]rune(lines[2])[4:11]); got != " ▄▄▄▄▄ " {
		t.Errorf("no finder pattern at the top left: %q", got)
	}
}

func TestRenderRefusesWhatAQRCodeCannotHold(t *testing.T) {
	if _, err := Render(strings.Repeat("x", 5000)); err == nil {
		t.Error("5000 bytes do not fit in a QR code; want an error")
	}
}
