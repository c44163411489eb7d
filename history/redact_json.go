package history

import (
	"bytes"
	"encoding/json"
)

// jsonValue is one value met by scanJSON. Redaction rewrites values only,
// so keys are not reported.
type jsonValue struct {
	kind       byte // '"' string, 'n' number, 'l' true/false/null, 'b' bare text, '{', '['
	start, end int  // byte range; a string's includes its quotes
	closed     bool // false when the body ends inside the value
	key        string
	inArray    bool // key is then the key of the array
	depth      int  // 0 for a top-level value, 1 for its members, ...
}

// scanJSON walks a JSON body, valid or not, calling visit for every value
// after its end is known (children before their container). It is lenient
// because raw mode sends cut-off and malformed JSON on purpose: a string cut
// off at the end is reported unclosed, a token that is not JSON is reported
// as bare text, and at anything it cannot read as structure it stops. It
// returns where it stopped; the rest of b is not JSON.
func scanJSON(b []byte, visit func(jsonValue)) int {
	s := jsonScan{b: b, visit: visit}
	i := skipSpaces(b, 0)
	if i < len(b) && b[i] != '{' && b[i] != '[' && json.Valid(b) { // a bare string or number
		end, _ := s.value(i, "", false, 0)
		return skipSpaces(b, end)
	}
	for i < len(b) && (b[i] == '{' || b[i] == '[') {
		next, ok := s.value(i, "", false, 0)
		if !ok {
			return next
		}
		i = skipSpaces(b, next)
	}
	return i
}

type jsonScan struct {
	b     []byte
	visit func(jsonValue)
}

// value scans the value at i; ok is false when scanning must stop at the
// returned index.
func (s *jsonScan) value(i int, key string, inArray bool, depth int) (int, bool) {
	b := s.b
	v := jsonValue{start: i, key: key, inArray: inArray, depth: depth, closed: true}
	if i >= len(b) {
		return i, false
	}
	var ok bool
	switch c := b[i]; {
	case c == '"':
		v.kind = '"'
		v.end, v.closed = stringEnd(b, i)
		ok = true
	case c == '{':
		v.kind = '{'
		v.end, v.closed, ok = s.object(i, depth)
	case c == '[':
		v.kind = '['
		v.end, v.closed, ok = s.array(i, key, depth)
	case c == '-' || isDigit(c):
		v.kind, v.end, ok = 'n', tokenEnd(b, i), true
	default:
		v.kind, v.end = 'b', tokenEnd(b, i)
		if t := string(b[i:v.end]); t == "true" || t == "false" || t == "null" {
			v.kind = 'l'
		}
		ok = v.end > i
	}
	if ok || !v.closed {
		s.visit(v)
	}
	return v.end, ok
}

func (s *jsonScan) object(i, depth int) (end int, closed, ok bool) {
	b := s.b
	i = skipSpaces(b, i+1)
	for i < len(b) && b[i] != '}' {
		if b[i] != '"' {
			return i, true, false
		}
		kend, kclosed := stringEnd(b, i)
		if !kclosed {
			return kend, false, false // a key cut off: nothing left to redact
		}
		key := decodeJSONKey(b[i:kend])
		i = skipSpaces(b, kend)
		if i >= len(b) || b[i] != ':' {
			return i, i >= len(b), false
		}
		var ok bool
		if i, ok = s.value(skipSpaces(b, i+1), key, false, depth+1); !ok {
			return i, i < len(b), false
		}
		if i = skipSpaces(b, i); i < len(b) && b[i] == ',' {
			i = skipSpaces(b, i+1)
		} else if i < len(b) && b[i] != '}' {
			return i, true, false
		}
	}
	if i >= len(b) {
		return i, false, false
	}
	return i + 1, true, true
}

func (s *jsonScan) array(i int, key string, depth int) (end int, closed, ok bool) {
	b := s.b
	i = skipSpaces(b, i+1)
	for i < len(b) && b[i] != ']' {
		var ok bool
		if i, ok = s.value(i, key, true, depth+1); !ok {
			return i, i < len(b), false
		}
		if i = skipSpaces(b, i); i < len(b) && b[i] == ',' {
			i = skipSpaces(b, i+1)
		} else if i < len(b) && b[i] != ']' {
			return i, true, false
		}
	}
	if i >= len(b) {
		return i, false, false
	}
	return i + 1, true, true
}

// stringEnd returns the index past the string literal at b[i]=='"', and
// whether it was closed before the end of b.
func stringEnd(b []byte, i int) (int, bool) {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return len(b), false
}

// tokenEnd returns the end of a number, literal or bare token: the next
// delimiter. A marker counts as one token even if its name holds one.
func tokenEnd(b []byte, i int) int {
	for i < len(b) {
		if b[i] == markerOpen[0] && bytes.HasPrefix(b[i:], []byte(markerOpen)) {
			if m, ok := findMarker(string(b[i:]), 0); ok {
				i += m.end
				continue
			}
		}
		switch b[i] {
		case ',', '}', ']', ':', '"', '{', '[', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

func skipSpaces(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// decodeJSONKey decodes a closed string literal the way encoding/json does.
func decodeJSONKey(quoted []byte) string {
	inner := quoted[1 : len(quoted)-1]
	if isPlainASCII(inner) {
		return string(inner)
	}
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return string(inner)
	}
	return s
}

// isPlainASCII: no escapes and no non-ASCII bytes, so no decoding needed.
func isPlainASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 || c == '\\' {
			return false
		}
	}
	return true
}

// looksLikeJSON: valid JSON and bodies starting with an object or array
// are scanned as JSON (valid or not); anything else is text.
func looksLikeJSON(b []byte) bool {
	i := skipSpaces(b, 0)
	return i < len(b) && (b[i] == '{' || b[i] == '[') || json.Valid(b)
}
