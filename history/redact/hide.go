package redact

import (
	"encoding/json"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// HideSecrets replaces every secret value (marker name → value) in free
// text — a report line, a difference shown to a person — with its marker.
// The text is not a value position of an exchange: it may quote JSON, so a
// value is found as written and as it sits inside a JSON string. A value
// of minScrubLen or more bytes is replaced wherever it is, except that a
// value of digits (a TOTP code) is never part of a longer number; a
// shorter one only where no letter or digit touches it. Longer values go
// first, so that a secret inside another is
// not half replaced.
func HideSecrets(text string, secrets map[string]string) string {
	names := make([]string, 0, len(secrets))
	for n, v := range secrets {
		if v != "" {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if a, b := len(secrets[names[i]]), len(secrets[names[j]]); a != b {
			return a > b
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		v := secrets[n]
		for _, form := range []string{v, jsonInner(v)} {
			if strings.Contains(text, form) {
				text = replaceStandalone(text, form, Marker(n), touches(v))
			}
		}
	}
	return text
}

// jsonInner is s as encoding/json writes it inside a string (no HTML
// escaping, as the reports write it).
func jsonInner(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// touches says which neighbours keep a secret from matching: digits for a
// number, letters and digits for a short value, none otherwise.
func touches(v string) func(rune) bool {
	switch {
	case allDigits(v):
		return unicode.IsDigit
	case len(v) < minScrubLen:
		return func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	}
	return nil
}

// replaceStandalone replaces old in s with repl, except where a rune
// before or after it is one that touches.
func replaceStandalone(s, old, repl string, touches func(rune) bool) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			break
		}
		end := i + len(old)
		if touches != nil && (touchesBefore(s[:i], touches) || touchesAfter(s[end:], touches)) {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

func touchesBefore(s string, touches func(rune) bool) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && touches(r)
}

func touchesAfter(s string, touches func(rune) bool) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && touches(r)
}
