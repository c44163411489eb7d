package har

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/jsonscan"
	"github.com/akinspect/akinspect/transport"
)

// An entry is indexed while the HAR is streamed: its place in the file and
// what its timeline row needs, read where it lies (jsonscan) without
// encoding/json. Its bodies are looked at (for a challenge's component, for
// base64 that does not decode) but not kept. The fields the row needs are
// checked as a full decode checks them; an entry the fast reading does not
// follow (an unusual shape, keys in another case) is decoded in full
// instead, and one that does not decode is skipped with the warning a full
// decode gives. A field the row does not need (a header's value of the
// wrong type, say) is found only when the exchange is read.
type scannedEntry struct {
	index  int   // 0-based, in log.entries
	off, n int64 // its bytes in the file
	start  time.Time
	method string
	url    string
	status int
	timing harTimings
	ext    *harEntryExt // _akinspect, its jar included
	// cookieSent: the request has a Cookie header.
	cookieSent              bool
	reqCookies, respCookies []harCookie
	// Of the response body: the component of its challenge, and whether
	// the challenge holds response_errors.
	component  string
	validation bool
	challenge  bool
}

// entryScanner indexes entries; it remembers the last _akinspect jar, so
// that the unchanged jar of the next entry is neither decoded nor stored
// again.
type entryScanner struct {
	lastJarRaw []byte
	lastJar    []transport.Cookie
}

// scanEntry indexes one entry from its bytes.
func (sc *entryScanner) scanEntry(raw []byte) (scannedEntry, error) {
	s, err := sc.fast(raw)
	if err == errShape {
		return slowScan(raw)
	}
	return s, err
}

// slowScan indexes an entry by decoding it in full.
func slowScan(raw []byte) (scannedEntry, error) {
	var en harEntry
	if err := json.Unmarshal(raw, &en); err != nil {
		return scannedEntry{}, errors.New(entryDecodeReason(err))
	}
	s := scannedEntry{
		start: harStart(en), method: en.Request.Method, url: en.Request.URL,
		status: int(en.Response.Status), timing: en.Timings, ext: en.Akinspect,
		reqCookies: en.Request.Cookies, respCookies: en.Response.Cookies,
	}
	for _, h := range en.Request.Headers {
		if h.Name != "" && !strings.HasPrefix(h.Name, ":") && textproto.CanonicalMIMEHeaderKey(h.Name) == "Cookie" {
			s.cookieSent = true
		}
	}
	if pd := en.Request.PostData; pd != nil {
		if _, err := harBody(pd.Text, pd.Encoding); err != nil {
			return s, fmt.Errorf("request.postData.text: %w", err)
		}
	}
	body, err := harBody(en.Response.Content.Text, en.Response.Content.Encoding)
	if err != nil {
		return s, fmt.Errorf("response.content.text: %w", err)
	}
	s.component, s.validation, s.challenge = challengeOf(body)
	return s, nil
}

// errShape: the fast reading met something it leaves to a full decode.
var errShape = errors.New("entry not in the expected shape")

// members is jsonscan.Members on a whole value, with a key unquoted only
// when it has escapes (then the fast reading gives up: errShape). A key
// that is none of known but matches one in another case is errShape too:
// encoding/json matches keys without case.
func members(v []byte, known []string, f func(key string, v []byte) error) error {
	if len(v) == 0 || v[0] != '{' {
		return errShape
	}
	_, err := jsonscan.Members(v, 0, func(key, v []byte) error {
		k := key[1 : len(key)-1]
		if bytes.IndexByte(k, '\\') >= 0 {
			return errShape
		}
		ks := string(k)
		if !slices.Contains(known, ks) {
			for _, kn := range known {
				if strings.EqualFold(kn, ks) {
					return errShape
				}
			}
			return nil
		}
		return f(ks, v)
	})
	if err != nil {
		return errShape // the entry's own JSON may be bad: the full decode says how
	}
	return nil
}

// str reads a JSON string or null.
func str(v []byte) (string, error) {
	if len(v) >= 2 && v[0] == '"' {
		return jsonscan.Unquote(v)
	}
	if string(v) == "null" {
		return "", nil
	}
	return "", errShape
}

// num reads a JSON number or null as harInt does.
func num(v []byte) (float64, error) {
	if string(v) == "null" {
		return 0, nil
	}
	if len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
		return 0, errShape
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return 0, errShape
	}
	return f, nil
}

func (sc *entryScanner) fast(raw []byte) (scannedEntry, error) {
	var s scannedEntry
	var reqCookies, respCookies, extRaw []byte
	var body []byte
	var bodyEnc string
	err := members(raw, []string{"startedDateTime", "request", "response", "timings", "_akinspect"}, func(key string, v []byte) error {
		switch key {
		case "startedDateTime":
			t, err := str(v)
			if err != nil {
				return err
			}
			s.start, _ = time.Parse(time.RFC3339Nano, t)
		case "request":
			s.method, s.url, s.cookieSent, reqCookies = "", "", false, nil
			return members(v, []string{"method", "url", "headers", "cookies", "postData"}, func(key string, v []byte) error {
				var err error
				switch key {
				case "method":
					s.method, err = str(v)
				case "url":
					s.url, err = str(v)
				case "cookies":
					reqCookies = v
				case "headers":
					s.cookieSent = false
					err = sentCookie(v, &s.cookieSent)
				case "postData":
					err = checkPostData(v)
				}
				return err
			})
		case "response":
			s.status, respCookies, body, bodyEnc = 0, nil, nil, ""
			return members(v, []string{"status", "cookies", "content"}, func(key string, v []byte) error {
				switch key {
				case "status":
					f, err := num(v)
					s.status = int(int64(f))
					return err
				case "cookies":
					respCookies = v
				case "content":
					body, bodyEnc = nil, ""
					return members(v, []string{"text", "encoding"}, func(key string, v []byte) error {
						var err error
						if key == "text" {
							if body, err = unquoteFast(v); err != nil {
								return err
							}
						} else {
							bodyEnc, err = str(v)
						}
						return err
					})
				}
				return nil
			})
		case "timings":
			s.timing = harTimings{}
			return members(v, []string{"blocked", "dns", "connect", "ssl", "send", "wait", "receive"}, func(key string, v []byte) error {
				f, err := num(v)
				switch key {
				case "blocked":
					s.timing.Blocked = f
				case "dns":
					s.timing.DNS = f
				case "connect":
					s.timing.Connect = f
				case "ssl":
					s.timing.SSL = f
				case "send":
					s.timing.Send = f
				case "wait":
					s.timing.Wait = f
				case "receive":
					s.timing.Receive = f
				}
				return err
			})
		case "_akinspect":
			extRaw = v
		}
		return nil
	})
	if err != nil {
		return s, err
	}
	if extRaw != nil && string(extRaw) != "null" {
		if s.ext, err = sc.ext(extRaw); err != nil {
			return s, err
		}
	}
	if s.ext == nil {
		if reqCookies != nil && json.Unmarshal(reqCookies, &s.reqCookies) != nil {
			return s, errShape
		}
		if respCookies != nil && json.Unmarshal(respCookies, &s.respCookies) != nil {
			return s, errShape
		}
	}
	if len(body) > 0 && bodyEnc == history.EncodingBase64 {
		dec, err := base64.StdEncoding.DecodeString(string(body))
		if err != nil {
			return s, fmt.Errorf("response.content.text: bad base64 (%v)", err)
		}
		body = dec
	}
	s.component, s.validation, s.challenge = challengeOf(body)
	return s, nil
}

// sentCookie sets sent when the headers have a Cookie header.
func sentCookie(v []byte, sent *bool) error {
	if string(v) == "null" {
		return nil
	}
	if len(v) == 0 || v[0] != '[' {
		return errShape
	}
	if !hasFoldCookie(v) {
		return nil // no header can be named Cookie
	}
	_, err := jsonscan.Elements(v, 0, func(h []byte) error {
		return members(h, []string{"name"}, func(_ string, v []byte) error {
			name, err := str(v)
			if name != "" && !strings.HasPrefix(name, ":") && textproto.CanonicalMIMEHeaderKey(name) == "Cookie" {
				*sent = true
			}
			return err
		})
	})
	if err != nil {
		return errShape
	}
	return nil
}

// hasFoldCookie: does b hold "cookie" in any case (or an escape, which
// could spell it)?
func hasFoldCookie(b []byte) bool {
	if bytes.IndexByte(b, '\\') >= 0 {
		return true
	}
	const w = "cookie"
	for i := 0; i+len(w) <= len(b); i++ {
		if b[i]|0x20 != 'c' {
			continue
		}
		j := 1
		for j < len(w) && b[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

// checkPostData checks that a request body in base64 decodes.
func checkPostData(v []byte) error {
	if string(v) == "null" {
		return nil
	}
	var text []byte
	enc := ""
	err := members(v, []string{"text", "_encoding"}, func(key string, v []byte) error {
		var err error
		if key == "text" {
			text = v
		} else {
			enc, err = str(v)
		}
		return err
	})
	if err != nil || enc != history.EncodingBase64 || text == nil {
		return err
	}
	t, err := unquoteFast(text)
	if err != nil {
		return err
	}
	if _, err := base64.StdEncoding.DecodeString(string(t)); err != nil && len(t) > 0 {
		return fmt.Errorf("request.postData.text: bad base64 (%v)", err)
	}
	return nil
}

// ext reads _akinspect. Its jar is decoded only when it differs from the
// entry before's, whose snapshot it otherwise shares.
func (sc *entryScanner) ext(v []byte) (*harEntryExt, error) {
	x := &harEntryExt{}
	var jarRaw []byte
	err := members(v, []string{"id", "flow", "kind", "component", "jar", "jarChanges", "flags", "error", "diagnosis", "timing"}, func(key string, v []byte) error {
		var err error
		switch key {
		case "id":
			var f float64
			f, err = num(v)
			x.ID = int(f)
			if f != float64(int64(f)) {
				err = errShape
			}
		case "flow":
			x.Flow, err = str(v)
		case "kind":
			var k string
			k, err = str(v)
			x.Kind = transport.Kind(k)
		case "component":
			x.Component, err = str(v)
		case "error":
			x.Error, err = str(v)
		case "diagnosis":
			x.Diagnosis, err = str(v)
		case "jar":
			jarRaw = v
		case "jarChanges":
			x.JarChanges = nil
			if string(v) != "[]" && string(v) != "null" && json.Unmarshal(v, &x.JarChanges) != nil {
				err = errShape
			}
		case "flags":
			x.Flags = nil
			if string(v) != "[]" && string(v) != "null" && json.Unmarshal(v, &x.Flags) != nil {
				err = errShape
			}
		case "timing":
			x.Timing = nil
			if string(v) != "null" {
				x.Timing = &transport.Timing{}
				err = members(v, []string{"dns", "connect", "tls", "send", "first_byte", "total"}, func(key string, v []byte) error {
					n, err := strconv.ParseInt(string(v), 10, 64)
					if err != nil {
						return errShape
					}
					d := time.Duration(n)
					switch key {
					case "dns":
						x.Timing.DNS = d
					case "connect":
						x.Timing.Connect = d
					case "tls":
						x.Timing.TLS = d
					case "send":
						x.Timing.Send = d
					case "first_byte":
						x.Timing.FirstByte = d
					case "total":
						x.Timing.Total = d
					}
					return nil
				})
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	switch {
	case jarRaw == nil || string(jarRaw) == "null":
	case bytes.Equal(jarRaw, sc.lastJarRaw) && sc.lastJarRaw != nil:
		x.Jar = sc.lastJar
	default:
		if json.Unmarshal(jarRaw, &x.Jar) != nil {
			return nil, errShape
		}
		sc.lastJarRaw = append(sc.lastJarRaw[:0], jarRaw...)
		sc.lastJar = x.Jar
	}
	return x, nil
}

// challengeOf reads what a timeline row needs of a response body that is
// a challenge: its component and whether it holds response_errors. Only
// the body's top level is scanned.
func challengeOf(body []byte) (component string, validation, ok bool) {
	i := jsonscan.Space(body, 0)
	if i >= len(body) || body[i] != '{' {
		return "", false, false
	}
	end, err := jsonscan.Members(body, i, func(key, v []byte) error {
		switch string(key) {
		case `"component"`:
			if len(v) > 0 && v[0] == '"' {
				component, _ = jsonscan.Unquote(v)
			}
		case `"response_errors"`:
			validation = len(v) > 0 && v[0] == '{' && jsonscan.Space(v, 1) < len(v) && v[jsonscan.Space(v, 1)] != '}'
		}
		return nil
	})
	if err != nil || jsonscan.Space(body, end) != len(body) || !json.Valid(body) {
		return "", false, false
	}
	return component, validation, true
}

// unquoteFast decodes a JSON value that must be a string (or null) as
// encoding/json does, without its reflection: bodies are large.
func unquoteFast(v []byte) ([]byte, error) {
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
	out := make([]byte, 0, len(in))
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
