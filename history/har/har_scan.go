package har

import (
	"bytes"
	"encoding/json"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinspect/akinspect/internal/jsonscan"
)

// The fast reading of an entry for its timeline row (see scannedEntry) is
// one pass over its bytes: jsonscan.MembersAt hands each member's value
// where it starts, the reader descends into the few it needs and skips the
// rest, so every byte is read once. It accepts exactly the entries the
// reading with nested jsonscan.Members did (har_scan_ref_test.go keeps it
// as the reference, FuzzScanEntryMatchesReference holds this one to it):
// the whole entry must be JSON structure, and the objects it descends into
// must have no key with an escape nor one that matches a known key in
// another case (encoding/json would match it: errShape, a full decode).

// The keys read at each level.
var (
	entryKeys    = []string{"startedDateTime", "request", "response", "timings", "_akinspect"}
	requestKeys  = []string{"method", "url", "headers", "cookies", "postData"}
	responseKeys = []string{"status", "cookies", "content"}
	contentKeys  = []string{"text", "encoding"}
	postDataKeys = []string{"text", "_encoding"}
	timingsKeys  = []string{"blocked", "dns", "connect", "ssl", "send", "wait", "receive"}
	extKeys      = []string{"id", "flow", "kind", "component", "jar", "jarChanges", "flags", "error", "diagnosis", "timing"}
	extTimeKeys  = []string{"dns", "connect", "tls", "send", "first_byte", "total"}
)

// entryWalk is what the pass keeps of an entry's bytes for after it.
type entryWalk struct {
	reqCookies, respCookies []byte // raw; decoded only for a browser HAR
	text                    []byte // response.content.text as written, nil when absent or null
	bodyEnc                 string
	ext                     *harEntryExt
	extBad                  bool // the last _akinspect does not read: errShape
}

// fast reads an entry's row in one pass; errShape leaves it to a full
// decode.
func (sc *entryScanner) fast(raw []byte) (scannedEntry, error) {
	var s scannedEntry
	var w entryWalk
	_, err := members(raw, 0, entryKeys, func(key string, at int) (int, error) {
		switch key {
		case "startedDateTime":
			v, end, err := value(raw, at)
			if err != nil {
				return end, err
			}
			t, err := str(v)
			s.start = sc.time(t)
			return end, err
		case "request":
			return sc.request(raw, at, &s, &w)
		case "response":
			return sc.response(raw, at, &s, &w)
		case "timings":
			return sc.timings(raw, at, &s)
		}
		return sc.extMember(raw, at, &w)
	})
	if err != nil {
		return s, err
	}
	if w.extBad {
		return s, errShape
	}
	s.ext = w.ext
	if s.ext == nil {
		if s.reqCookies, err = sc.req.decode(w.reqCookies); err != nil {
			return s, err
		}
		if s.respCookies, err = sc.resp.decode(w.respCookies); err != nil {
			return s, err
		}
	}
	body, err := sc.body(&w)
	if err != nil {
		return s, err
	}
	s.component, s.validation, s.challenge = challengeOf(body)
	return s, nil
}

// members reads the object at b[at], handing f the members named in known
// (where their values start; f returns where they end) and skipping the
// rest. Any error is errShape: the entry's own JSON may be bad, the full
// decode says how.
func members(b []byte, at int, known []string, f func(key string, at int) (int, error)) (int, error) {
	if at >= len(b) || b[at] != '{' {
		return at, errShape
	}
	end, err := jsonscan.MembersAt(b, at, func(key []byte, at int) (int, error) {
		k := key[1 : len(key)-1]
		if bytes.IndexByte(k, '\\') >= 0 {
			return at, errShape
		}
		for _, kn := range known {
			if string(k) == kn {
				return f(kn, at)
			}
		}
		ascii := isASCII(k)
		for _, kn := range known {
			if (!ascii || len(kn) == len(k)) && strings.EqualFold(kn, string(k)) {
				return at, errShape
			}
		}
		return skip(b, at)
	})
	if err != nil {
		return end, errShape
	}
	return end, nil
}

// skip returns the end of the value at b[at].
func skip(b []byte, at int) (int, error) {
	if at < len(b) && b[at] == '"' { // most values: no scanner needed
		if end, ok := jsonscan.ShortStringEnd(b, at); ok {
			return end, nil
		}
		return at, errShape
	}
	if end, ok := jsonscan.Skip(b, at); ok {
		return end, nil
	}
	return at, errShape
}

// isASCII: a key of ASCII bytes folds only to keys of its length.
func isASCII(k []byte) bool {
	for _, c := range k {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// value is the value at b[at] and its end.
func value(b []byte, at int) ([]byte, int, error) {
	end, err := skip(b, at)
	if err != nil {
		return nil, end, err
	}
	return b[at:end:end], end, nil
}

// time parses startedDateTime; consecutive entries often share it.
func (sc *entryScanner) time(t string) time.Time {
	if t != sc.lastTimeText || t == "" {
		sc.lastTime, _ = time.Parse(time.RFC3339Nano, t)
		sc.lastTimeText = t
	}
	return sc.lastTime
}

func (sc *entryScanner) request(b []byte, at int, s *scannedEntry, w *entryWalk) (int, error) {
	s.method, s.url, s.cookieSent, w.reqCookies = "", "", false, nil
	return members(b, at, requestKeys, func(key string, at int) (int, error) {
		if key == "headers" {
			s.cookieSent = false
			return sentCookie(b, at, &s.cookieSent)
		}
		if key == "postData" {
			return sc.checkPostData(b, at)
		}
		v, end, err := value(b, at)
		if err != nil {
			return end, err
		}
		switch key {
		case "method":
			s.method, err = sc.str(v)
		case "url":
			s.url, err = sc.str(v)
		case "cookies":
			w.reqCookies = v
		}
		return end, err
	})
}

func (sc *entryScanner) response(b []byte, at int, s *scannedEntry, w *entryWalk) (int, error) {
	s.status, w.respCookies, w.text, w.bodyEnc = 0, nil, nil, ""
	return members(b, at, responseKeys, func(key string, at int) (int, error) {
		if key == "content" {
			w.text, w.bodyEnc = nil, ""
			return members(b, at, contentKeys, func(key string, at int) (int, error) {
				if key == "text" && at < len(b) && b[at] == '"' {
					end, valid, ok := jsonscan.CheckedStringEnd(b, at)
					if !ok || !valid {
						return end, errShape
					}
					w.text = b[at:end:end]
					return end, nil
				}
				v, end, err := value(b, at)
				if err != nil {
					return end, err
				}
				if key == "text" {
					w.text, err = checkText(v)
				} else {
					w.bodyEnc, err = sc.str(v)
				}
				return end, err
			})
		}
		v, end, err := value(b, at)
		if err != nil {
			return end, err
		}
		if key == "status" {
			f, err := num(v)
			s.status = int(int64(f))
			return end, err
		}
		w.respCookies = v
		return end, nil
	})
}

func (sc *entryScanner) timings(b []byte, at int, s *scannedEntry) (int, error) {
	s.timing = harTimings{}
	return members(b, at, timingsKeys, func(key string, at int) (int, error) {
		v, end, err := value(b, at)
		if err != nil {
			return end, err
		}
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
		return end, err
	})
}

// sentCookie reads request.headers and sets sent when they have a Cookie
// header. The headers are read in the same pass whatever they hold; what
// the reading found counts only when the bytes hold "cookie" in some case
// (hasFoldCookie), as before: otherwise no header can be named Cookie and
// the headers are not looked into.
func sentCookie(b []byte, at int, sent *bool) (int, error) {
	if at >= len(b) || b[at] != '[' {
		v, end, err := value(b, at)
		if err == nil && string(v) != "null" {
			err = errShape
		}
		return end, err
	}
	found, bad := false, false
	end, err := jsonscan.ElementsAt(b, at, func(at int) (int, error) {
		end, err := members(b, at, []string{"name"}, func(_ string, at int) (int, error) {
			v, end, err := value(b, at)
			if err == nil && isCookieName(v) {
				found = true
			} else if _, plain := jsonscan.PlainString(v); err == nil && !plain {
				var name string
				name, err = str(v)
				found = found || name != "" && !strings.HasPrefix(name, ":") && textproto.CanonicalMIMEHeaderKey(name) == "Cookie"
			}
			return end, err
		})
		if err != nil { // not for a header named Cookie to say yet
			bad = true
			return skip(b, at)
		}
		return end, nil
	})
	if err != nil {
		return end, errShape
	}
	if hasFoldCookie(b[at:end]) {
		if bad {
			return end, errShape
		}
		*sent = found
	}
	return end, nil
}

// isCookieName: v is the plain string "cookie", in any case, which is
// what textproto.CanonicalMIMEHeaderKey makes "Cookie".
func isCookieName(v []byte) bool {
	_, plain := jsonscan.PlainString(v)
	return len(v) == 8 && plain && strings.EqualFold(string(v[1:7]), "cookie")
}

// decode keeps the last cookies decoded: a HAR's requests send the same
// cookies over and over, and the rows only read them.
func (c *cookieCache) decode(raw []byte) ([]harCookie, error) {
	if raw == nil {
		return nil, nil
	}
	if c.raw != nil && bytes.Equal(raw, c.raw) {
		return c.val, nil
	}
	var val []harCookie
	if json.Unmarshal(raw, &val) != nil {
		return nil, errShape
	}
	c.raw, c.val = append(c.raw[:0], raw...), val
	return val, nil
}

// cookieCache is the last cookies an entryScanner decoded.
type cookieCache struct {
	raw []byte
	val []harCookie
}
