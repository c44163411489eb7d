package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/curl"
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
	"github.com/akinspect/akinspect/transport"
)

// A server controls much of what the headless commands print: component
// names, response_errors, messages, request_id, 4xx details and bodies.
// None of it may reach the terminal raw.

// hostileServer answers the flow page with HTML and the executor with get
// (GET) and post (POST): a status, a content type and a body.
type reply struct {
	status int
	ctype  string
	body   string
}

func hostileServer(t *testing.T, get, post reply) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/if/flow/"):
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html><body>authentik</body></html>")
		case strings.HasPrefix(r.URL.Path, "/api/v3/flows/executor/"):
			rep := get
			if r.Method == http.MethodPost {
				rep = post
			}
			w.Header().Set("Content-Type", rep.ctype)
			w.WriteHeader(rep.status)
			_, _ = io.WriteString(w, rep.body)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/if/flow/hostile/"
}

func jsonReply(status int, v any) reply {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return reply{status, "application/json", string(b)}
}

// hostileRuns are server answers that put h in each piece of text run
// prints: exchange lines, results, errors, hints.
func hostileRuns(h string) []struct {
	name      string
	get, post reply
	args      []string
} {
	errs := map[string]any{"non_field_errors": []any{map[string]string{"string": h}}, h: []any{map[string]string{"string": h}}}
	unknown := "ak-stage-" + h
	return []struct {
		name      string
		get, post reply
		args      []string
	}{
		{name: "access denied", get: jsonReply(200, map[string]any{"component": flow.ComponentAccessDenied, "error_message": h, "flow_info": map[string]string{"title": h}})},
		{name: "flow error", get: jsonReply(200, map[string]any{"component": flow.ComponentFlowError, "request_id": h, "error": h, "traceback": h})},
		{name: "flow error, request_id only", get: jsonReply(200, map[string]any{"component": flow.ComponentFlowError, "request_id": h})},
		{name: "redirect", get: jsonReply(200, map[string]any{"component": flow.ComponentRedirect, "to": h})},
		{name: "unknown terminal-less component needs body", get: jsonReply(200, map[string]any{"component": unknown})},
		{name: "prompt needs a field", get: jsonReply(200, map[string]any{"component": flow.ComponentPrompt,
			"fields": []any{map[string]any{"field_key": h, "label": h, "type": "text", "required": true}}})},
		{name: "answer rejected", get: jsonReply(200, map[string]any{"component": unknown}),
			post: jsonReply(200, map[string]any{"component": unknown, "response_errors": errs}), args: []string{"--set", `body={"a":1}`}},
		{name: "4xx JSON detail", get: jsonReply(400, map[string]any{"detail": h})},
		{name: "403 JSON detail", get: jsonReply(403, map[string]any{"detail": h})},
		{name: "4xx JSON detail object", get: jsonReply(429, map[string]any{"detail": map[string]string{h: h}})},
		{name: "4xx text body", get: reply{418, "text/plain", h + "\n" + h}},
		{name: "5xx HTML title", get: reply{502, "text/html", "<html><title>" + h + "</title></html>"}},
		{name: "not JSON", get: reply{200, "text/plain", h}},
		{name: "JSON without component", get: jsonReply(200, map[string]any{h: h})},
	}
}

func TestRunPrintsServerTextSafely(t *testing.T) {
	for _, h := range append(append([]string(nil), termsafetest.Hostile...), termsafetest.All) {
		for _, tc := range hostileRuns(h) {
			url := hostileServer(t, tc.get, tc.post)
			code, out, errOut := runCLI(t, append([]string{"run", url}, tc.args...)...)
			if code == exitOK && tc.name != "redirect" {
				t.Errorf("%s %q: exit 0", tc.name, h)
			}
			for name, text := range map[string]string{"stdout": out, "stderr": errOut} {
				if bad := termsafetest.Find(text, false); bad != "" {
					t.Errorf("%s %q: %s: %s", tc.name, h, name, bad)
				}
			}
			// Where the text is printed as it came (not JSON- or Go-quoted),
			// the escape shows as ␛: the test did reach the printer.
			quoted := map[string]bool{"4xx JSON detail object": true, "5xx HTML title": true, "not JSON": true, "JSON without component": true}
			if !strings.Contains(out+errOut, "␛") && strings.Contains(h, "\x1b") && !quoted[tc.name] {
				t.Errorf("%s %q: the escape is not shown\nstdout: %s\nstderr: %s", tc.name, h, out, errOut)
			}
		}
	}
}

// hostileRecordingFile records an exchange with h in every field export
// --curl prints: method, URL, headers, cookies, body.
func hostileRecordingFile(t *testing.T, h string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hostile"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: "http://127.0.0.1:9", Flow: h, Started: time.Unix(0, 0)},
		history.WriterOptions{NoSync: true, NoRedact: true})
	if err != nil {
		t.Fatal(err)
	}
	x := &transport.Exchange{ID: 1, Kind: transport.KindExecutor, Method: h, Status: 200,
		URL:           "http://127.0.0.1:9/api/v3/flows/executor/" + h + "/?query=" + h,
		RequestHeader: http.Header{"X-" + h: {h}, "Cookie": {h + "=" + h}}, RequestBody: []byte(`{"a":"` + h + `"}`),
		Jar: []transport.Cookie{{Name: h, Value: h, Domain: "127.0.0.1", Path: "/"}}}
	if err := w.Write(x); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExportCurlQuotesCraftedText(t *testing.T) {
	for _, h := range append(append([]string(nil), termsafetest.Hostile...), termsafetest.All) {
		path := hostileRecordingFile(t, h)
		code, out, errOut := runCLI(t, "export", path, "--curl", "1")
		if code != exitOK {
			t.Fatalf("%q: exit %d: %s", h, code, errOut)
		}
		if bad := termsafetest.Find(out+errOut, false); bad != "" {
			t.Errorf("%q: %s\n%s", h, bad, out)
		}
		if !strings.Contains(out, "$'") {
			t.Errorf("%q: no $'…' quoting:\n%s", h, out)
		}
	}
}

func TestWarningsAndErrorsAreSafe(t *testing.T) {
	for _, h := range termsafetest.Hostile {
		var b bytes.Buffer
		exitCode(exitf(exitUsage, "stage %s: %v", h, errors.New(h)), &b)
		exitCode(&transport.Error{Kind: transport.ErrHTTP, Message: h, Hint: h}, &b)
		exitCode(transportExit(&transport.Error{Message: h + "\n" + h}), &b)
		exitCode(&missingAnswer{component: h, fields: []string{h, h}}, &b)
		if bad := termsafetest.Find(b.String(), false); bad != "" {
			t.Errorf("%q: %s", h, bad)
		}
		if strings.Count(b.String(), "\n") != 4 {
			t.Errorf("%q: want one line per error:\n%s", h, b.String())
		}
	}
}

// hostileReport is a replay report with h in every field Text prints.
func hostileReport(h string) *replay.Report {
	d := replay.Diff{Path: h, Want: h, Got: h}
	return &replay.Report{Flow: h, Target: h, Recorded: time.Unix(0, 0), Diverged: true, FirstDivergence: 1,
		Steps: []replay.StepResult{
			{Index: 1, Flow: h, Action: "answer " + h, Expected: h, Got: "ak-stage-" + h, Status: replay.StepDiverged, Note: h, Diffs: []replay.Diff{d, d}},
			{Index: 2, Flow: h, Action: h, Expected: h, Status: replay.StepNotRun},
			{Index: 3, Action: h, Status: replay.StepStatus(h), Note: h + "\n" + h},
		}}
}

// FuzzHeadlessPrinters feeds one arbitrary string to every headless
// printer: run's exchange lines, results, rejected answers and missing
// answers, the error line, the replay report, export --curl and ls's
// table. None may print anything a terminal acts on, and the one-line
// ones (an ls row too) stay one line.
func FuzzHeadlessPrinters(f *testing.F) {
	for _, h := range termsafetest.Hostile {
		f.Add(h)
	}
	f.Add(termsafetest.All)
	f.Add("\r\n\t\x00\x7f\xff\u2028")
	f.Add("'\\$`\"")
	f.Fuzz(func(t *testing.T, h string) {
		oneLine := func(what, s string) {
			t.Helper()
			if bad := termsafetest.Find(s, false); bad != "" {
				t.Fatalf("%s: %s", what, bad)
			}
			if strings.Contains(s, "\n") {
				t.Fatalf("%s: %q is not one line", what, s)
			}
		}
		x := &transport.Exchange{Kind: transport.KindExecutor, Method: h, Status: 200, Component: h, Flags: []string{h}, Error: h,
			RequestBody: []byte(`{"component":"` + h + `"}`), URL: h, RequestHeader: http.Header{h: {h}}}
		oneLine("exchange line", exchangeLine(x))
		x.Component, x.Status, x.Kind = "", 302, transport.KindExecutor
		oneLine("exchange line, POST", exchangeLine(x))

		body, _ := json.Marshal(map[string]any{"component": flow.ComponentPrompt, "response_errors": map[string]any{
			"non_field_errors": []any{map[string]string{"string": h}}, h: []any{map[string]string{"string": h}}}})
		if ch, err := flow.Decode(body); err == nil {
			oneLine("rejected", describeErrors(ch))
		}
		oneLine("missing", (&missingAnswer{component: h, fields: []string{h}}).Error())
		var errOut bytes.Buffer
		exitCode(&transport.Error{Message: h, Hint: h}, &errOut)
		oneLine("error", strings.TrimSuffix(errOut.String(), "\n"))

		for _, r := range []*flow.Result{
			{Outcome: flow.OutcomeSuccess, Headline: h, Message: h},
			{Outcome: flow.OutcomeError, Headline: h, Message: h, RequestID: h},
		} {
			var out bytes.Buffer
			d := &driver{out: &out}
			_ = d.finish(flow.Form{Component: h, Terminal: true, Result: r}, &transport.Step{Diagnosis: h})
			if bad := termsafetest.Find(out.String(), false); bad != "" {
				t.Fatalf("result: %s", bad)
			}
			if n := strings.Count(out.String(), "\n"); n > 2 {
				t.Fatalf("result spans %d lines: %q", n, out.String())
			}
		}
		if bad := termsafetest.Find(hostileReport(h).Text(), false); bad != "" {
			t.Fatalf("replay report: %s", bad)
		}
		curl := curl.Command(x, []transport.Cookie{{Name: h, Value: h}})
		if bad := termsafetest.Find(curl, false); bad != "" {
			t.Fatalf("curl: %s", bad)
		}
		var ls bytes.Buffer
		row := listed{path: h, server: h, flows: []string{h, h}, exchanges: 2, result: h}
		if err := printListing(&ls, []listed{row, row}); err != nil {
			t.Fatal(err)
		}
		if bad := termsafetest.Find(ls.String(), false); bad != "" {
			t.Fatalf("ls: %s", bad)
		}
		if n := strings.Count(ls.String(), "\n"); n != 3 {
			t.Fatalf("ls: %d lines for a header and two rows: %q", n, ls.String())
		}
	})
}

func TestReplayReportIsSafe(t *testing.T) {
	for _, h := range append(append([]string(nil), termsafetest.Hostile...), termsafetest.All) {
		text := hostileReport(h).Text()
		if bad := termsafetest.Find(text, false); bad != "" {
			t.Errorf("%q: %s\n%s", h, bad, text)
		}
		if got := strings.Count(text, "\n"); got != 16 {
			t.Errorf("%q: the report has %d lines, want 16:\n%s", h, got, text)
		}
	}
}
