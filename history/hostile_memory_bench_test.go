package history

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// peakHeap runs fn and returns the highest live heap seen meanwhile.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	stop := samplePeakHeap()
	fn()
	return stop()
}

// BenchmarkHostileBodyMemory: one executor exchange with a hostile body,
// fetched by the recording client with the default body cap and written to
// a recording, as `akinspect run` does. Reports the peak live heap in MB
// (the goal: ≤ 3 × the cap plus a constant, whatever the server sends).
func BenchmarkHostileBodyMemory(b *testing.B) {
	controls := bytes.Repeat([]byte{0x01}, 40<<20)
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	chunk := make([]byte, 1<<20)
	for i := 0; i < 4096; i++ { // 4 GiB of zeros, about 4 MB on the wire
		_, _ = zw.Write(chunk)
	}
	_ = zw.Close()
	cases := []struct {
		name  string
		serve func(w http.ResponseWriter)
	}{
		{"control-bytes-40MB", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(controls)
		}},
		{"gzip-bomb-4GiB", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(bomb.Bytes())
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.serve(w) }))
			defer srv.Close()
			var peak uint64
			for i := 0; i < b.N; i++ {
				p := peakHeap(func() {
					client, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: "f"})
					if err != nil {
						b.Fatal(err)
					}
					path := filepath.Join(b.TempDir(), "r"+Extension)
					w, err := Create(path, Header{BaseURL: srv.URL, Flow: "f"}, WriterOptions{})
					if err != nil {
						b.Fatal(err)
					}
					stop := w.Observe(client.Recorder())
					_, _ = client.Challenge(context.Background())
					stop()
					_ = w.Close()
				})
				peak = max(peak, p)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(transport.DefaultBodyCap)/(1<<20), "cap-MiB")
		})
	}
}
