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
// first, so that a secret inside another is not half replaced.
func HideSecrets(text string, secrets map[string]string) string {
	return NewHider(secrets)(text)
}

// NewHider returns HideSecrets for one set of secrets, prepared once for
// many texts (a report's every line). A text that ends in "…" was cut
// short, maybe inside a secret: a tail before the "…" that begins a
// secret is hidden too, so that no first part of one survives the cut.
func NewHider(secrets map[string]string) func(string) string {
	type form struct{ text, marker string }
	var forms []form
	var touch []func(rune) bool
	for n, v := range secrets {
		if v == "" {
			continue
		}
		for _, f := range []string{v, jsonInner(v)} {
			if len(forms) == 0 || forms[len(forms)-1].text != f {
				forms = append(forms, form{f, Marker(n)})
				touch = append(touch, touches(v))
			}
		}
	}
	order := make([]int, len(forms))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := forms[order[i]], forms[order[j]]
		if len(a.text) != len(b.text) {
			return len(a.text) > len(b.text)
		}
		return a.marker < b.marker
	})
	return func(text string) string {
		for _, i := range order {
			if strings.Contains(text, forms[i].text) {
				text = replaceStandalone(text, forms[i].text, forms[i].marker, touch[i])
			}
		}
		body, cut := strings.CutSuffix(text, ellipsis)
		if !cut {
			return text
		}
		best, bestN := -1, 0
		for _, i := range order {
			if n := secretStartAtEnd(body, forms[i].text); n > bestN {
				best, bestN = i, n
			}
		}
		if best < 0 {
			return text
		}
		return body[:len(body)-bestN] + forms[best].marker + ellipsis
	}
}

// ellipsis is what a preview or a clip appends to a text it cut short.
const ellipsis = "…"

// secretStartAtEnd is the length of the longest tail of s that is the
// beginning (not the whole) of secret, or 0.
func secretStartAtEnd(s, secret string) int {
	for n := min(len(s), len(secret)-1); n > 0; n-- {
		if strings.HasSuffix(s, secret[:n]) {
			return n
		}
	}
	return 0
}

// jsonInner is s as encoding/json writes it inside a string (no HTML
// escaping, as the reports write it).
func jsonInner(s string) string {
	if !strings.ContainsAny(s, "\"\\\u2028\u2029") && !hasControl(s) {
		return s
	}
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

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 {
			return true
		}
	}
	return false
}
