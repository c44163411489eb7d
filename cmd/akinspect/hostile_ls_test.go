package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
	"github.com/akinspect/akinspect/transport"
)

// craftedRecordings writes into dir what a file someone sent may hold:
// a recording whose server, flow slugs, flow title and last component
// hold h, named with h too, and a file that does not open, whose error
// quotes h.
func craftedRecordings(t *testing.T, dir, h string) {
	t.Helper()
	path := filepath.Join(dir, "crafted-"+h+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: "http://" + h + ".example", Flow: h, Started: time.Unix(0, 0)},
		history.WriterOptions{NoSync: true, NoRedact: true})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"component": "ak-stage-" + h, "flow_info": map[string]string{"title": h}})
	for i, slug := range []string{h, "other-" + h} {
		x := &transport.Exchange{ID: i + 1, Flow: slug, Kind: transport.KindExecutor, Method: http.MethodGet, Status: 200,
			URL: "http://" + h + ".example/api/v3/flows/executor/" + slug + "/", Component: "ak-stage-" + h,
			ResponseBody: body, Start: time.Unix(int64(i), 0)}
		if err := w.Write(x); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken-"+h+history.Extension), []byte(`{"akinspect_recording":"`+h+`"}`+"\n"+h), 0o600); err != nil {
		t.Fatal(err)
	}
}

// ls prints what files hold (their names too): none of a crafted
// recording's escapes, clipboard writes, C1 controls or bidi overrides
// reach the terminal, and each row stays one line.
func TestLsPrintsCraftedRecordingsSafely(t *testing.T) {
	for _, h := range append(append([]string(nil), termsafetest.Hostile...), termsafetest.All) {
		dir := t.TempDir()
		craftedRecordings(t, dir, h)
		code, out, errOut := runCLI(t, "ls", dir)
		if code != exitOK {
			t.Fatalf("%q: exit %d\n%s", h, code, errOut)
		}
		if bad := termsafetest.Find(out+errOut, false); bad != "" {
			t.Errorf("%q: %s\n%s", h, bad, out)
		}
		if lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); len(lines) != 3 {
			t.Errorf("%q: want a header and two rows:\n%s", h, out)
		}
		// The text did reach the printer, made visible.
		if strings.Contains(h, "\x1b") && strings.Count(out, "␛") < 4 {
			t.Errorf("%q: the escape is not shown in server, flows, result and file:\n%s", h, out)
		}
		if !strings.Contains(out, "  at "+termsafe.Line(flow.ShortComponent("ak-stage-"+h))+"  ") {
			t.Errorf("%q: the result column is not the last component:\n%s", h, out)
		}
	}
}
