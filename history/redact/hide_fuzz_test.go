package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzHideSecrets: for any text and any secret of minScrubLen or more
// bytes that is not all digits, the hidden text holds the secret nowhere
// outside markers, neither as written nor JSON-escaped, and hiding again
// changes nothing (idempotent). A text without the secret's first byte
// comes back unchanged.
func FuzzHideSecrets(f *testing.F) {
	f.Add("wrong: hunter22 for alice", "hunter22")
	f.Add(`{"echo":"pa\"ss-word"}`, `pa"ss-word`)
	f.Add("the body: correct-h…", "correct-horse")
	f.Add("«redacted:password» hunter22hunter22", "hunter22")
	f.Fuzz(func(t *testing.T, text, secret string) {
		if len(secret) < minScrubLen || allDigits(secret) || !utf8.ValidString(secret) ||
			!utf8.ValidString(text) || strings.Contains(secret, "«") || strings.Contains(secret, "»") || len(text) > 4096 {
			return
		}
		hide := NewHider(map[string]string{"password": secret})
		out := hide(text)
		for _, piece := range outsideMarkers(out) {
			for _, form := range []string{secret, jsonInner(secret)} {
				if strings.Contains(piece, form) {
					t.Fatalf("%q stays in %q (from %q)", form, out, text)
				}
			}
		}
		if again := hide(out); again != out {
			t.Fatalf("hiding twice changed the text:\nonce  %q\ntwice %q", out, again)
		}
		if !strings.Contains(text, secret[:1]) && !strings.Contains(text, jsonInner(secret)[:1]) && out != text {
			t.Fatalf("a text without the secret changed: %q → %q", text, out)
		}
	})
}
