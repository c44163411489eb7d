package har

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/internal/historytest"
)

// writeManyRunsHAR writes the exchanges of historytest.WriteManyRuns as a HAR file: as
// akinspect exports it, or (browser) without the _akinspect fields, as a
// browser's devtools save it, so that import rebuilds the jar itself.
func writeManyRunsHAR(b testing.TB, n int, browser bool) string {
	rec, err := history.Open(historytest.WriteManyRuns(b, n, false))
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
