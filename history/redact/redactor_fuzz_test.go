package redact

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
)

// FuzzRedactor checks the whole redactor, not only its scrub pass: a login
// as a browser makes it (the password challenge, the answer with the
// password, a response that echoes it back in a field and a header, the
// next request carrying it in its query) goes through one Redactor, as the
// recorder does. For any password and any echo text:
//
//  1. the answer's password field is a marker, whatever its length;
//  2. a password of minScrubLen or more bytes is in no value position of
//     anything written after the answer (bodies, URL, headers, the error);
//  3. every body that parsed still parses, with the same keys in order;
//  4. putting the learnt secrets back gives the answer's body back byte
//     for byte (it is written the canonical way, as JSON.stringify does).
//
// Passwords that are themselves marker text are left out: a value that is
// already a marker is kept as it is, so that redacting a redacted
// recording changes nothing.
func FuzzRedactor(f *testing.F) {
	f.Add("hunter22", `{"note":"%s"}`, "next=%s")
	f.Add("true", `{"note":"true and %s"}`, "")
	f.Add(`p"a\ss`, `{"component":"ak-stage-password","response_errors":{"password":[{"string":"bad %s"}]}}`, "q=%s")
	f.Add("123456", `{"n":123456,"s":"%s"}`, "a=1&b=%s")
	f.Add("pässwörd😀", "<html>%s</html>", "x=%s#y=%s")
	f.Add("authentik_session", `{"authentik_session":"%s"}`, "")
	f.Fuzz(func(t *testing.T, password, echo, query string) {
		if password == "" || !utf8.ValidString(password) || ContainsMarker(password) ||
			strings.Contains(password, "redacted") || len(echo) > 4096 || len(query) > 1024 {
			return
		}
		answerBody := []byte(`{"component":"` + flow.ComponentPassword + `","password":"` + jsonInner(password) + `"}`)
		echoBody := []byte(strings.ReplaceAll(echo, "%s", jsonInner(password)))
		r := NewRedactor()
		r.Redact(executorGET(`{"component":"ak-stage-password","flow_info":{"title":"t"}}`))
		answer := &transport.Exchange{Flow: "f", Kind: transport.KindExecutor, Method: http.MethodPost,
			URL: "https://auth.example/api/v3/flows/executor/f/", RequestBody: answerBody,
			ResponseBody: echoBody, ResponseHeader: http.Header{"X-Echo": {password}}}
		red := r.Redact(answer)
		checkPasswordField(t, red.RequestBody)
		next := &transport.Exchange{Flow: "f", Kind: transport.KindExecutor, Method: http.MethodGet,
			URL:           "https://auth.example/api/v3/flows/executor/f/?" + strings.ReplaceAll(query, "%s", password),
			RequestHeader: http.Header{"X-Note": {"user typed " + password}}, Error: "failed: " + password}
		redNext := r.Redact(next)
		if len(password) >= minScrubLen {
			set := secretSet{values: []string{password}, names: map[string]string{password: "password"}}
			checkNoSecretAnywhere(t, red, set)
			checkNoSecretAnywhere(t, redNext, set)
		}
		for _, pair := range [][2][]byte{{answer.RequestBody, red.RequestBody}, {answer.ResponseBody, red.ResponseBody}} {
			if json.Valid(pair[0]) && !reflect.DeepEqual(jsonKeys(t, pair[0]), jsonKeys(t, pair[1])) {
				t.Fatalf("keys changed:\n%s\n%s", pair[0], pair[1])
			}
		}
		back := cloneExchange(red)
		restore(back, invert(r.names))
		if string(back.RequestBody) != string(answerBody) {
			t.Fatalf("restoring the answer gave\n%s\nwant\n%s", back.RequestBody, answerBody)
		}
	})
}

func executorGET(body string) *transport.Exchange {
	e := challengeEx(http.StatusOK, body)
	e.Flow, e.Kind = "f", transport.KindExecutor
	return e
}

func checkPasswordField(t *testing.T, body []byte) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("the redacted answer does not parse: %v\n%s", err, body)
	}
	if s, _ := got["password"].(string); !IsMarker(s) {
		t.Fatalf("the answer's password field was written as %q", got["password"])
	}
}

// checkNoSecretAnywhere looks at every value position of e, decoded,
// outside markers: what checkNoSecret reads, and the response body,
// Location, Set-Cookie and every other header too.
func checkNoSecretAnywhere(t *testing.T, e *transport.Exchange, set secretSet) {
	t.Helper()
	var values []string
	for _, b := range [][]byte{e.RequestBody, e.ResponseBody} {
		mapBodyValues(b, func(v string, c codec) string { values = append(values, decode(v, c).text); return v })
	}
	mapURLValues(e.URL, func(v string) string { values = append(values, decode(v, queryCodec).text); return v })
	for _, h := range []http.Header{e.RequestHeader, e.ResponseHeader} {
		mapHeaderValues(h, func(v string, c codec) string { values = append(values, decode(v, c).text); return v })
	}
	values = append(values, e.Error)
	for _, v := range values {
		for _, piece := range outsideMarkers(v) {
			if len(boundedMatches(piece, set.values[0], nil)) > 0 {
				t.Fatalf("the password %q is written in the value %q", set.values[0], v)
			}
		}
	}
}
