package history

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// writeBig records n exchanges by cycling the synthetic session.
func writeBig(b testing.TB, n int) string {
	path := filepath.Join(b.TempDir(), "big"+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "default-authentication-flow"}, WriterOptions{NoRedact: true, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	session := syntheticSession()
	for i := 0; i < n; i++ {
		e := *session[i%len(session)]
		e.ID = i + 1
		if err := w.Write(&e); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkOpen100k measures the time to a ready Recording of 100,000
// exchanges (timeline summaries indexed, bodies left on disk) and the heap
// the Recording keeps (retained-MB).
func BenchmarkOpen100k(b *testing.B) {
	path := writeBig(b, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	var rec *Recording
	for i := 0; i < b.N; i++ {
		var err error
		if rec, err = Open(path); err != nil {
			b.Fatal(err)
		}
		if rec.Len() != 100_000 {
			b.Fatalf("opened %d exchanges", rec.Len())
		}
	}
	b.StopTimer()
	rec = nil
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := samplePeakHeap()
	rec, _ = Open(path)
	peakBytes := peak()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(rec)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "retained-MB")
	b.ReportMetric(float64(peakBytes-before.HeapAlloc)/(1<<20), "peak-MB")
	if st, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
	}
}

// BenchmarkSearch100k measures a search over every stored body.
func BenchmarkSearch100k(b *testing.B) {
	rec, err := Open(writeBig(b, 100_000))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if hits := searchHits(b, rec, "Invalid password"); len(hits) == 0 {
			b.Fatal("no hits")
		}
	}
}
