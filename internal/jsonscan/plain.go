package jsonscan

import (
	"bytes"
	"unicode/utf8"
)

// PlainString is the text of a string literal that needs no decoding: v
// starts and ends with a quote and between them holds no escape and only
// valid UTF-8, so its inside is what encoding/json decodes the literal to
// (invalid UTF-8 would become U+FFFD). text shares v's bytes. v is a
// literal as StringEnd ends it; control bytes, which make it invalid JSON,
// are the caller's to reject. Readers use it to skip making a string.
func PlainString(v []byte) (text []byte, ok bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return nil, false
	}
	inner := v[1 : len(v)-1]
	if bytes.IndexByte(inner, '\\') >= 0 || !utf8.Valid(inner) {
		return nil, false
	}
	return inner, true
}
