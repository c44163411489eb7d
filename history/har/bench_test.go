package har

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// writeManyRunsHAR writes the exchanges of writeManyRuns as a HAR file: as
// akinspect exports it, or (browser) without the _akinspect fields, as a
// browser's devtools save it, so that import rebuilds the jar itself.
func writeManyRunsHAR(b testing.TB, n int, browser bool) string {
	rec, err := history.Open(writeManyRuns(b, n, false))
	if err != nil {
		b.Fatal(err)
	}
	log := harLog{Version: "1.2", Creator: harCreator{Name: "bench", Version: "1"}}
	for i := 0; i < rec.Len(); i++ {
		e, err := rec.Exchange(i)
		if err != nil {
			b.Fatal(err)
		}
		en := harEntryFor(e)
		if browser {
			en.Akinspect = nil
		}
		log.Entries = append(log.Entries, en)
	}
	path := filepath.Join(b.TempDir(), "runs.har")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(harFile{Log: log}); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkOpenHAR100k measures Open of a HAR file of 100,000 entries in
// 12,500 flow runs, as akinspect exports it and as a browser saves it.
func BenchmarkOpenHAR100k(b *testing.B) {
	for _, browser := range []bool{false, true} {
		name := "akinspect"
		if browser {
			name = "browser"
		}
		b.Run(name, func(b *testing.B) {
			path := writeManyRunsHAR(b, 100_000, browser)
			runtime.GC()
			b.ReportAllocs()
			b.ResetTimer()
			var rec *history.Recording
			for i := 0; i < b.N; i++ {
				rec = nil
				var err error
				if rec, err = history.Open(path); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if rec.Len() != 100_000 || len(rec.Flows) != 12_500 {
				b.Fatalf("%d exchanges in %d runs", rec.Len(), len(rec.Flows))
			}
			rec = nil
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			peak := samplePeakHeap()
			rec, _ = history.Open(path)
			peakBytes := peak()
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(rec)
			b.ReportMetric(float64(peakBytes-min(before.HeapAlloc, peakBytes))/(1<<20), "peak-MB")
			b.ReportMetric(float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc))/(1<<20), "retained-MB")
			if st, err := os.Stat(path); err == nil {
				b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
			}
		})
	}
}

// writeManyRuns records n exchanges through the real Writer in runs of
// eight: a flow page GET, then seven exchanges of the synthetic login. Three
// runs in four are restarts (R: the page GET carries the jar's cookies);
// every fourth starts in a new session (N: the page GET goes out without
// cookies). With oldWriter the flow records lose their new_session key, as
// files from writers before it had, so Open must work the flag out itself.
func writeManyRuns(b testing.TB, n int, oldWriter bool) string {
	path := filepath.Join(b.TempDir(), "runs"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: base, Flow: "default-authentication-flow"}, history.WriterOptions{NoRedact: true, NoSync: true})
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
