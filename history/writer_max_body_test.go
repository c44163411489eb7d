package history

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// worstText is n bytes of the body that grows most when written as JSON
// text: four quotes (\" each) and one control byte (\u00XX), so that
// controls are exactly a fifth and it is still written as text, at 2.8
// times its size.
func worstText(n int) []byte {
	return bytes.Repeat([]byte("\"\"\"\"\x01"), n/5+1)[:n]
}

// A recording akinspect writes always reads back: a client with the
// largest body cap fetches a body over it that grows most when written,
// with a header block near its limit that grows too, and the recording
// opens with the default limits and gives back the body and headers.
func TestLineAtTheLargestBodyCapReadsBack(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a line of some 50 MB")
	}
	body := worstText(transport.MaxBodyCap + 1000)
	header := strings.Repeat(`"\`, transport.MaxHeaderBytes/2-8<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Quoted", header)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	rt, err := transport.HTTPTransport("", false)
	if err != nil {
		t.Fatal(err)
	}
	client, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: "f", BodyCap: 1 << 40, Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	if got := client.Config().BodyCap; got != transport.MaxBodyCap {
		t.Fatalf("a client asked for a 1 TiB cap has %d, want MaxBodyCap", got)
	}
	path := filepath.Join(t.TempDir(), "r"+Extension)
	w, err := Create(path, Header{BaseURL: srv.URL, Flow: "f"}, WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(client.Recorder())
	_, _ = client.Challenge(context.Background())
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Warnings) > 0 || rec.Len() != 1 || rec.Oversized(0) {
		t.Fatalf("%d exchanges, oversized %v, warnings %q", rec.Len(), rec.Len() > 0 && rec.Oversized(0), rec.Warnings)
	}
	x, err := rec.Exchange(0)
	if err != nil {
		t.Fatal(err)
	}
	if !x.Truncated || !bytes.Equal(x.ResponseBody, body[:transport.MaxBodyCap]) || x.ResponseHeader.Get("X-Quoted") != header {
		t.Fatalf("read back: truncated %v, body %d bytes (want the first %d), header kept %v",
			x.Truncated, len(x.ResponseBody), transport.MaxBodyCap, x.ResponseHeader.Get("X-Quoted") == header)
	}
	if n := lineLength(t, path); n <= 2*transport.MaxBodyCap {
		t.Fatalf("the line is %d bytes: not the worst case the test means", n)
	}
}

// lineLength is the length of the longest line of the file at path.
func lineLength(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	longest := 0
	for _, l := range bytes.Split(data, []byte("\n")) {
		longest = max(longest, len(l))
	}
	return longest
}
