package flow

import (
	"encoding/json"
	"errors"
)

// topLevelFields splits a valid JSON object into its top-level keys and
// raw values without copying: every value is a slice of obj. It is the hot
// path of every recorded exchange, and encoding/json's map decoding costs
// several times more (reflection and a copy of every value).
// obj must be valid JSON (json.Valid) starting with '{'.
func topLevelFields(obj []byte) (map[string]json.RawMessage, error) {
	fields := make(map[string]json.RawMessage, 16)
	i := skipSpace(obj, 1)
	if i < len(obj) && obj[i] == '}' {
		return fields, nil
	}
	for i < len(obj) {
		if obj[i] != '"' {
			return nil, errNotObject
		}
		end := skipString(obj, i)
		key, err := decodeKey(obj[i:end])
		if err != nil {
			return nil, err
		}
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ':' {
			return nil, errNotObject
		}
		i = skipSpace(obj, i+1)
		start := i
		i = skipValue(obj, i)
		fields[key] = obj[start:i:i]
		i = skipSpace(obj, i)
		if i < len(obj) && obj[i] == ',' {
			i = skipSpace(obj, i+1)
			continue
		}
		if i < len(obj) && obj[i] == '}' {
			return fields, nil
		}
		return nil, errNotObject
	}
	return nil, errNotObject
}

var errNotObject = errors.New("not a JSON object")

func decodeKey(quoted []byte) (string, error) {
	for _, c := range quoted[1 : len(quoted)-1] {
		// Escapes and non-ASCII (invalid UTF-8 becomes U+FFFD) take the
		// slow path, so keys match encoding/json exactly.
		if c == '\\' || c >= 0x80 {
			var s string
			err := json.Unmarshal(quoted, &s)
			return s, err
		}
	}
	return string(quoted[1 : len(quoted)-1]), nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i]=='"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index just past the value starting at b[i]. The
// input is known to be valid, so only nesting and strings need care.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i = skipString(b, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		case ' ', '\n', '\r', '\t':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
}
