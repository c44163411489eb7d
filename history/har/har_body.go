package har

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/jsonscan"
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
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' || !jsonscan.ValidEscapes(v[1:len(v)-1]) {
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

// firstNonSpace is the first byte of the unescaped inside of a string
// that is not JSON white space when it is ASCII, or 0.
func firstNonSpace(in []byte) byte {
	for i := 0; i < len(in); {
		c := in[i]
		if c == '\\' {
			r, n, ok := jsonscan.Escape(in, i)
			if !ok || r >= utf8.RuneSelf {
				return 0
			}
			c, i = byte(r), i+n-1
		}
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			return c
		}
		i++
	}
	return 0
}

// unquoteFast decodes a JSON value that must be a string (or null) as
// encoding/json does, without its reflection: bodies are large.
func unquoteFast(v []byte) ([]byte, error) {
	return appendUnquoted(nil, v)
}

// appendUnquoted is unquoteFast decoding into out's room; a string
// without escapes is returned as it lies in v.
func appendUnquoted(out, v []byte) ([]byte, error) {
	v = bytes.TrimSpace(v)
	if bytes.Equal(v, []byte("null")) {
		return nil, nil
	}
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return nil, errShape
	}
	text, ok := jsonscan.UnquoteBytes(v, out)
	if !ok {
		return nil, errShape
	}
	return text, nil
}
