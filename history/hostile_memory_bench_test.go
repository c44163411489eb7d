package history

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// What a hostile server's body costs `akinspect run`: the recording
// client fetches it with a body cap and the Writer writes it, as run does.
// The server makes its body as it sends it, from a 64 KiB block, so that
// the input is not counted: the figures are what akinspect itself holds.

// hostileBodies are the two: 40 MB of control bytes (each one
// \u00XX in JSON, six times its size, were it written as text) and a gzip
// of some 4 MB that expands to 4 GiB of zeros.
var hostileBodies = []struct {
	name  string
	serve func(w http.ResponseWriter)
}{
	{"control-bytes-40MB", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(40e6))
		block := bytes.Repeat([]byte{0x01}, 64<<10)
		for sent := 0; sent < 40e6; sent += len(block) {
			if _, err := w.Write(block[:min(len(block), 40e6-sent)]); err != nil {
				return // the client stopped reading
			}
		}
	}},
	{"gzip-bomb-4GiB", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		start, block := zerosGzip()
		if _, err := w.Write(start); err != nil {
			return
		}
		for i := 1; i < (4<<30)/(64<<10); i++ {
			if _, err := w.Write(block); err != nil {
				return // the client stopped reading
			}
		}
	}},
}

// zerosGzip is a gzip stream of 64 KiB zero blocks, without compressing
// gigabytes: start is the header and the first block; block, flushed
// after the first, decodes to 64 KiB more zeros wherever it follows start
// or itself (its back-references reach only zeros), so the server sends
// it again and again. The stream never ends (no trailer): the client
// stops reading long before.
func zerosGzip() (start, block []byte) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zeros := make([]byte, 64<<10)
	_, _ = zw.Write(zeros)
	_ = zw.Flush()
	start = bytes.Clone(buf.Bytes())
	buf.Reset()
	_, _ = zw.Write(zeros)
	_ = zw.Flush()
	return start, bytes.Clone(buf.Bytes())
}

// memoryCost is what fn cost: allocated is every byte it allocated (an
// upper bound on how much its live heap grew, whatever the garbage
// collector's timing); peakHeap the highest live heap sampled meanwhile
// (every millisecond, so a lower bound) over the heap before; peakRSS the
// process's peak resident size while it ran (VmHWM, reset before), 0
// where Linux does not tell.
type memoryCost struct{ allocated, peakHeap, peakRSS uint64 }

func measure(fn func()) memoryCost {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rssReset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	stop := samplePeakHeap()
	fn()
	peak := stop()
	runtime.ReadMemStats(&after)
	c := memoryCost{allocated: after.TotalAlloc - before.TotalAlloc}
	if peak > before.HeapAlloc {
		c.peakHeap = peak - before.HeapAlloc
	}
	if rssReset {
		c.peakRSS = vmHWM()
	}
	return c
}

// vmHWM is the process's peak resident size in bytes, 0 when unknown.
func vmHWM() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// fetchAndRecord is `akinspect run`'s first request against srv with the
// given body cap, recorded to a file in dir; it returns the exchange.
func fetchAndRecord(tb testing.TB, srv *httptest.Server, bodyCap int64, dir string) *transport.Exchange {
	client, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: "f", BodyCap: bodyCap})
	if err != nil {
		tb.Fatal(err)
	}
	w, err := Create(filepath.Join(dir, "r"+Extension), Header{BaseURL: srv.URL, Flow: "f"}, WriterOptions{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	stop := w.Observe(client.Recorder())
	_, _ = client.Challenge(context.Background())
	stop()
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	xs := client.Recorder().Exchanges()
	if len(xs) == 0 {
		tb.Fatal("no exchange")
	}
	return xs[len(xs)-1]
}

// memoryConstant is the "plus a constant" of the bound: the
// client, its HTTP transport, the server in this process, the Writer's
// buffers, the recording's index.
const memoryConstant = 4 << 20

// The goal, checked without timing: everything fetching and
// recording a hostile body allocates (a bound on its peak heap whatever
// the collector does) stays within three times the body cap plus a
// constant, at the default cap and at the largest.
func TestHostileBodyMemoryIsBoundedByTheCap(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches 80 MB and more from a local server")
	}
	for _, body := range hostileBodies {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { body.serve(w) }))
		for _, bodyCap := range []int64{transport.DefaultBodyCap, transport.MaxBodyCap} {
			dir := t.TempDir()
			fetchAndRecord(t, srv, bodyCap, dir) // warm: connections, buffers
			var x *transport.Exchange
			c := measure(func() { x = fetchAndRecord(t, srv, bodyCap, filepath.Join(dir, "2")) })
			bound := uint64(3*bodyCap + memoryConstant)
			t.Logf("%s, cap %d MiB: allocated %.1f MiB, peak heap +%.1f MiB, peak RSS %.0f MiB (bound %.1f MiB)",
				body.name, bodyCap>>20, mib(c.allocated), mib(c.peakHeap), mib(c.peakRSS), mib(bound))
			if c.allocated > bound {
				t.Errorf("%s, cap %d MiB: allocated %.1f MiB, over 3 x the cap plus %d MiB",
					body.name, bodyCap>>20, mib(c.allocated), memoryConstant>>20)
			}
			// The body did reach the cap: the measure is of a body cut there.
			if !x.Truncated || int64(len(x.ResponseBody)) != bodyCap || x.BodySize < 2*bodyCap {
				t.Fatalf("%s, cap %d MiB: the body is not cut at the cap (%d bytes of %d, truncated %v)",
					body.name, bodyCap>>20, len(x.ResponseBody), x.BodySize, x.Truncated)
			}
		}
		srv.Close()
	}
}

// Opening a recording whose exchange holds a body at the cap, and reading
// that exchange back (as the TUI does when it is selected), stays within
// the same bound: the line is indexed from its summary, then read once and
// its body decoded from it.
func TestOpenBodyAtTheCapMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches, writes and reads a body at the cap")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hostileBodies[0].serve(w) }))
	defer srv.Close()
	dir := t.TempDir()
	fetchAndRecord(t, srv, transport.DefaultBodyCap, dir)
	path := filepath.Join(dir, "r"+Extension)
	var n int
	c := measure(func() {
		rec, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		x, err := rec.Exchange(0)
		if err != nil {
			t.Fatal(err)
		}
		n = len(x.ResponseBody)
	})
	if n != transport.DefaultBodyCap {
		t.Fatalf("read back a body of %d bytes, want the cap", n)
	}
	bound := uint64(3*transport.DefaultBodyCap + memoryConstant)
	t.Logf("open and read a body at the %d MiB cap: allocated %.1f MiB, peak heap +%.1f MiB (bound %.1f MiB)",
		transport.DefaultBodyCap>>20, mib(c.allocated), mib(c.peakHeap), mib(bound))
	if c.allocated > bound {
		t.Errorf("opening allocated %.1f MiB, over 3 x the cap plus %d MiB", mib(c.allocated), memoryConstant>>20)
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

// BenchmarkHostileBodyMemory reports the figures of
// TestHostileBodyMemoryIsBoundedByTheCap for BENCHMARKS.md: per hostile
// body, at the default cap, the bytes allocated, the peak live heap over
// the heap before, and the process's peak RSS, in MiB.
func BenchmarkHostileBodyMemory(b *testing.B) {
	for _, body := range hostileBodies {
		b.Run(body.name, func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { body.serve(w) }))
			defer srv.Close()
			var worst memoryCost
			for i := 0; i < b.N; i++ {
				dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
				c := measure(func() { fetchAndRecord(b, srv, transport.DefaultBodyCap, dir) })
				worst = memoryCost{max(worst.allocated, c.allocated), max(worst.peakHeap, c.peakHeap), max(worst.peakRSS, c.peakRSS)}
			}
			b.ReportMetric(mib(worst.allocated), "alloc-MiB")
			b.ReportMetric(mib(worst.peakHeap), "peak-heap-MiB")
			b.ReportMetric(mib(worst.peakRSS), "peak-RSS-MiB")
			b.ReportMetric(float64(transport.DefaultBodyCap)/(1<<20), "cap-MiB")
		})
	}
	b.Run("open-body-at-cap", benchmarkOpenBodyAtTheCap)
}

// benchmarkOpenBodyAtTheCap: opening a recording whose one exchange holds
// a body at the default cap (40 MB of control bytes cut there, written
// as base64) and reading that exchange back, as the TUI does when it is
// selected.
func benchmarkOpenBodyAtTheCap(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hostileBodies[0].serve(w) }))
	defer srv.Close()
	dir := b.TempDir()
	fetchAndRecord(b, srv, transport.DefaultBodyCap, dir)
	path := filepath.Join(dir, "r"+Extension)
	var worst memoryCost
	for i := 0; i < b.N; i++ {
		c := measure(func() {
			rec, err := Open(path)
			if err != nil {
				b.Fatal(err)
			}
			x, err := rec.Exchange(0)
			if err != nil || len(x.ResponseBody) != transport.DefaultBodyCap {
				b.Fatalf("read back %d bytes (%v), want the cap", len(x.ResponseBody), err)
			}
		})
		worst = memoryCost{max(worst.allocated, c.allocated), max(worst.peakHeap, c.peakHeap), max(worst.peakRSS, c.peakRSS)}
	}
	b.ReportMetric(mib(worst.allocated), "alloc-MiB")
	b.ReportMetric(mib(worst.peakHeap), "peak-heap-MiB")
	b.ReportMetric(mib(worst.peakRSS), "peak-RSS-MiB")
	b.ReportMetric(float64(transport.DefaultBodyCap)/(1<<20), "cap-MiB")
}
