package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/sim"
)

// A threshold on a stage the recording does not have is refused before
// any request is sent, naming the stages there are.
func TestLoadRefusesAnUnknownThresholdStageBeforeSending(t *testing.T) {
	file, u := recordLogin(t)
	var requests atomic.Int64
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()
	code, out, errOut := runCLI(t, "load", file, "--url", srv.URL, "--no-tui", "--failures", t.TempDir(),
		"--secret", "password="+u.Password, "--totp-secret", u.TOTPSecret, "--threshold", "pasword.p95<1s")
	if code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitUsage, out, errOut)
	}
	for _, want := range []string{`no stage "pasword"`, "start, identification, password, authenticator-validate, iteration"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the refusal lacks %q: %s", want, errOut)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent before the threshold was refused", n)
	}
}

// The --report files are written even when a threshold cannot be
// checked against the report.
func TestLoadWritesReportsWhenAThresholdCheckFails(t *testing.T) {
	dir := t.TempDir()
	o := &loadCommand{}
	o.reports.kinds = []string{"json", "junit"}
	o.reports.paths = []string{filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")}
	th, err := load.ParseThreshold("gone.p95<1s")
	if err != nil {
		t.Fatal(err)
	}
	snap := load.Snapshot{Flow: "login", Iterations: 1, Stages: []load.StageStats{{Name: "start", Count: 1}}}
	var out strings.Builder
	err = o.report(snap, []load.Threshold{th}, &out)
	if exitCode(err, &out) != exitUsage {
		t.Errorf("a threshold that cannot be checked: %v", err)
	}
	for _, p := range o.reports.paths {
		if data, err := os.ReadFile(p); err != nil || !strings.Contains(string(data), "gone.p95") {
			t.Errorf("report %s not written with the threshold (%v): %s", filepath.Base(p), err, data)
		}
	}
}
