package har

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/textproto"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/jsonscan"
	"github.com/akinspect/akinspect/transport"
)

// The entry reader before the single pass (har_scan.go): each object was
// read with jsonscan.Members, and an object it descended into was read
// again. It is kept here as the reference the single pass must match
// (FuzzScanEntryMatchesReference).

// refScanner is entryScanner as it was.
type refScanner struct {
	lastJarRaw []byte
	lastJar    []transport.Cookie
}

// refScanEntry is scanEntry as it was.
func (sc *refScanner) scanEntry(raw []byte) (scannedEntry, error) {
	s, err := sc.fast(raw)
	if err == errShape {
		return slowScan(raw)
	}
	return s, err
}

// refMembers is jsonscan.Members on a whole value, with a key unquoted only
// when it has escapes (then the fast reading gives up: errShape). A key
// that is none of known but matches one in another case is errShape too:
// encoding/json matches keys without case.
func refMembers(v []byte, known []string, f func(key string, v []byte) error) error {
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

func (sc *refScanner) fast(raw []byte) (scannedEntry, error) {
	var s scannedEntry
	var reqCookies, respCookies, extRaw []byte
	var body []byte
	var bodyEnc string
	err := refMembers(raw, []string{"startedDateTime", "request", "response", "timings", "_akinspect"}, func(key string, v []byte) error {
		switch key {
		case "startedDateTime":
			t, err := str(v)
			if err != nil {
				return err
			}
			s.start, _ = time.Parse(time.RFC3339Nano, t)
		case "request":
			s.method, s.url, s.cookieSent, reqCookies = "", "", false, nil
			return refMembers(v, []string{"method", "url", "headers", "cookies", "postData"}, func(key string, v []byte) error {
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
					err = refSentCookie(v, &s.cookieSent)
				case "postData":
					err = refCheckPostData(v)
				}
				return err
			})
		case "response":
			s.status, respCookies, body, bodyEnc = 0, nil, nil, ""
			return refMembers(v, []string{"status", "cookies", "content"}, func(key string, v []byte) error {
				switch key {
				case "status":
					f, err := num(v)
					s.status = int(int64(f))
					return err
				case "cookies":
					respCookies = v
				case "content":
					body, bodyEnc = nil, ""
					return refMembers(v, []string{"text", "encoding"}, func(key string, v []byte) error {
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
			return refMembers(v, []string{"blocked", "dns", "connect", "ssl", "send", "wait", "receive"}, func(key string, v []byte) error {
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
func refSentCookie(v []byte, sent *bool) error {
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
		return refMembers(h, []string{"name"}, func(_ string, v []byte) error {
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

// checkPostData checks that a request body in base64 decodes.
func refCheckPostData(v []byte) error {
	if string(v) == "null" {
		return nil
	}
	var text []byte
	enc := ""
	err := refMembers(v, []string{"text", "_encoding"}, func(key string, v []byte) error {
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
func (sc *refScanner) ext(v []byte) (*harEntryExt, error) {
	x := &harEntryExt{}
	var jarRaw []byte
	err := refMembers(v, []string{"id", "flow", "kind", "component", "jar", "jarChanges", "flags", "error", "diagnosis", "timing"}, func(key string, v []byte) error {
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
				err = refMembers(v, []string{"dns", "connect", "tls", "send", "first_byte", "total"}, func(key string, v []byte) error {
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

// FuzzScanEntryMatchesReference: the single pass indexes any entry as the
// reading before it did: the same row, or the same error. Each input is
// read twice by one scanner, the second time from what it remembers.
func FuzzScanEntryMatchesReference(f *testing.F) {
	exported := exportSession(f, Options{})
	for _, doc := range [][]byte{exported, withoutAkinspect(f, exported), []byte(browserCSRFHAR), []byte(tinyBrowserHAR)} {
		var d struct {
			Log struct{ Entries []json.RawMessage }
		}
		if err := json.Unmarshal(doc, &d); err != nil {
			f.Fatal(err)
		}
		for _, en := range d.Log.Entries {
			f.Add([]byte(en))
		}
	}
	for _, s := range []string{
		`{"request":{"postData":{"text":"%%%","_encoding":"base64"}}}`,
		`{"startedDateTime":"x","request":{"url":"http://h/api/v3/flows/executor//"},"response":{"content":{"text":"{}","encoding":"base64"}}}`,
		`{"response":{"content":{"text":" \n\u007b\"component\":\"x\",\"response_errors\":{\"a\":1}}"}}}`,
		`{"response":{"content":{"text":"\u0020{\"component\":\"x\"}","encoding":"base64"}}}`,
		`{"response":{"content":{"text":"{\"component\":\"x\"} \q"}}}`,
		`{"request":{"headers":[{"NAME":"Cookie"}]}}`, `{"request":{"headers":[{"NAME":"x"}]}}`,
		`{"request":{"headers":[{"name":"c\u006fokie"}]}}`, `{"request":{"headers":[{"name":5},{"name":"cookie"}]}}`,
		`{"_akinspect":{"id":"x"},"_akinspect":{"id":2}}`, `{"_akinspect":{"id":2},"_akinspect":5}`,
		`{"_akinspect":{"id":1,"jar":[{"name":"a","value":"b"}],"timing":{"total":5}},"request":{"cookies":7}}`,
		`{"request":{"cookies":[{"name":"a","value":"b"}]},"response":{"cookies":[{"name":"a","value":""}]}}`,
		`{"Request":{}}`, `{"re\u0071uest":{}}`, `{"request":{"method":"GET",}}`, `{"timings":{"wait":"x"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var sc entryScanner
		var ref refScanner
		for pass := range 2 {
			got, gerr := sc.scanEntry(raw)
			want, werr := ref.scanEntry(raw)
			if fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Fatalf("pass %d: %q: error %v, want %v", pass, raw, gerr, werr)
			}
			if werr == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("pass %d: %q:\n got %+v\nwant %+v", pass, raw, got, want)
			}
		}
	})
}
