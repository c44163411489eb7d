package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history/load"
)

// A run stopped by ctrl+c exits 130 even when its thresholds held: a cut
// run must not pass a CI gate. Its report files are still written.
func TestLoadStoppedEarlyExits130(t *testing.T) {
	th, err := load.ParseThreshold("errors<1%")
	if err != nil {
		t.Fatal(err)
	}
	snap := load.Snapshot{Flow: "login", Iterations: 10, Interrupted: 3, Stopped: true, Done: true,
		Stages: []load.StageStats{{Name: "start", Count: 10}}, Iteration: load.StageStats{Name: "iteration", Count: 10}}
	o := &loadCommand{}
	o.reports.kinds = []string{"json"}
	o.reports.paths = []string{filepath.Join(t.TempDir(), "r.json")}
	var out, errOut strings.Builder
	code := exitCode(o.report(snap, []load.Threshold{th}, &out), &errOut)
	if code != exitInterrupted || !strings.Contains(out.String(), "threshold ok") {
		t.Errorf("exit %d, want %d (thresholds held)\n%s", code, exitInterrupted, out.String())
	}
	if !strings.Contains(errOut.String(), "stopped") {
		t.Errorf("stderr does not say the run was stopped: %q", errOut.String())
	}
	if _, err := os.Stat(o.reports.paths[0]); err != nil {
		t.Errorf("the report of a stopped run is not written: %v", err)
	}
	snap.Stopped = false
	if code := exitCode(o.report(snap, []load.Threshold{th}, &out), &errOut); code != exitOK {
		t.Errorf("the same run not stopped: exit %d", code)
	}
}
