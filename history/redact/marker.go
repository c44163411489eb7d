package redact

import (
	"net/url"
	"strings"
)

// A redacted value is replaced by a marker string that names which secret it
// was, so that replay can ask for it again:
//
//	«redacted:password»        a string secret
//	«redacted:code|number»     a secret that was a JSON number (old TOTP codes)
//	«redacted:password#2»      a second, different value under the same name
//	«redacted:cookie:authentik_session»
//
// A name is never empty and holds neither « nor », so markers cannot nest
// or overlap and every marker in a text is found the same way whatever
// surrounds it. In a URL query the marker is query-escaped
// (%C2%ABredacted%3A…%C2%BB); that spelling is a marker too.
const (
	markerOpen     = "«redacted:"
	markerClose    = "»"
	markerEscOpen  = "%C2%ABredacted%3A"
	markerEscClose = "%C2%BB"
	numberSuffix   = "|number"
)

// Marker is the placeholder written instead of the secret called name.
func Marker(name string) string { return markerOpen + name + markerClose }

func numberMarker(name string) string { return Marker(name + numberSuffix) }

// ParseMarker reports whether s is a whole marker and which secret it names.
// number is true when the secret was a JSON number.
func ParseMarker(s string) (name string, number bool, ok bool) {
	m, ok := findMarker(s, 0)
	if !ok || m.end != len(s) || m.escaped {
		return "", false, false
	}
	return m.name, m.number, true
}

// markerSpan is one marker found in a text.
type markerSpan struct {
	start, end int
	name       string // without the number suffix
	number     bool
	escaped    bool // query-escaped spelling
}

// findMarker reports whether a marker starts at s[i].
func findMarker(s string, i int) (markerSpan, bool) {
	rest := s[i:]
	open, closing, escaped := markerOpen, markerClose, false
	if strings.HasPrefix(rest, markerEscOpen) {
		open, closing, escaped = markerEscOpen, markerEscClose, true
	} else if !strings.HasPrefix(rest, markerOpen) {
		return markerSpan{}, false
	}
	k := strings.Index(rest[len(open):], closing)
	if k <= 0 {
		return markerSpan{}, false
	}
	name := rest[len(open) : len(open)+k]
	if escaped {
		var err error
		if name, err = url.QueryUnescape(name); err != nil {
			return markerSpan{}, false
		}
	}
	if name == "" || strings.ContainsAny(name, "«»") {
		return markerSpan{}, false
	}
	m := markerSpan{start: i, end: i + len(open) + k + len(closing), name: name, escaped: escaped}
	if n, ok := strings.CutSuffix(name, numberSuffix); ok && n != "" {
		m.name, m.number = n, true
	}
	return m, true
}

// markerSpans lists the markers of s in order. They never overlap.
func markerSpans(s string) []markerSpan {
	if !strings.Contains(s, "redacted") {
		return nil
	}
	var out []markerSpan
	for i := 0; i < len(s); i++ {
		if s[i] != markerOpen[0] && s[i] != '%' {
			continue
		}
		if m, ok := findMarker(s, i); ok {
			out = append(out, m)
			i = m.end - 1
		}
	}
	return out
}

// markerBase makes a key or cookie name usable as a marker name: « and »
// would end the marker, | and # would read as the number and "#2" suffixes.
func markerBase(base string) string {
	if base == "" {
		return "value"
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '«', '»', '|', '#':
			return '_'
		}
		return r
	}, base)
}

// ContainsMarker reports whether s holds a marker, whole or inside a
// longer text.
func ContainsMarker(s string) bool { return strings.Contains(s, markerOpen) }

// MarkerNames lists the names of the markers in s, in order.
func MarkerNames(s string) []string {
	var names []string
	for _, m := range markerSpans(s) {
		names = append(names, m.name)
	}
	return names
}

// BaseName drops the "#2" that tells apart several values of one secret.
func BaseName(name string) string {
	if i := strings.LastIndexByte(name, '#'); i > 0 {
		return name[:i]
	}
	return name
}
