package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/history"
)

// D offers the newest recording other than the session's own: the live
// session is being recorded into the newest file, and comparing it with
// itself finds nothing.
func TestDNeverOffersTheSessionsOwnRecording(t *testing.T) {
	older := recordingsWith(t, "login-next")
	own := filepath.Join(filepath.Dir(older), "this-session"+history.Extension)
	data, err := os.ReadFile(fixturePath("login"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(own, data, 0o600); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(own, later, later); err != nil {
		t.Fatal(err)
	}
	run := loadSimRun(t, "login")
	m := run.model(t, Options{RecordingPath: own}, 120, 40)
	run.feed(m, len(run.steps))
	pressDiff(m, "D")
	if got := m.overlay.input.Value(); !strings.HasSuffix(got, "login-next"+history.Extension) {
		t.Errorf("D offers %q, want the newest other recording, %s", got, older)
	}
}
