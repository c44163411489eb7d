package transport

import (
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// failedStep checks what every failure must give: the error, and the failed
// exchange recorded with the error and the error flag.
func failedStep(t *testing.T, c *Client, step *Step, err error, kind ErrorKind) *Error {
	t.Helper()
	e := asError(t, err, kind)
	last := step.Last()
	if last == nil {
		t.Fatal("the failed exchange is missing from Step.Exchanges")
	}
	if !last.Failed() || !last.Has(FlagError) {
		t.Errorf("failed exchange not marked: error %q flags %v", last.Error, last.Flags)
	}
	if got := c.Recorder().Exchanges(); len(got) == 0 || got[len(got)-1] != last {
		t.Error("the failed exchange was not recorded")
	}
	if step.Challenge != nil {
		t.Error("a failed step has a challenge")
	}
	return e
}

func TestConnectionRefusedSaysIsAuthentikRunning(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := newTestClient(t, "http://"+addr)
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrRefused)
	if !strings.Contains(e.Hint, "is authentik running at "+addr) {
		t.Errorf("hint %q does not ask whether authentik runs at %s", e.Hint, addr)
	}
	if step.Last().Status != 0 {
		t.Error("status set without a response")
	}
}

func tlsFlowServer(t *testing.T) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/if/flow/") {
			_, _ = w.Write([]byte("<html></html>"))
			return
		}
		writeJSON(w, 200, identification())
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestTLSUnknownCAThenCAFileThenInsecure(t *testing.T) {
	srv := tlsFlowServer(t)

	c := newTestClient(t, srv.URL)
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrTLS)
	if e.Hint != "pass --ca-file FILE, or --insecure to skip verification" {
		t.Errorf("hint = %q", e.Hint)
	}
	if !strings.Contains(e.Message, "unknown authority") {
		t.Errorf("message %q does not name the unknown authority", e.Message)
	}

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	c = newTestClient(t, srv.URL, func(cfg *Config) { cfg.CAFile = caFile })
	step, err = c.Start(bg())
	if err != nil {
		t.Fatalf("with --ca-file: %v", err)
	}
	if step.Challenge.Component != "ak-stage-identification" {
		t.Errorf("component = %q", step.Challenge.Component)
	}
	if step.Last().Timing.TLS == 0 && step.Exchanges[0].Timing.TLS == 0 {
		t.Error("no TLS handshake time recorded")
	}

	c = newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true })
	if _, err := c.Start(bg()); err != nil {
		t.Fatalf("with --insecure: %v", err)
	}
}

func TestCAFileWithoutPEMIsRejected(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "ca.pem")
	_ = os.WriteFile(bad, []byte("not a certificate"), 0o600)
	if _, err := New(Config{BaseURL: "https://127.0.0.1:1", Flow: testSlug, CAFile: bad}); err == nil ||
		!strings.Contains(err.Error(), "no PEM") {
		t.Fatalf("want a no-PEM error, got %v", err)
	}
}

func TestTimeoutIsReportedAsTimeout(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Timeout = 50 * time.Millisecond })
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrTimeout)
	if !strings.Contains(e.Message, "within 50ms") {
		t.Errorf("message %q does not say how long it waited", e.Message)
	}
	if step.Last().Has(FlagCancelled) || !step.Last().Has(FlagTimeout) {
		t.Errorf("flags %v: a timeout is flagged as one, not as a cancellation", step.Last().Flags)
	}
}

func TestUnknownSlugIsNotFoundFromThePage(t *testing.T) {
	f := newFakeAK(t)
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Flow = "no-such-flow" })
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrNotFound)
	if !strings.Contains(e.Message, `no flow "no-such-flow"`) || e.Status != 404 {
		t.Errorf("error = %v (status %d)", e, e.Status)
	}
	if len(step.Exchanges) != 1 || step.Last().Kind != KindPage {
		t.Errorf("want only the page exchange, got %d", len(step.Exchanges))
	}
}

func TestMissingTrailingSlashIsNamed(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/api/v3/flows/executor/"+testSlug+"?query=", http.StatusFound)
	})
	f.mux.HandleFunc("/api/v3/flows/executor/"+testSlug, func(w http.ResponseWriter, r *http.Request) { notFoundHTML(w) })
	c := newTestClient(t, f.URL)
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrNotFound)
	if e.Hint != "check the URL path ends with /" || !strings.Contains(e.Message, "trailing slash") {
		t.Errorf("error = %v", e)
	}
}

func TestProxyErrorPageShowsTitle(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"))
	})
	c := newTestClient(t, f.URL)
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrServer)
	if !strings.Contains(e.Message, `"502 Bad Gateway"`) || e.Status != 502 {
		t.Errorf("error = %v", e)
	}
}

func TestHTMLWith200IsNotJSON(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><head><title>Sign in - Corp SSO</title></head></html>"))
	})
	c := newTestClient(t, f.URL)
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrNotJSON)
	if !strings.Contains(e.Message, "Sign in - Corp SSO") {
		t.Errorf("message %q does not show the page title", e.Message)
	}
}

func TestTruncatedJSON(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"component": "ak-stage-identification", "user_fields": ["user`))
	})
	c := newTestClient(t, f.URL)
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrTruncatedJSON)
	if !strings.Contains(e.Message, "ends early") {
		t.Errorf("message = %q", e.Message)
	}
}

func TestForbiddenShowsDetail(t *testing.T) {
	f := newFakeAK(t)
	f.mux.HandleFunc("/api/v3/flows/instances/"+testSlug+"/execute/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, map[string]string{"detail": "Token invalid/expired"})
	})
	f.mux.HandleFunc("/api/v3/flows/inspector/"+testSlug+"/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, map[string]string{"detail": "You do not have permission to perform this action."})
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Token = "bad" })
	step, err := c.Start(bg())
	e := failedStep(t, c, step, err, ErrForbidden)
	if !strings.Contains(e.Message, "Token invalid/expired") || step.Last().Kind != KindExecute {
		t.Errorf("execute: %v (kind %s)", e, step.Last().Kind)
	}

	_, ex, err := c.Inspect(bg())
	e = asError(t, err, ErrForbidden)
	if !strings.Contains(e.Message, "You do not have permission") || ex == nil || ex.Kind != KindInspector || !ex.Failed() {
		t.Errorf("inspector: %v", e)
	}
}

func TestInspectorWithoutPlanIs400WithHint(t *testing.T) {
	f := newFakeAK(t)
	f.mux.HandleFunc("/api/v3/flows/inspector/"+testSlug+"/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
	})
	c := newTestClient(t, f.URL)
	_, _, err := c.Inspect(bg())
	e := asError(t, err, ErrHTTP)
	if e.Status != 400 || !strings.Contains(e.Hint, "start the flow first") {
		t.Errorf("error = %v", e)
	}
}

func TestTooManyRedirectsStops(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxRedirects = 3 })
	step, err := c.Challenge(bg())
	e := failedStep(t, c, step, err, ErrRedirects)
	if !strings.Contains(e.Message, "limit 3") || !strings.Contains(e.Hint, "--max-redirects") {
		t.Errorf("message = %q, hint = %q: want the limit and the flag that raises it", e.Message, e.Hint)
	}
	// The first request plus three followed hops; the fourth 302 is the failure.
	if len(step.Exchanges) != 4 {
		t.Errorf("want 4 exchanges, got %d", len(step.Exchanges))
	}
}

func TestBodyCapTruncatesAndKeepsFullSize(t *testing.T) {
	f := newFakeAK(t)
	big := `{"component":"ak-stage-identification","pad":"` + strings.Repeat("x", 1500) + `"}`
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(big))
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.BodyCap = 1000 })
	step, err := c.Challenge(bg())
	failedStep(t, c, step, err, ErrTruncatedJSON)
	ex := step.Last()
	if !ex.Truncated || !ex.Has(FlagTruncated) || len(ex.ResponseBody) != 1000 || ex.BodySize != int64(len(big)) {
		t.Errorf("truncated=%v flags=%v kept=%d size=%d (want 1000 of %d)", ex.Truncated, ex.Flags, len(ex.ResponseBody), ex.BodySize, len(big))
	}
}

// A DRF 403 that names CSRF (outside the executor, e.g. a logged-in API
// call) gets a hint that says CSRF: the cookie, the header, and the
// Origin/Referer check, not "log in first".
func TestCSRF403HintNamesTheCSRFCheck(t *testing.T) {
	f := newFakeAK(t)
	f.mux.HandleFunc("/api/v3/flows/inspector/"+testSlug+"/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, map[string]string{"detail": "CSRF Failed: Origin checking failed - http://evil does not match any trusted origins."})
	})
	c := newTestClient(t, f.URL)
	_, _, err := c.Inspect(bg())
	e := asError(t, err, ErrForbidden)
	for _, want := range []string{CSRFHeader, CSRFCookie, "Origin", "Referer"} {
		if !strings.Contains(e.Hint, want) {
			t.Errorf("hint %q does not name %s", e.Hint, want)
		}
	}
	if strings.Contains(e.Hint, "log in first") {
		t.Errorf("hint %q sends the person to log in", e.Hint)
	}
}
