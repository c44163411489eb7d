package har

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/akinspect/akinspect/history"
)

// Bodies, the bulk of a HAR, are looked at for a timeline row without
// being kept: a response body for a challenge's component, bodies in
// base64 for whether they decode. A body is unescaped only when it may be
// a challenge (its text starts with '{') or must be decoded; otherwise
// its escapes are only checked, as unescaping would check them.

// checkText reads response.content.text as written: a string whose
// escapes unescape, or null (nil).
func checkText(v []byte) ([]byte, error) {
	if string(v) == "null" {
		return nil, nil
	}
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' || !validEscapes(v[1:len(v)-1]) {
		return nil, errShape
	}
	return v, nil
}

// body is the response body of an entry as far as its row needs it: the
// text decoded from base64, or unescaped when it may be a challenge, or
// nil.
func (sc *entryScanner) body(w *entryWalk) ([]byte, error) {
	if w.text == nil {
		return nil, nil
	}
	if w.bodyEnc != history.EncodingBase64 {
		if firstNonSpace(w.text[1:len(w.text)-1]) != '{' {
			return nil, nil // not an object: not a challenge
		}
		return sc.unquote(w.text)
	}
	t, err := sc.unquote(w.text)
	if err != nil || len(t) == 0 {
		return nil, err
	}
	dec, err := sc.decode(t)
	if err != nil {
		return nil, fmt.Errorf("response.content.text: bad base64 (%v)", err)
	}
	return dec, nil
}

// checkPostData checks that a request body in base64 decodes.
func (sc *entryScanner) checkPostData(b []byte, at int) (int, error) {
	if at < len(b) && b[at] != '{' {
		v, end, err := value(b, at)
		if err == nil && string(v) != "null" {
			err = errShape
		}
		return end, err
	}
	var text []byte
	enc := ""
	end, err := members(b, at, postDataKeys, func(key string, at int) (int, error) {
		v, end, err := value(b, at)
		if err != nil {
			return end, err
		}
		if key == "text" {
			text = v
		} else {
			enc, err = sc.str(v)
		}
		return end, err
	})
	if err != nil || enc != history.EncodingBase64 || text == nil {
		return end, err
	}
	t, err := sc.unquote(text)
	if err != nil {
		return end, err
	}
	if _, err := sc.decode(t); err != nil && len(t) > 0 {
		return end, errShape
	}
	return end, nil
}

// decode decodes base64 into the scanner's buffer.
func (sc *entryScanner) decode(t []byte) ([]byte, error) {
	n := base64.StdEncoding.DecodedLen(len(t))
	if cap(sc.dec) < n {
		sc.dec = make([]byte, n)
	}
	m, err := base64.StdEncoding.Decode(sc.dec[:n], t)
	return sc.dec[:m], err
}

// unquote is unquoteFast into the scanner's buffer.
func (sc *entryScanner) unquote(v []byte) ([]byte, error) {
	sc.text = slices.Grow(sc.text[:0], len(v)) // room enough: out is never v's
	return appendUnquoted(sc.text, v)
}

// textEnd is stringEnd for the string at b[at] and, in the same loop,
// validEscapes of its inside: the bulk of a HAR is its bodies' text.
func textEnd(b []byte, at int) (end int, valid, ok bool) {
	valid = true
	for i := at + 1; i < len(b); i++ {
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
			_, ok := hex4(b[i+2:]) // a quote is not hex: no escape reads past the string
			valid = valid && ok
		default:
			valid = false
		}
		i++ // past the escaped byte
	}
	return len(b), valid, false
}

// nextQuoteOrBackslash is the index of the first '"' or '\\' in b[i:], or
// len(b). It looks at 8 bytes at a time: the runs between quotes and
// escapes of a HAR are short for bytes.IndexByte, long for a loop over
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

// validEscapes: the inside of a string has only escapes that
// appendUnquoted reads.
func validEscapes(in []byte) bool {
	for {
		k := bytes.IndexByte(in, '\\')
		if k < 0 {
			return true
		}
		in = in[k:]
		if len(in) < 2 {
			return false
		}
		switch in[1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			in = in[2:]
		case 'u':
			if _, ok := hex4(in[2:]); !ok {
				return false
			}
			in = in[6:]
		default:
			return false
		}
	}
}

// firstNonSpace is the first byte of the unescaped inside of a string
// that is not JSON white space when it is ASCII, or 0.
func firstNonSpace(in []byte) byte {
	for i := 0; i < len(in); {
		c := in[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
			continue
		case c != '\\':
			return c
		case i+1 >= len(in):
			return 0
		}
		switch in[i+1] {
		case 'n', 'r', 't':
			i += 2
			continue
		case 'u':
			r, ok := hex4(in[i+2:])
			if ok && (r == ' ' || r == '\n' || r == '\r' || r == '\t') {
				i += 6
				continue
			}
			if ok && r < utf8.RuneSelf {
				return byte(r)
			}
			return 0
		case '"', '\\', '/':
			return in[i+1]
		}
		return 0
	}
	return 0
}

// unquoteFast decodes a JSON value that must be a string (or null) as
// encoding/json does, without its reflection: bodies are large.
func unquoteFast(v []byte) ([]byte, error) {
	return appendUnquoted(nil, v)
}

// appendUnquoted is unquoteFast appending to out; a string without escapes
// is returned as it lies in v.
func appendUnquoted(out, v []byte) ([]byte, error) {
	v = bytes.TrimSpace(v)
	if bytes.Equal(v, []byte("null")) {
		return nil, nil
	}
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return nil, errShape
	}
	in := v[1 : len(v)-1]
	if bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in) {
		return in, nil
	}
	out = slices.Grow(out[:0], len(in))
	for len(in) > 0 {
		k := bytes.IndexByte(in, '\\')
		if k < 0 {
			k = len(in)
		}
		out = appendValidUTF8(out, in[:k])
		in = in[k:]
		if len(in) == 0 {
			break
		}
		if len(in) < 2 {
			return nil, errShape
		}
		switch c := in[1]; c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(in[2:])
			if !ok {
				return nil, errShape
			}
			in = in[6:]
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(in[min(2, len(in)):]); ok && len(in) >= 6 && in[0] == '\\' && in[1] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						in = in[6:]
						out = utf8.AppendRune(out, d)
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return nil, errShape
		}
		in = in[2:]
	}
	return out, nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
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
