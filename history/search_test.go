package history

import (
	"os"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// searchHits is rec.Search(q), failing the test on an error.
func searchHits(tb testing.TB, rec *Recording, q string) []Hit {
	tb.Helper()
	res, err := rec.Search(q)
	if err != nil {
		tb.Fatalf("Search(%q): %v", q, err)
	}
	return res.Hits
}

func TestSearchSaysWhenItHitsItsCap(t *testing.T) {
	exs := make([]*transport.Exchange, MaxHits+5)
	for i := range exs {
		exs[i] = &transport.Exchange{ID: i + 1, Method: "GET", URL: "https://ak.example/needle"}
	}
	rec := FromExchanges(Header{}, exs)
	res, err := rec.Search("needle")
	if err != nil || !res.Capped || len(res.Hits) != MaxHits {
		t.Fatalf("capped=%v hits=%d err=%v, want capped at %d", res.Capped, len(res.Hits), err, MaxHits)
	}
	res, err = FromExchanges(Header{}, exs[:3]).Search("needle")
	if err != nil || res.Capped || len(res.Hits) != 3 {
		t.Errorf("capped=%v hits=%d err=%v, want 3 uncapped", res.Capped, len(res.Hits), err)
	}
}

func TestSearchReturnsItsReadError(t *testing.T) {
	path, w := writeSession(t, WriterOptions{})
	w.Close()
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"password", `"uid_field"`} {
		if _, err := rec.Search(q); err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("Search(%q) on a removed file: err = %v", q, err)
		}
	}
}
