package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A recording that fails (disk full) says so while the session runs, in
// the header and the status line, not only on exit.
func TestRecordingFailureShowsWhileTheSessionRuns(t *testing.T) {
	var failure error
	run := loadSimRun(t, "login")
	m := run.model(t, Options{RecordingPath: "/tmp/login.akinspect.jsonl",
		RecordingErr: func() error { return failure }}, 120, 40)
	run.deliver(m, 0)
	if strings.Contains(ansi.Strip(m.View()), "recording stopped") {
		t.Fatal("a recording that works must not be reported as stopped")
	}
	failure = errors.New("write login.akinspect.jsonl: no space left on device")
	run.deliver(m, 1)
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.Contains(lines[0], "rec stopped") {
		t.Errorf("header does not say the recording stopped: %q", lines[0])
	}
	status := lines[len(lines)-2]
	if !strings.Contains(status, "recording stopped: write login.akinspect.jsonl: no space left on device") {
		t.Errorf("status line %q does not give the error", status)
	}
}
