package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// --lang is the flow interface's locale: API calls ask for it first, as
// authentik's LocaleMiddleware does in the browser; a value that is not a
// language tag is a usage error.
func TestLangSetsTheAPICallsAcceptLanguage(t *testing.T) {
	s := sim.New(sim.Options{})
	var mu sync.Mutex
	langs := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/flows/executor/") {
			mu.Lock()
			langs[r.Method] = r.Header.Get("Accept-Language")
			mu.Unlock()
		}
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()
	code, _, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/", "--no-record",
		"--lang", "de", "--set", "uid_field=bob", "--set", "password=bob-demo")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		if got := langs[method]; !strings.HasPrefix(got, "de,") {
			t.Errorf("executor %s sent Accept-Language %q, want de first", method, got)
		}
	}

	code, _, errOut = runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/", "--lang", "de;q=1\r\nX: y")
	if code != exitUsage || !strings.Contains(errOut, "language tag") {
		t.Errorf("a --lang that is no language tag: exit %d, %q", code, errOut)
	}
}
