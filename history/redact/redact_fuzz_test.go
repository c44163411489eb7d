package redact

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/akinspect/akinspect/transport"
)

// hostileSecrets are secrets that equal structure or marker text.
var hostileSecrets = []string{
	"password", "authentik", "authentik_session", "Cookie", "component", "ak-stage-prompt",
	"true", "null", "1", "123456", "«", "»", "redacted", `"`, `\`, "é", "日本語",
	"«redacted:password»", "%C2%AB", ":", "=", ";", "&",
}

// FuzzRedact checks the properties of the pure redaction pass
// (secretSet.scrub) for any exchange and any set of secrets, including
// secrets chosen from the exchange's own keys and names and the hostile
// ones above:
//
//  1. the output parses, with the same keys, header names and cookie
//     names in the same order;
//  2. no secret remains in a value position (outside markers; a secret of
//     digits may stay inside a longer number);
//  3. putting the secrets back restores the original exactly: byte for
//     byte where the original wrote each value the canonical way
//     (encoding/json, url.QueryEscape), the same decoded values otherwise;
//  4. redacting twice changes nothing.
func FuzzRedact(f *testing.F) {
	enroll, _ := json.Marshal(enrollmentValues("password"))
	f.Add(string(enroll), "query=next%3D%252F&code=123456", "Bearer abc", "abcdef", "password", uint16(0xffff))
	f.Add(string(enroll), "", "", "authentik", "authentik", uint16(1))
	f.Add(`{"password":"password","password_repeat":"password"}`, "", "", "", "password", uint16(0))
	f.Add(`{"a":"«redacted:password» password","b":["redacted",true,null,1]}`, "x=redacted", "redacted", "redacted", "redacted", uint16(2))
	f.Add(`{"k":"p\u0061ss\"w\\ord","u":"\ud83d\ude00x","n":123456}`, "", "", "", "pass\"w\\ord\x00😀", uint16(4))
	f.Add(`{"component":"ak-stage-password","password":"hunter2`, "", "", "", "hunter2", uint16(8))
	f.Add(`{"a":x,"b":"secret"} trailing secret`, "a=secret+x&b=%E6%97%A5", "secret", "", "secret\x00日", uint16(16))
	f.Add("<html>secret token</html>", "flow_token=%C2%ABredacted%3Aurl%3Aflow_token%C2%BB", "", "", "token\x00redacted", uint16(32))
	f.Add(`[{"codes":["123456","1234567"]},"«","»"]`, "t=1234567", "x 123456 y", "", "123456", uint16(64|128))
	f.Add(`{"«":"»","x":"«redacted:a»b»"}`, "", "", "", "«\x00»\x00b", uint16(256))
	f.Fuzz(func(t *testing.T, body, query, header, cookie, secretList string, pick uint16) {
		x := fuzzExchange(body, query, header, cookie)
		set := fuzzSecrets(x, secretList, pick)
		if len(set.values) == 0 {
			return
		}
		out := cloneExchange(x)
		set.scrub(out)
		checkStructure(t, x, out)
		checkNoSecret(t, out, set)
		back := cloneExchange(out)
		restore(back, invert(set.names))
		checkRestored(t, x, back)
		again := cloneExchange(out)
		if set.scrub(again); !reflect.DeepEqual(again, out) {
			t.Fatalf("redacting twice changed the exchange:\nonce  %s\ntwice %s", dump(out), dump(again))
		}
	})
}

func fuzzExchange(body, query, header, cookie string) *transport.Exchange {
	return &transport.Exchange{
		Method: http.MethodPost, URL: "https://auth.example/api/v3/flows/executor/f/?" + query,
		RequestHeader: http.Header{"X-Note": {header}, "Cookie": {"authentik_session=" + cookie + "; other=" + header}},
		ResponseHeader: http.Header{
			"Location":   {"/if/flow/f/?" + query},
			"Set-Cookie": {"authentik_session=" + cookie + "; Path=/; HttpOnly"},
		},
		Jar:         []transport.Cookie{{Name: "authentik_session", Value: cookie, Path: "/"}},
		RequestBody: []byte(body), ResponseBody: []byte(body), Error: header,
	}
}

// fuzzSecrets builds the secret set: the listed ones, hostile ones picked
// by bits of pick, and with bit 0 the exchange's own keys and names. Names
// are chosen so that no marker in the input already uses them.
func fuzzSecrets(x *transport.Exchange, list string, pick uint16) secretSet {
	cands := strings.Split(list, "\x00")
	for i, h := range hostileSecrets {
		if pick&(1<<(i%16)) != 0 {
			cands = append(cands, h)
		}
	}
	if pick&1 != 0 {
		scanJSON(x.RequestBody, func(v jsonValue) { cands = append(cands, v.key) })
		cands = append(cands, "X-Note", "authentik_session", "other", "Path", "HttpOnly")
	}
	prefix := "fz"
	for strings.Contains(dump(x), prefix) {
		prefix += "z"
	}
	set := secretSet{names: map[string]string{}}
	for _, v := range cands {
		if v == "" || !utf8.ValidString(v) || set.names[v] != "" {
			continue
		}
		set.names[v] = fmt.Sprintf("%s%d", prefix, len(set.values))
		set.values = append(set.values, v)
	}
	sort.SliceStable(set.values, func(i, j int) bool { return len(set.values[i]) > len(set.values[j]) })
	return set
}

func invert(m map[string]string) map[string]string {
	out := map[string]string{}
	for v, n := range m {
		out[n] = v
	}
	return out
}

func dump(x *transport.Exchange) string {
	b, _ := json.Marshal(x)
	return string(b)
}

func checkStructure(t *testing.T, in, out *transport.Exchange) {
	t.Helper()
	if json.Valid(in.RequestBody) {
		if !json.Valid(out.RequestBody) {
			t.Fatalf("the body no longer parses:\n%s\n%s", in.RequestBody, out.RequestBody)
		}
		if a, b := jsonKeys(t, in.RequestBody), jsonKeys(t, out.RequestBody); !reflect.DeepEqual(a, b) {
			t.Fatalf("keys changed: %q → %q", a, b)
		}
	}
	if a, b := queryNames(in.URL), queryNames(out.URL); !reflect.DeepEqual(a, b) {
		t.Fatalf("query names changed: %q → %q", a, b)
	}
	if a, b := names(t, in), names(t, out); !reflect.DeepEqual(a, b) {
		t.Fatalf("header or cookie names changed: %q → %q", a, b)
	}
}

func queryNames(u string) []string {
	var out []string
	_, q, _ := strings.Cut(u, "?")
	q, frag, _ := strings.Cut(q, "#")
	for _, part := range []string{q, frag} {
		for _, p := range strings.Split(part, "&") {
			k, _, _ := strings.Cut(p, "=")
			out = append(out, k)
		}
	}
	return out
}

// checkNoSecret looks at every value position of out, decoded, outside
// markers.
func checkNoSecret(t *testing.T, out *transport.Exchange, set secretSet) {
	t.Helper()
	var values []string
	if json.Valid(out.RequestBody) {
		var v any
		_ = json.Unmarshal(out.RequestBody, &v)
		values = append(values, jsonStrings(v)...)
	} else if !looksLikeJSON(out.RequestBody) {
		values = append(values, string(out.RequestBody))
	}
	mapURLValues(out.URL, func(v string) string { values = append(values, decode(v, queryCodec).text); return v })
	mapCookieValues(out.RequestHeader.Get("Cookie"), false, func(_, v string) string { values = append(values, v); return v })
	values = append(values, out.RequestHeader.Get("X-Note"), out.Jar[0].Value, out.Error)
	for _, v := range values {
		for _, piece := range outsideMarkers(v) {
			for _, s := range set.values {
				if len(boundedMatches(piece, s, nil)) > 0 {
					t.Fatalf("secret %q remains in the value %q", s, v)
				}
			}
		}
	}
}

func jsonStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			out = append(out, jsonStrings(x)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, x := range t {
			out = append(out, jsonStrings(x)...)
		}
		return out
	}
	return nil
}

func outsideMarkers(s string) []string {
	var out []string
	last := 0
	for _, m := range markerSpans(s) {
		out = append(out, s[last:m.start])
		last = m.end
	}
	return append(out, s[last:])
}

// canonical rewrites every value the canonical way for where it sits.
func canonical(x *transport.Exchange) *transport.Exchange {
	c := cloneExchange(x)
	norm := func(v string, cd codec) string { return encode(decode(v, cd).text, cd) }
	c.URL = mapURLValues(c.URL, func(v string) string { return norm(v, queryCodec) })
	mapHeaderValues(c.RequestHeader, norm)
	mapHeaderValues(c.ResponseHeader, norm)
	c.RequestBody = mapBodyValues(c.RequestBody, norm)
	c.ResponseBody = mapBodyValues(c.ResponseBody, norm)
	return c
}

func checkRestored(t *testing.T, in, back *transport.Exchange) {
	t.Helper()
	if c := canonical(in); reflect.DeepEqual(c, in) {
		if !reflect.DeepEqual(back, in) {
			t.Fatalf("restoring did not give the original back:\nwant %s\ngot  %s", dump(in), dump(back))
		}
		return
	}
	if a, b := canonical(in), canonical(back); !reflect.DeepEqual(a, b) {
		t.Fatalf("restoring did not give the original values back:\nwant %s\ngot  %s", dump(a), dump(b))
	}
}
