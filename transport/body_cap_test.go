package transport

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A body cap over MaxBodyCap is lowered to it: no client writes an
// exchange line that history cannot read back.
func TestBodyCapIsAtMostMaxBodyCap(t *testing.T) {
	for _, asked := range []int64{0, 1, DefaultBodyCap, MaxBodyCap, MaxBodyCap + 1, 1 << 40} {
		c := newTestClient(t, "http://127.0.0.1:9", func(cfg *Config) { cfg.BodyCap = asked })
		want := min(asked, MaxBodyCap)
		if asked == 0 {
			want = DefaultBodyCap
		}
		if got := c.Config().BodyCap; got != want {
			t.Errorf("BodyCap %d: the client has %d, want %d", asked, got, want)
		}
	}
}

// A header block over MaxHeaderBytes is refused, not kept: the headers
// are in the recording line too, which must stay readable.
func TestHeaderBlockOverTheLimitIsRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("x", MaxHeaderBytes+1))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"component":"ak-stage-identification"}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	_, err := c.Challenge(bg())
	if err == nil {
		t.Fatal("a response with more than MaxHeaderBytes of headers was taken")
	}
}
