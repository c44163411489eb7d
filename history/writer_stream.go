package history

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/akinspect/akinspect/transport"
)

// An exchange line is written as a stream, so that a large body costs no
// memory beyond the exchange itself: the fields before a body are encoded
// with encoding/json, the body goes straight from the exchange into the
// line writer (escaped as JSON text, or through a base64 encoder), then
// the fields after it. The bytes are those json.Marshal writes for
// exchangeRecord (toRecord), key order included: readers rely on it (see
// summaryEnd), and TestStreamedLineIsTheMarshalledRecord checks it.

// exchangeHead is an exchange line up to request_headers: the fields of
// exchangeRecord before the request body, in its order.
type exchangeHead struct {
	Type string `json:"type"`
	summaryRecord
	Diagnosis     string      `json:"diagnosis,omitempty"`
	Truncated     bool        `json:"truncated,omitempty"`
	BodySize      int64       `json:"body_size"`
	RequestHeader http.Header `json:"request_headers"`
}

// exchangeMiddle is what exchangeRecord has between the two bodies.
type exchangeMiddle struct {
	Secrets        []string    `json:"secrets,omitempty"`
	ResponseHeader http.Header `json:"response_headers,omitempty"`
}

// exchangeTail is what exchangeRecord has after the response body.
type exchangeTail struct {
	Jar        []transport.Cookie       `json:"jar"`
	JarChanges []transport.CookieChange `json:"jar_changes,omitempty"`
}

// lineBufSize is the line writer's buffer: a line up to this size goes to
// the file in one write call; a longer one (a large body) in several.
const lineBufSize = 64 << 10

// lineWriter hands one line to the recording file through a fixed buffer.
// It keeps the first error (every later Write returns it), how many bytes
// reached the file, and the first tornKept bytes of the line.
type lineWriter struct {
	f    recordFile
	buf  []byte
	n    int64  // bytes of the line the file took
	head []byte // the line's first tornKept bytes, as handed to the file
	err  error
}

func (l *lineWriter) reset(f recordFile) {
	if l.buf == nil {
		l.buf = make([]byte, 0, lineBufSize)
	}
	l.f, l.buf, l.n, l.head, l.err = f, l.buf[:0], 0, l.head[:0], nil
}

func (l *lineWriter) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		if l.err != nil {
			return done, l.err
		}
		if len(l.buf) == cap(l.buf) {
			l.flush()
			continue
		}
		k := copy(l.buf[len(l.buf):cap(l.buf)], p[done:])
		l.buf = l.buf[:len(l.buf)+k]
		done += k
	}
	return done, nil
}

func (l *lineWriter) writeString(s string) {
	for len(s) > 0 && l.err == nil {
		if len(l.buf) == cap(l.buf) {
			l.flush()
			continue
		}
		k := copy(l.buf[len(l.buf):cap(l.buf)], s)
		l.buf = l.buf[:len(l.buf)+k]
		s = s[k:]
	}
}

// flush writes what is buffered; an error or a short write is kept.
func (l *lineWriter) flush() {
	if l.err != nil || len(l.buf) == 0 {
		return
	}
	if len(l.head) < tornKept {
		l.head = append(l.head, l.buf[:min(len(l.buf), tornKept-len(l.head))]...)
	}
	n, err := l.f.Write(l.buf)
	l.n += int64(max(n, 0))
	if err == nil && n < len(l.buf) {
		err = io.ErrShortWrite
	}
	l.err = err
	l.buf = l.buf[:0]
}

// encodeExchange streams the line of e (with its '\n') into l. scratch
// holds the small fields' JSON; an error is an encoding error (a write
// error is kept by l).
func encodeExchange(l *lineWriter, scratch *bytes.Buffer, e *transport.Exchange) error {
	head := exchangeHead{
		Type: TypeExchange,
		summaryRecord: summaryRecord{
			ID: e.ID, Flow: e.Flow, Kind: e.Kind, Method: e.Method, URL: e.URL,
			Status: e.Status, Proto: e.Proto, Component: e.Component,
			Start: e.Start, Timing: e.Timing, Flags: e.Flags, Error: e.Error,
		},
		Diagnosis: e.Diagnosis, Truncated: e.Truncated, BodySize: e.BodySize,
		RequestHeader: e.RequestHeader,
	}
	// Each part is an object; its braces are dropped to splice it in.
	part := func(v any) ([]byte, error) {
		scratch.Reset()
		enc := json.NewEncoder(scratch)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		b := bytes.TrimSuffix(scratch.Bytes(), []byte("\n"))
		return b[1 : len(b)-1], nil
	}
	b, err := part(head)
	if err != nil {
		return err
	}
	_, _ = l.Write([]byte{'{'})
	_, _ = l.Write(b)
	writeBody(l, "request_body", e.RequestBody)
	if b, err = part(exchangeMiddle{Secrets: e.Secrets, ResponseHeader: e.ResponseHeader}); err != nil {
		return err
	}
	if len(b) > 0 {
		_, _ = l.Write([]byte{','})
		_, _ = l.Write(b)
	}
	writeBody(l, "response_body", e.ResponseBody)
	if b, err = part(exchangeTail{Jar: e.Jar, JarChanges: e.JarChanges}); err != nil {
		return err
	}
	_, _ = l.Write([]byte{','})
	_, _ = l.Write(b)
	l.writeString("}\n")
	return nil
}

// writeBody writes `,"key":"…"` for a body that is not empty: the text
// JSON-escaped, or base64 with `,"key_encoding":"base64"` after it, as
// EncodeBody decides.
func writeBody(l *lineWriter, key string, b []byte) {
	if len(b) == 0 {
		return
	}
	l.writeString(`,"` + key + `":"`)
	if bodyIsText(b) {
		writeJSONText(l, b)
		l.writeString(`"`)
		return
	}
	enc := base64.NewEncoder(base64.StdEncoding, l)
	_, _ = enc.Write(b)
	_ = enc.Close()
	l.writeString(`","` + key + `_encoding":"` + EncodingBase64 + `"`)
}

const hexDigits = "0123456789abcdef"

// writeJSONText writes b as the inside of a JSON string, escaped exactly
// as encoding/json escapes a string with SetEscapeHTML(false): `"` and `\`,
// the short escapes \b \f \n \r \t, other control bytes as \u00xx,
// U+2028 and U+2029 as \u2028 and \u2029, a byte that is not UTF-8 as
// \ufffd; everything else as it is.
func writeJSONText(l *lineWriter, b []byte) {
	start := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			_, _ = l.Write(b[start:i])
			switch c {
			case '"', '\\':
				_, _ = l.Write([]byte{'\\', c})
			case '\b':
				l.writeString(`\b`)
			case '\f':
				l.writeString(`\f`)
			case '\n':
				l.writeString(`\n`)
			case '\r':
				l.writeString(`\r`)
			case '\t':
				l.writeString(`\t`)
			default:
				_, _ = l.Write([]byte{'\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf]})
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			_, _ = l.Write(b[start:i])
			l.writeString(`\ufffd`)
		case r == '\u2028' || r == '\u2029':
			_, _ = l.Write(b[start:i])
			_, _ = l.Write([]byte{'\\', 'u', '2', '0', '2', hexDigits[r&0xf]})
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	_, _ = l.Write(b[start:])
}
