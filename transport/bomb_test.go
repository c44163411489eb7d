package transport

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// gzipBomb is n zero bytes, gzipped (about n/1000 on the wire).
func gzipBomb(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	chunk := make([]byte, 1<<20)
	for written := 0; written < n; written += len(chunk) {
		if _, err := zw.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A small gzip that expands far past the cap: the cap applies to the
// decoded body, counting stops at twice the cap, and what the exchange
// allocates stays near the cap, not near the expanded size.
func TestGzipBombIsBoundedByTheCap(t *testing.T) {
	const capBytes = 1 << 20
	bomb := gzipBomb(t, 32<<20) // 32× the cap
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(bomb)
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.BodyCap = capBytes })
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	step, err := c.Challenge(bg())
	runtime.ReadMemStats(&after)
	failedStep(t, c, step, err, ErrTruncatedJSON)
	ex := step.Last()
	if len(ex.ResponseBody) != capBytes || ex.BodySize != 2*capBytes || !ex.Truncated {
		t.Errorf("kept %d, counted %d, truncated %v: want the cap kept and counting stopped at twice the cap",
			len(ex.ResponseBody), ex.BodySize, ex.Truncated)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %.1f MiB", float64(alloc)/(1<<20))
	if alloc > 3*capBytes+(2<<20) && !raceEnabled {
		t.Errorf("the exchange allocated %d MiB for a %d MiB cap, want ≤ 3× the cap plus 2 MiB", alloc>>20, capBytes>>20)
	}
}

// More than 3000 Set-Cookie headers make Go keep none, the session cookie
// included: the exchange says so instead of losing the session silently.
func TestThousandsOfSetCookiesAreFlagged(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "s1", Path: "/"})
		for i := 0; i < 3001; i++ {
			w.Header().Add("Set-Cookie", "junk"+strconv.Itoa(i)+"=x; Path=/")
		}
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL)
	step, err := c.Challenge(bg())
	if err != nil {
		t.Fatal(err)
	}
	ex := step.Last()
	if !ex.Has(FlagCookiesDropped) || !strings.Contains(ex.Diagnosis, "3002 Set-Cookie") {
		t.Errorf("flags %v diagnosis %q: want the dropped cookies named", ex.Flags, ex.Diagnosis)
	}
}
