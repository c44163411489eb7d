// Package termqr draws a QR code with text characters, so that a phone can
// scan it from a terminal: an otpauth:// URI of a TOTP setup stage, say.
//
// Two modules are drawn per character cell with the half blocks ▀ ▄ █ and
// a space. The blocks are the light modules: shown as a light foreground
// on a dark background (the views force those colours; without colour a
// terminal is light-on-dark by default), the code scans the right way
// round. The quiet zone around the code is kept, because scanners need it.
package termqr

import (
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// Render returns the QR code of text as lines of half blocks (medium error
// correction, as authenticator apps expect), or an error when text is too
// long for a QR code.
func Render(text string) (string, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap() // true for a dark module, quiet zone included
	var b strings.Builder
	for y := 0; y < len(bits); y += 2 {
		for x := range bits[y] {
			top := !bits[y][x]
			bottom := y+1 < len(bits) && !bits[y+1][x]
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}
