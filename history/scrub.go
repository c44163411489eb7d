package history

import (
	"bytes"
	"strings"
)

// minScrubLen is the shortest secret replaced wherever it appears. Shorter
// values are only replaced where they are known to sit (an answer key, a
// cookie), because replacing "abc" everywhere would mangle unrelated text.
const minScrubLen = 6

// replaceAllBounded replaces every occurrence of old in s. A value made only
// of digits (a TOTP code) is replaced only where it is not part of a longer
// number, so timestamps and IDs survive.
func replaceAllBounded(s, old, repl string) (string, int) {
	if !allDigits(old) {
		n := strings.Count(s, old)
		if n == 0 {
			return s, 0
		}
		return strings.ReplaceAll(s, old, repl), n
	}
	var b strings.Builder
	n, from := 0, 0
	for {
		i := strings.Index(s[from:], old)
		if i < 0 {
			break
		}
		i += from
		end := i + len(old)
		if (i > 0 && isDigit(s[i-1])) || (end < len(s) && isDigit(s[end])) {
			b.WriteString(s[from : i+1])
			from = i + 1
			continue
		}
		b.WriteString(s[from:i])
		b.WriteString(repl)
		from = end
		n++
	}
	if n == 0 {
		return s, 0
	}
	b.WriteString(s[from:])
	return b.String(), n
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scrubJSONStrings applies replace to the inside of every string literal of
// a JSON document and leaves numbers, keys' structure and punctuation alone,
// so the result is still valid JSON. Keys are strings too and get scrubbed,
// which is what we want for a secret used as a key.
func scrubJSONStrings(b []byte, replace func(string) (string, int)) ([]byte, int) {
	var out bytes.Buffer
	total, last := 0, 0
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(b) && b[j] != '"' {
			if b[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(b) {
			break
		}
		inner, n := replace(string(b[i+1 : j]))
		if n > 0 {
			out.Write(b[last : i+1])
			out.WriteString(inner)
			last = j
			total += n
		}
		i = j
	}
	if total == 0 {
		return b, 0
	}
	out.Write(b[last:])
	return out.Bytes(), total
}
