package history

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

const crashEnv = "AKINSPECT_HISTORY_CRASH_WRITER"

// TestCrashWriterHelper is not a test on its own: the crash test runs the
// test binary again with crashEnv set, and this function then acts as a
// writer that records exchanges until it is killed.
func TestCrashWriterHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("helper process for TestWriterSurvivesSIGKILL")
	}
	w, err := Create(path, Header{BaseURL: base, Flow: "default-authentication-flow"}, WriterOptions{})
	if err != nil {
		os.Exit(3)
	}
	session := syntheticSession()
	for i := 0; ; i++ {
		e := *session[i%len(session)]
		e.ID = i + 1
		if err := w.Write(&e); err != nil {
			os.Exit(4)
		}
	}
}

// TestWriterSurvivesSIGKILL kills a writing process at several points and
// opens what it left: every file opens, exchanges are whole and in order,
// and at most the exchange in flight is lost.
func TestWriterSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts helper processes")
	}
	for _, killAfter := range []int{1, 2, 7, 40, 150} {
		t.Run("after "+strconv.Itoa(killAfter)+" lines", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "crash"+Extension)
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriterHelper$")
			cmd.Env = append(os.Environ(), crashEnv+"="+path)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { _ = cmd.Wait(); close(exited) }()
			t.Cleanup(func() { // never leave a writer running if the test fails early
				_ = cmd.Process.Kill()
				<-exited
			})
			seen := waitForExchanges(t, path, killAfter, exited)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-exited
			rec, err := Open(path)
			if err != nil {
				t.Fatalf("file left by a killed writer does not open: %v", err)
			}
			// Everything whole at kill time must still be there.
			if rec.Len() < seen {
				t.Errorf("opened %d exchanges, but %d were complete before the kill", rec.Len(), seen)
			}
			if len(rec.Warnings) > 1 {
				t.Errorf("more than the in-flight line was damaged: %v", rec.Warnings)
			}
			all, err := rec.All()
			if err != nil {
				t.Fatalf("reading the exchanges back: %v", err)
			}
			for i, e := range all {
				if e.ID != i+1 {
					t.Fatalf("exchange %d has ID %d: lost or reordered", i, e.ID)
				}
			}
		})
	}
}

// waitForExchanges polls until the file has n complete exchange lines and
// returns how many it saw. It fails if the helper exits first.
func waitForExchanges(t *testing.T, path string, n int, exited <-chan struct{}) int {
	t.Helper()
	for {
		data, _ := os.ReadFile(path)
		// Count exchange lines that end with a newline: whole ones only.
		c := 0
		for _, line := range bytes.SplitAfter(data, []byte("\n")) {
			if bytes.HasPrefix(line, []byte(`{"type":"exchange"`)) && bytes.HasSuffix(line, []byte("\n")) {
				c++
			}
		}
		if c >= n {
			return c
		}
		select {
		case <-exited:
			t.Fatal("the writer process ended before it was killed")
		default:
			time.Sleep(time.Millisecond)
		}
	}
}
