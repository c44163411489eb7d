package redact

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// jsonKeys lists every object key of a JSON document in order, read with
// encoding/json rather than the redactor's own scanner.
func jsonKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	var keys []string
	var inObject []bool // per open container: is it an object
	expectKey := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return keys
		}
		if err != nil {
			t.Fatalf("body does not parse: %v\n%s", err, b)
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				inObject = append(inObject, d == '{')
				expectKey = d == '{'
			default:
				inObject = inObject[:len(inObject)-1]
				expectKey = len(inObject) > 0 && inObject[len(inObject)-1]
			}
			continue
		}
		if expectKey {
			keys = append(keys, tok.(string))
		}
		expectKey = len(inObject) > 0 && inObject[len(inObject)-1] && !expectKey
	}
}

// names is what a person reads as structure in an exchange: body keys,
// header names, cookie names in headers and in the jar.
func names(t *testing.T, e *transport.Exchange) []string {
	t.Helper()
	var out []string
	for _, b := range [][]byte{e.RequestBody, e.ResponseBody} {
		if json.Valid(b) {
			out = append(out, jsonKeys(t, b)...)
		}
	}
	for _, h := range []http.Header{e.RequestHeader, e.ResponseHeader} {
		for k, vs := range h {
			out = append(out, k)
			for _, v := range vs {
				if k == "Cookie" || k == "Set-Cookie" {
					mapCookieValues(v, k == "Set-Cookie", func(name, val string) string {
						out = append(out, name)
						return val
					})
				}
			}
		}
	}
	for _, ck := range e.Jar {
		out = append(out, ck.Name)
	}
	sort.Strings(out)
	return out
}
