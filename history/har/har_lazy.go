package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/textproto"
	"strconv"
	"strings"
	"time"

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

// entryScanner indexes entries, one worker's. It remembers what entries
// repeat, so that it is neither decoded nor stored again: the last
// _akinspect jar, the last cookies of a request and of a response, the
// last startedDateTime, and short strings (methods, URLs, flow slugs).
type entryScanner struct {
	lastJarRaw   []byte
	lastJar      []transport.Cookie
	req, resp    cookieCache
	lastTimeText string
	lastTime     time.Time
	strs         map[string]string
	text, dec    []byte // a body unescaped, and decoded from base64
}

// maxStrings bounds entryScanner.strs.
const maxStrings = 4096

// str is str, sharing the strings seen before.
func (sc *entryScanner) str(v []byte) (string, error) {
	text, ok := jsonscan.PlainString(v)
	if !ok {
		return str(v)
	}
	if s, ok := sc.strs[string(text)]; ok {
		return s, nil
	}
	s := string(text)
	if len(sc.strs) < maxStrings {
		if sc.strs == nil {
			sc.strs = map[string]string{}
		}
		sc.strs[s] = s
	}
	return s, nil
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
	if n, ok := jsonscan.Int(v); ok {
		return float64(n), nil
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return 0, errShape
	}
	return f, nil
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
