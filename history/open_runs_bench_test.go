package history

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/transport"
)

// writeManyRuns records n exchanges through the real Writer in runs of
// eight: a flow page GET, then seven exchanges of the synthetic login. Three
// runs in four are restarts (R: the page GET carries the jar's cookies);
// every fourth starts in a new session (N: the page GET goes out without
// cookies). With oldWriter the flow records lose their new_session key, as
// files from writers before it had, so Open must work the flag out itself.
func writeManyRuns(b testing.TB, n int, oldWriter bool) string {
	path := filepath.Join(b.TempDir(), "runs"+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "default-authentication-flow"}, WriterOptions{NoRedact: true, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	login := syntheticSession()[1:8] // executor GET … password POST and its redirect
	jar := login[0].Jar
	html := "<!DOCTYPE html><html><head>" + strings.Repeat(`<link rel="stylesheet" href="/static/dist/x.css">`, 60) + "</head><body><ak-flow-executor></ak-flow-executor></body></html>"
	t0 := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		var e transport.Exchange
		if i%8 == 0 {
			h := http.Header{"Accept": {"text/html"}}
			if (i/8)%4 != 3 {
				h.Set("Cookie", "authentik_session="+secretSession+"; authentik_csrf="+secretCSRF)
			}
			e = transport.Exchange{
				Flow: "default-authentication-flow", Kind: transport.KindPage, Method: "GET",
				URL: base + "/if/flow/default-authentication-flow/?next=%2F", RequestHeader: h, Status: 200, Proto: "HTTP/1.1",
				ResponseHeader: http.Header{"Content-Type": {"text/html"}}, ResponseBody: []byte(html), BodySize: int64(len(html)), Jar: jar,
			}
		} else {
			e = *login[i%8-1]
		}
		e.ID = i + 1
		e.Start = t0.Add(time.Duration(i) * time.Millisecond)
		if err := w.Write(&e); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	if oldWriter {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte(`,"new_session":true`), nil)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return path
}

// BenchmarkOpen100kRuns measures Open of 100,000 exchanges in 12,500 flow
// runs: the run analysis (which run began with an emptied jar) looks at
// every run's page GET. "writer": the flow records say which runs are new
// sessions; "old-writer": they do not, and Open works it out from the page
// GET's Cookie header and the jar before it.
func BenchmarkOpen100kRuns(b *testing.B) {
	for _, old := range []bool{false, true} {
		name := "writer"
		if old {
			name = "old-writer"
		}
		b.Run(name, func(b *testing.B) {
			path := writeManyRuns(b, 100_000, old)
			b.ReportAllocs()
			b.ResetTimer()
			var rec *Recording
			for i := 0; i < b.N; i++ {
				var err error
				if rec, err = Open(path); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if len(rec.Flows) != 12_500 {
				b.Fatalf("%d flow runs, want 12,500", len(rec.Flows))
			}
			fresh := 0
			for _, f := range rec.Flows {
				if f.NewSession {
					fresh++
				}
			}
			if fresh != 3_125 {
				b.Fatalf("%d runs in a new session, want 3,125", fresh)
			}
			rec = nil
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			peak := samplePeakHeap()
			rec, _ = Open(path)
			peakBytes := peak()
			runtime.KeepAlive(rec)
			b.ReportMetric(float64(peakBytes-min(before.HeapAlloc, peakBytes))/(1<<20), "peak-MB")
			if st, err := os.Stat(path); err == nil {
				b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
			}
		})
	}
}
