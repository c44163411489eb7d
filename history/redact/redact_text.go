package redact

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinspect/akinspect/history/internal/jsonobj"
	"github.com/akinspect/akinspect/internal/jsonscan"
)

// codec is how a value is written where it sits: as plain text, as the
// inside of a JSON string literal, or query-escaped in a URL.
type codec byte

const (
	textCodec codec = iota
	jsonCodec
	queryCodec
)

// encode writes s the canonical way for c: encoding/json without HTML
// escaping, url.QueryEscape, or as it is.
func encode(s string, c codec) string {
	switch c {
	case jsonCodec:
		q := jsonobj.MarshalNoEscape(s)
		return string(q[1 : len(q)-1])
	case queryCodec:
		return url.QueryEscape(s)
	}
	return s
}

// decoded is a value's text with, for each decoded byte that starts an
// escape or a character, the offset of its raw form. Secrets are found in
// the text and replaced in the raw form, so everything around a secret
// keeps its bytes.
type decoded struct {
	text string
	raw  []int // nil: raw and text are the same bytes
}

// rawOf is the raw offset of text[k], or -1 when k is inside an escape.
func (d decoded) rawOf(k int) int {
	if d.raw == nil {
		return k
	}
	return d.raw[k]
}

func decode(raw string, c codec) decoded {
	switch {
	case c == jsonCodec && (strings.IndexByte(raw, '\\') >= 0 || !utf8.ValidString(raw)):
		return decodeUnits(raw, jsonUnit)
	case c == queryCodec && strings.ContainsAny(raw, "%+"):
		return decodeUnits(raw, queryUnit)
	}
	return decoded{text: raw}
}

// decodeUnits decodes raw one unit (escape or character) at a time.
func decodeUnits(raw string, unit func(string, int) (string, int)) decoded {
	var b strings.Builder
	offs := make([]int, 0, len(raw)+1)
	for i := 0; i < len(raw); {
		text, n := unit(raw, i)
		offs = append(offs, i)
		for range len(text) - 1 {
			offs = append(offs, -1)
		}
		b.WriteString(text)
		i += n
	}
	return decoded{text: b.String(), raw: append(offs, len(raw))}
}

// jsonUnit decodes one escape or character of a JSON string's inside as
// encoding/json does; what is not JSON (a cut-off escape) stays as it is.
func jsonUnit(raw string, i int) (string, int) {
	if r, n, ok := jsonscan.Escape(raw, i); ok {
		return string(r), n
	}
	if c := raw[i]; c < utf8.RuneSelf {
		return raw[i : i+1], 1
	}
	r, n := utf8.DecodeRuneInString(raw[i:])
	if r == utf8.RuneError && n == 1 {
		return string(utf8.RuneError), 1
	}
	return raw[i : i+n], n
}

// queryUnit decodes one %XX or + of a query value.
func queryUnit(raw string, i int) (string, int) {
	switch raw[i] {
	case '+':
		return " ", 1
	case '%':
		if v, err := strconv.ParseUint(raw[i+1:min(i+3, len(raw))], 16, 8); err == nil && i+3 <= len(raw) {
			return string([]byte{byte(v)}), 3
		}
	}
	return raw[i : i+1], 1
}

// secretSet is what the pure redaction replaces: values, longest first,
// and the marker name of each.
type secretSet struct {
	values []string
	names  map[string]string
}

// textSpan is a part of a decoded text that is off limits: a marker that was
// there already (name "") or one being written for a secret.
type textSpan struct {
	start, end int
	name       string
}

// rewrite replaces every secret in a value outside markers. raw is the
// value as written with c; the result is too.
func (s secretSet) rewrite(raw string, c codec) (string, int) {
	if raw == "" || !s.anyIn(raw, c) {
		return raw, 0
	}
	d := decode(raw, c)
	var blocked []textSpan
	for _, m := range markerSpans(d.text) {
		blocked = append(blocked, textSpan{start: m.start, end: m.end})
	}
	found := 0
	for _, v := range s.values {
		if !strings.Contains(d.text, v) {
			continue
		}
		var add []textSpan
		forGaps(blocked, len(d.text), func(gs, ge int) {
			for _, at := range boundedMatches(d.text[gs:ge], v, func(k int) bool { return d.rawOf(gs+k) >= 0 }) {
				add = append(add, textSpan{gs + at, gs + at + len(v), s.names[v]})
			}
		})
		if len(add) > 0 {
			found += len(add)
			blocked = append(blocked, add...)
			sort.Slice(blocked, func(i, j int) bool { return blocked[i].start < blocked[j].start })
		}
	}
	if found == 0 {
		return raw, 0
	}
	var b strings.Builder
	last := 0
	for _, sp := range blocked {
		if sp.name == "" {
			continue
		}
		b.WriteString(raw[last:d.rawOf(sp.start)])
		b.WriteString(encode(Marker(sp.name), c))
		last = d.rawOf(sp.end)
	}
	b.WriteString(raw[last:])
	return b.String(), found
}

// anyIn is a quick test: can raw hold a secret at all? Decoding is only
// needed for escapes.
func (s secretSet) anyIn(raw string, c codec) bool {
	if c != textCodec && strings.ContainsAny(raw, `\%+`) || !utf8.ValidString(raw) {
		return true
	}
	for _, v := range s.values {
		if strings.Contains(raw, v) {
			return true
		}
	}
	return false
}

// forGaps calls f for each stretch of [0,n) outside the sorted spans.
func forGaps(spans []textSpan, n int, f func(start, end int)) {
	at := 0
	for _, sp := range spans {
		if sp.start > at {
			f(at, sp.start)
		}
		at = sp.end
	}
	if at < n {
		f(at, n)
	}
}

// boundedMatches finds old in s left to right without overlaps, where
// aligned allows the start and end. A value made only of digits (a TOTP
// code) matches only where it is not part of a longer number, so
// timestamps and IDs survive; the ends of s count as non-digits.
func boundedMatches(s, old string, aligned func(int) bool) []int {
	var out []int
	digits := allDigits(old)
	for from := 0; from+len(old) <= len(s); {
		i := strings.Index(s[from:], old)
		if i < 0 {
			break
		}
		i += from
		end := i + len(old)
		if (digits && ((i > 0 && isDigit(s[i-1])) || (end < len(s) && isDigit(s[end])))) ||
			(aligned != nil && (!aligned(i) || !aligned(end))) {
			from = i + 1
			continue
		}
		out = append(out, i)
		from = end
	}
	return out
}

// restoreText puts secrets back into a value: every marker whose name has a
// value in secrets becomes that value, written with c. Markers of other
// names stay.
func restoreText(raw string, c codec, secrets map[string]string) string {
	if !strings.Contains(raw, "redacted") {
		return raw
	}
	d := decode(raw, c)
	var b strings.Builder
	last := 0
	for _, m := range markerSpans(d.text) {
		v, ok := secrets[m.name]
		start, end := d.rawOf(m.start), d.rawOf(m.end)
		if !ok || start < 0 || end < 0 {
			continue
		}
		if m.escaped {
			v = url.QueryEscape(v)
		}
		b.WriteString(raw[last:start])
		b.WriteString(encode(v, c))
		last = end
	}
	if last == 0 && b.Len() == 0 {
		return raw
	}
	b.WriteString(raw[last:])
	return b.String()
}
