package transport

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// fakeAK is a minimal authentik for one flow: the page sets authentik_csrf,
// the executor answers with whatever challenge the test sets.
type fakeAK struct {
	*httptest.Server
	mux *http.ServeMux
}

const testSlug = "default-authentication-flow"

func newFakeAK(t *testing.T) *fakeAK {
	t.Helper()
	f := &fakeAK{mux: http.NewServeMux()}
	f.mux.HandleFunc("GET /if/flow/{slug}/", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("slug") != testSlug {
			notFoundHTML(w)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: "csrf-token-1", Path: "/", MaxAge: 3600, SameSite: http.SameSiteLaxMode})
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><head><title>authentik</title></head></html>"))
	})
	f.Server = httptest.NewServer(f.mux)
	t.Cleanup(f.Close)
	return f
}

func notFoundHTML(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Not Found</title></head><body>Not Found</body></html>"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func identification() map[string]any {
	return map[string]any{
		"component":   "ak-stage-identification",
		"flow_info":   map[string]any{"title": "Welcome", "cancel_url": "/flows/-/cancel/"},
		"user_fields": []string{"username", "email"},
	}
}

// executor serves GET (and POST) of the test flow's executor.
func (f *fakeAK) executor(h http.HandlerFunc) {
	f.mux.HandleFunc("/api/v3/flows/executor/"+testSlug+"/", h)
}

func newTestClient(t *testing.T, base string, mods ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: base, Flow: testSlug}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func asError(t *testing.T, err error, kind ErrorKind) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *transport.Error of kind %s, got %T %v", kind, err, err)
	}
	if e.Kind != kind {
		t.Fatalf("want error kind %s, got %s: %v", kind, e.Kind, e)
	}
	return e
}

func bg() context.Context { return context.Background() }

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
