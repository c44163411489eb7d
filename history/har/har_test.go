package har

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/internal/historytest"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/transport"
)

// harRequired is the HAR 1.2 table of required fields (the HAR 1.2 spec,
// "log" and its children) with the JSON type each must have.
var harRequired = map[string]map[string]string{
	"log":      {"version": "string", "creator": "object", "entries": "array"},
	"creator":  {"name": "string", "version": "string"},
	"entry":    {"startedDateTime": "string", "time": "number", "request": "object", "response": "object", "cache": "object", "timings": "object"},
	"request":  {"method": "string", "url": "string", "httpVersion": "string", "cookies": "array", "headers": "array", "queryString": "array", "headersSize": "number", "bodySize": "number"},
	"response": {"status": "number", "statusText": "string", "httpVersion": "string", "cookies": "array", "headers": "array", "content": "object", "redirectURL": "string", "headersSize": "number", "bodySize": "number"},
	"cookie":   {"name": "string", "value": "string"},
	"nv":       {"name": "string", "value": "string"},
	"postData": {"mimeType": "string"},
	"content":  {"size": "number", "mimeType": "string"},
	"timings":  {"send": "number", "wait": "number", "receive": "number"},
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case bool:
		return "bool"
	}
	return "null"
}

func requireFields(t *testing.T, where, kind string, v any) map[string]any {
	t.Helper()
	obj, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is %s, want an object", where, jsonType(v))
	}
	for k, typ := range harRequired[kind] {
		if got := jsonType(obj[k]); got != typ {
			t.Errorf("%s.%s is %s, want %s", where, k, got, typ)
		}
	}
	for k := range obj {
		if k == "_akinspect" {
			continue
		}
		if strings.HasPrefix(k, "_") && k != "_encoding" {
			t.Errorf("%s has unknown custom field %s", where, k)
		}
	}
	return obj
}

func exportSession(t testing.TB, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	h := history.Header{BaseURL: base, Flow: "default-authentication-flow"}
	opts.Header = &h
	if err := Export(&buf, history.Exchanges(syntheticSession()), opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExportHARHasEveryRequiredField(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(exportSession(t, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	log := requireFields(t, "log", "log", doc["log"])
	if log["version"] != "1.2" {
		t.Errorf("log.version = %v", log["version"])
	}
	requireFields(t, "log.creator", "creator", log["creator"])
	entries := log["entries"].([]any)
	if len(entries) != len(syntheticSession()) {
		t.Fatalf("%d entries, want %d", len(entries), len(syntheticSession()))
	}
	prev := ""
	for i, raw := range entries {
		where := "entries[" + strconv.Itoa(i) + "]"
		en := requireFields(t, where, "entry", raw)
		req := requireFields(t, where+".request", "request", en["request"])
		resp := requireFields(t, where+".response", "response", en["response"])
		for _, c := range append(req["cookies"].([]any), resp["cookies"].([]any)...) {
			requireFields(t, where+" cookie", "cookie", c)
		}
		for _, h := range append(append(req["headers"].([]any), resp["headers"].([]any)...), req["queryString"].([]any)...) {
			requireFields(t, where+" header", "nv", h)
		}
		if pd, ok := req["postData"]; ok {
			p := requireFields(t, where+".postData", "postData", pd)
			if _, hasText := p["text"]; hasText == (p["params"] != nil) {
				t.Errorf("%s.postData needs exactly one of text and params", where)
			}
		}
		requireFields(t, where+".content", "content", resp["content"])
		timings := requireFields(t, where+".timings", "timings", en["timings"])
		sum := 0.0
		for _, k := range []string{"blocked", "dns", "connect", "send", "wait", "receive"} {
			if v, _ := timings[k].(float64); v >= 0 {
				sum += v
			}
		}
		if d := sum - en["time"].(float64); d > 1e-6 || d < -1e-6 {
			t.Errorf("%s.time = %v, timings sum to %v", where, en["time"], sum)
		}
		if req["headersSize"].(float64) != -1 {
			t.Errorf("%s.request.headersSize = %v, want -1", where, req["headersSize"])
		}
		started := en["startedDateTime"].(string)
		if started < prev {
			t.Errorf("entries not sorted by startedDateTime")
		}
		prev = started
		ext, ok := en["_akinspect"].(map[string]any)
		if !ok || ext["flow"] == nil || ext["jar"] == nil {
			t.Errorf("%s lacks _akinspect with flow and jar", where)
		}
	}
}

func TestExportHARIsRedactedUnlessAsked(t *testing.T) {
	data := exportSession(t, Options{})
	assertNoSecrets(t, "HAR export", data)
	raw := exportSession(t, Options{NoRedact: true})
	for _, s := range []string{secretPassword, secretTOTP, secretConsent, secretSession, secretCSRF} {
		if !bytes.Contains(raw, []byte(s)) {
			t.Errorf("NoRedact HAR lacks %q", s)
		}
	}
}

func TestHARRoundTripKeepsExchanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.har")
	if err := os.WriteFile(path, exportSession(t, Options{NoRedact: true}), 0o600); err != nil {
		t.Fatal(err)
	}
	rec, err := history.Open(path) // content detection: a HAR, not JSON Lines
	if err != nil {
		t.Fatal(err)
	}
	if rec.Format != history.FormatHAR {
		t.Errorf("format = %q", rec.Format)
	}
	want := syntheticSession()
	if rec.Len() != len(want) {
		t.Fatalf("imported %d exchanges, want %d", rec.Len(), len(want))
	}
	for i, w := range want {
		got, _ := rec.Exchange(i)
		if describe(got) != describe(w) || !bytes.Equal(got.RequestBody, w.RequestBody) || !bytes.Equal(got.ResponseBody, w.ResponseBody) {
			t.Errorf("exchange %d: got %s, want %s", i, describe(got), describe(w))
		}
		if got.Timing != w.Timing || len(got.Jar) != len(w.Jar) {
			t.Errorf("exchange %d lost timing or jar", i)
		}
	}
	if len(rec.Flows) != 2 || rec.Flows[1].First != 13 {
		t.Errorf("flows after import: %+v", rec.Flows)
	}
}

// chromeHAR is shaped like a devtools export of an authentik login: pseudo
// headers, an asset request, sizes written as -1.0 and null, no _akinspect.
const chromeHAR = `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[
{"startedDateTime":"2026-11-26T10:00:00.000Z","time":12.5,"request":{"method":"GET","url":"https://auth.example/if/flow/default-authentication-flow/?next=%2F","httpVersion":"h2","headers":[{"name":":authority","value":"auth.example"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"","httpVersion":"h2","headers":[{"name":"content-type","value":"text/html"}],"cookies":[{"name":"authentik_csrf","value":"c1","path":"/","domain":"auth.example"}],"content":{"size":20,"mimeType":"text/html","text":"<html>flow</html>"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"blocked":1,"dns":-1,"ssl":-1,"connect":-1,"send":0.5,"wait":10,"receive":1}},
{"startedDateTime":"2026-11-26T10:00:00.100Z","time":3,"request":{"method":"GET","url":"https://auth.example/static/dist/flow.js","httpVersion":"h2","headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"","httpVersion":"h2","headers":[],"cookies":[],"content":{"size":5,"mimeType":"application/javascript","text":"x=1;"},"redirectURL":"","headersSize":-1.0,"bodySize":null},"cache":{},"timings":{"send":1,"wait":1,"receive":1}},
{"startedDateTime":"2026-11-26T10:00:00.200Z","time":9,"request":{"method":"GET","url":"https://auth.example/api/v3/flows/executor/default-authentication-flow/?query=next%3D%252F","httpVersion":"h2","headers":[{"name":"accept","value":"application/json"}],"queryString":[{"name":"query","value":"next=%2F"}],"cookies":[{"name":"authentik_csrf","value":"c1"}],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"","httpVersion":"h2","headers":[{"name":"content-type","value":"application/json"}],"cookies":[{"name":"authentik_session","value":"s1","path":"/","domain":"auth.example","httpOnly":true}],"content":{"size":60,"mimeType":"application/json","text":"{\"component\":\"ak-stage-identification\",\"user_fields\":[\"username\"]}"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":1,"wait":7,"receive":1}},
{"startedDateTime":"2026-11-26T10:00:01.000Z","time":9,"request":{"method":"POST","url":"https://auth.example/api/v3/flows/executor/default-authentication-flow/?query=next%3D%252F","httpVersion":"h2","headers":[{"name":"content-type","value":"application/json"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":60,"postData":{"mimeType":"application/json","text":"{\"component\":\"ak-stage-identification\",\"uid_field\":\"alice\"}"}},"response":{"status":200,"statusText":"","httpVersion":"h2","headers":[],"cookies":[],"content":{"size":40,"mimeType":"application/json","text":"{\"component\":\"ak-stage-password\",\"pending_user\":\"alice\"}"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":1,"wait":7,"receive":1}}
]}}`

func TestImportBrowserHARKeepsFlowExchangesVisible(t *testing.T) {
	rec, err := Import(strings.NewReader(chromeHAR))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Len() != 4 {
		t.Fatalf("imported %d entries, want all 4", rec.Len())
	}
	if !rec.Summary(1).Hidden || rec.Summary(0).Hidden || rec.Summary(2).Hidden {
		t.Errorf("only the asset request should be hidden: %+v %+v %+v", rec.Summary(0), rec.Summary(1), rec.Summary(2))
	}
	if rec.Summary(2).Component != "ak-stage-identification" || rec.Summary(3).Component != "ak-stage-password" {
		t.Errorf("components not decoded: %q %q", rec.Summary(2).Component, rec.Summary(3).Component)
	}
	if rec.Header.BaseURL != "https://auth.example" || rec.Header.Flow != "default-authentication-flow" || rec.Header.Query != "next=%2F" {
		t.Errorf("header guessed from the HAR: %+v", rec.Header)
	}
	e, _ := rec.Exchange(2)
	if e.Kind != transport.KindExecutor || len(e.Jar) != 2 || e.RequestHeader.Get(":authority") != "" {
		t.Errorf("executor exchange: kind %s, jar %+v", e.Kind, e.Jar)
	}
	if e.Timing.Total == 0 {
		t.Error("timings were not read")
	}
}

func TestExportOfRedactedRecordingKeepsItsMarkers(t *testing.T) {
	path, w := historytest.WriteSession(t, history.WriterOptions{})
	w.Close()
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Export(&buf, rec, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{redact.Marker("password#2"), redact.Marker("cookie:authentik_session#2"), redact.Marker("token")} {
		if !bytes.Contains(buf.Bytes(), []byte(m)) {
			t.Errorf("re-redacting renamed or lost %s", m)
		}
	}
	if bytes.Contains(buf.Bytes(), []byte("«redacted:«")) {
		t.Error("a marker was redacted again inside another marker")
	}
}
