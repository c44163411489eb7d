package transport

import (
	"net/http"
	"testing"
)

// The executor URL is built once per flow; a followed redirect must still
// record the URL it actually requested, not the executor's.
func TestRedirectHopRecordsItsOwnURL(t *testing.T) {
	f := newFakeAK(t)
	f.mux.HandleFunc("/api/v3/flows/elsewhere/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, identification())
	})
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/api/v3/flows/elsewhere/?x=1")
		w.WriteHeader(http.StatusFound)
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Query = "next=/app/" })
	step, err := c.Challenge(bg())
	if err != nil {
		t.Fatal(err)
	}
	if len(step.Exchanges) != 2 {
		t.Fatalf("want the GET and its redirect, got %d exchanges", len(step.Exchanges))
	}
	first, hop := step.Exchanges[0], step.Exchanges[1]
	if want := f.URL + "/api/v3/flows/executor/" + testSlug + "/?query=next%3D%2Fapp%2F"; first.URL != want {
		t.Errorf("executor exchange URL %q, want %q", first.URL, want)
	}
	if want := f.URL + "/api/v3/flows/elsewhere/?x=1"; hop.URL != want {
		t.Errorf("redirect exchange URL %q, want %q", hop.URL, want)
	}

	// Switching flows rebuilds the executor URL.
	c.UseFlow("other-flow", "a=b")
	step, _ = c.Challenge(bg())
	if want := f.URL + "/api/v3/flows/executor/other-flow/?query=a%3Db"; step.Exchanges[0].URL != want {
		t.Errorf("after UseFlow: URL %q, want %q", step.Exchanges[0].URL, want)
	}
}
