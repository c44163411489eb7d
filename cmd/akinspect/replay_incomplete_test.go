package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// incompleteCopy is file cut after its first keep exchange lines and ended
// with the "lost" record a Writer writes when the disk fills up.
func incompleteCopy(t *testing.T, file string, keep int) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	exchanges, lost := 0, 0
	for i, line := range bytes.SplitAfter(data, []byte("\n")) {
		isExchange := bytes.HasPrefix(line, []byte(`{"type":"exchange"`))
		if isExchange {
			exchanges++
		}
		if i > 0 && exchanges > keep {
			if isExchange {
				lost++
			}
			continue
		}
		out.Write(line)
	}
	if lost == 0 {
		t.Fatalf("the recording has only %d exchanges", exchanges)
	}
	out.WriteString(`{"type":"lost","time":"2026-12-03T07:00:00Z","exchanges":` + strconv.Itoa(lost) +
		`,"first_id":` + strconv.Itoa(keep+1) + `,"error":"no space left on device"}` + "\n")
	cut := filepath.Join(t.TempDir(), "incomplete.akinspect.jsonl")
	if err := os.WriteFile(cut, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return cut
}

// A recording whose writer lost exchanges cannot say whether a run
// matches: what came after the loss was never compared, and the step the
// loss cut short (a POST whose redirect was lost) diverges for that alone.
// Replay exits 4, as documented, not 0 (nor 1).
func TestReplayOfAnIncompleteRecordingExitsFour(t *testing.T) {
	file, u := recordLogin(t)
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	for _, keep := range []int{4, 5} { // lost after a stage's GET; between a POST and its redirect
		cut := incompleteCopy(t, file, keep)
		code, out, errOut := runCLI(t, "replay", cut, "--url", srv.URL,
			"--secret", "password="+u.Password, "--totp-secret", u.TOTPSecret)
		if code != exitRecording {
			t.Fatalf("replay of a recording cut after %d exchanges: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", keep, code, exitRecording, out, errOut)
		}
		if !strings.Contains(errOut, "recording incomplete") || !strings.Contains(errOut, "never compared") {
			t.Errorf("stderr does not say the recording is incomplete and what that means:\n%s", errOut)
		}
	}
	// The whole recording still exits 0.
	if code, out, errOut := runCLI(t, "replay", file, "--url", srv.URL,
		"--secret", "password="+u.Password, "--totp-secret", u.TOTPSecret); code != exitOK {
		t.Fatalf("replay of the whole recording: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestReplayHelpListsEveryExitStatus(t *testing.T) {
	code, out, errOut := runCLI(t, "replay", "--help")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"0 the run matches", "1 it diverges", "2 bad usage", "3 transport error", "4 the recording is incomplete"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("replay --help does not list %q:\n%s", want, out)
		}
	}
}
