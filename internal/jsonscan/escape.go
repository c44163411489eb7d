package jsonscan

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// The inside of a string literal, read as encoding/json reads it, without
// its reflection: bodies are large, and redaction must know which raw
// bytes each decoded character came from.

// Escape decodes the escape at s[i] == '\\': the character it stands for
// and how many bytes it takes. A \u escape of a surrogate pair followed by
// its second half is one character (12 bytes); a lone surrogate is
// U+FFFD, as encoding/json decodes it. ok is false when s[i:] does not
// start with a whole escape.
func Escape[T string | []byte](s T, i int) (r rune, n int, ok bool) {
	if i+1 >= len(s) || s[i] != '\\' {
		return 0, 0, false
	}
	switch c := s[i+1]; c {
	case '"', '\\', '/':
		return rune(c), 2, true
	case 'b':
		return '\b', 2, true
	case 'f':
		return '\f', 2, true
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	case 'u':
		r, ok := hex4(s, i+2)
		if !ok {
			return 0, 0, false
		}
		if !utf16.IsSurrogate(r) {
			return r, 6, true
		}
		if r2, ok := hex4(s, i+8); ok && s[i+6] == '\\' && s[i+7] == 'u' {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return d, 12, true
			}
		}
		return utf8.RuneError, 6, true
	}
	return 0, 0, false
}

// hex4 reads the four hex digits at s[i].
func hex4[T string | []byte](s T, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for k := i; k < i+4; k++ {
		c := s[k]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// ValidEscapes reports whether the inside of a string literal holds only
// escapes that Escape reads.
func ValidEscapes(inner []byte) bool {
	for {
		k := bytes.IndexByte(inner, '\\')
		if k < 0 {
			return true
		}
		_, n, ok := Escape(inner, k)
		if !ok {
			return false
		}
		inner = inner[k+n:]
	}
}

// CheckedStringEnd is StringEnd and, in the same loop, ValidEscapes of the
// string's inside (valid is meaningful when closed): the bulk of a HAR is
// its bodies' text, read once.
func CheckedStringEnd(b []byte, i int) (end int, valid, closed bool) {
	valid = true
	for i++; i < len(b); i++ {
		i = nextQuoteOrBackslash(b, i)
		if i >= len(b) {
			break
		}
		if b[i] == '"' {
			return i + 1, valid, true
		}
		if i+1 >= len(b) {
			break
		}
		switch b[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			_, ok := hex4(b, i+2) // a quote is not hex: no escape reads past the string
			valid = valid && ok
		default:
			valid = false
		}
		i++ // past the escaped byte
	}
	return len(b), valid, false
}

// UnquoteBytes decodes a closed string literal (quotes included) as
// encoding/json decodes it: escapes read by Escape, invalid UTF-8 as
// U+FFFD. When its inside needs no decoding it is returned as it lies in
// quoted; otherwise it is decoded into buf's room (grown as needed). ok is
// false when an escape does not read. Unlike encoding/json it does not
// refuse control characters: it reads, it does not validate.
func UnquoteBytes(quoted, buf []byte) (text []byte, ok bool) {
	in := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in) {
		return in, true
	}
	out := slices.Grow(buf[:0], len(in))
	for len(in) > 0 {
		k := bytes.IndexByte(in, '\\')
		if k < 0 {
			k = len(in)
		}
		out = appendValidUTF8(out, in[:k])
		if in = in[k:]; len(in) == 0 {
			break
		}
		r, n, ok := Escape(in, 0)
		if !ok {
			return nil, false
		}
		out = utf8.AppendRune(out, r)
		in = in[n:]
	}
	return out, true
}

// appendValidUTF8 appends b, invalid UTF-8 replaced by U+FFFD as
// encoding/json does.
func appendValidUTF8(out, b []byte) []byte {
	if utf8.Valid(b) {
		return append(out, b...)
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// nextQuoteOrBackslash is the index of the first '"' or '\\' in b[i:], or
// len(b). It looks at 8 bytes at a time: the runs between quotes and
// escapes of JSON text are short for bytes.IndexByte, long for a loop over
// bytes.
func nextQuoteOrBackslash(b []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q, s := x^('"'*ones), x^('\\'*ones)
		// A zero byte of q or s is a quote or a backslash; the lowest
		// flagged byte is always a true one.
		if m := ((q-ones)&^q | (s-ones)&^s) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for i < len(b) && b[i] != '"' && b[i] != '\\' {
		i++
	}
	return i
}
