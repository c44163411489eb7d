package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/sim"
)

func TestLsListsRecordingsNewestFirst(t *testing.T) {
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	dir := t.TempDir()
	older := filepath.Join(dir, "older.akinspect.jsonl")
	newer := filepath.Join(dir, "newer.akinspect.jsonl")
	runCLI(t, "run", srv.URL+"/if/flow/default-denied/", "--record", older)
	bob := simUserNamed(t, s, "bob")
	runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/", "--record", newer,
		"--set", "uid_field="+bob.Username, "--set", "password="+bob.Password)
	past := time.Now().Add(-time.Hour)
	if err := os.Chtimes(older, past, past); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a recording"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "ls", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and two recordings:\n%s", out)
	}
	if !strings.Contains(lines[1], "newer") || !strings.Contains(lines[1], "✓ finished") || !strings.Contains(lines[1], "default-authentication-flow") {
		t.Errorf("first row is not the newer, finished login: %q", lines[1])
	}
	if !strings.Contains(lines[2], "older") || !strings.Contains(lines[2], "✗ denied") {
		t.Errorf("second row is not the older, denied run: %q", lines[2])
	}
}

// A session's recording is named after the server and flow, and its path
// is said when the session starts.
func TestRecordingIsNamedAfterItsSession(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	_, _, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-denied/")
	if !strings.HasPrefix(errOut, "recording to ") {
		t.Errorf("the path is not said first: %q", errOut)
	}
	host := strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(srv.URL, "http://"), ".", "_"), ":", "_")
	if !strings.Contains(errOut, host+"--default-denied.akinspect.jsonl") {
		t.Errorf("the file is not named after the server and flow: %q", errOut)
	}
}

// open without a file lists the recent recordings and opens the one picked
// (enter: the newest).
func TestOpenWithoutAFilePicksARecentRecording(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	dir := filepath.Join(state, "akinspect", "recordings")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	older, newer := filepath.Join(dir, "a.akinspect.jsonl"), filepath.Join(dir, "b.akinspect.jsonl")
	runCLI(t, "run", srv.URL+"/if/flow/default-denied/", "--record", older)
	runCLI(t, "run", srv.URL+"/if/flow/default-denied/", "--record", newer)
	past := time.Now().Add(-time.Hour)
	_ = os.Chtimes(older, past, past)
	t.Setenv("XDG_STATE_HOME", state) // runCLI moved it
	for in, want := range map[string]string{"\n": newer, "2\n": older} {
		var out strings.Builder
		got, err := pickRecording(strings.NewReader(in), &out)
		if err != nil || got != want {
			t.Errorf("answer %q picked %q (%v), want %q\n%s", in, got, err, want, out.String())
		}
		if !strings.Contains(out.String(), "✗ denied") || !strings.Contains(out.String(), "  1  ") {
			t.Errorf("the list does not show the recordings:\n%s", out.String())
		}
	}
	if _, err := pickRecording(strings.NewReader("9\n"), &strings.Builder{}); err == nil {
		t.Error("a number out of the list was taken")
	}
}

// The full-screen picker's rows say what ls says of each recording.
func TestRecordingRowsDescribeTheRecordings(t *testing.T) {
	dir := t.TempDir()
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	path := filepath.Join(dir, "a.akinspect.jsonl")
	runCLI(t, "run", srv.URL+"/if/flow/default-denied/", "--record", path)
	found, err := recentRecordings(dir)
	if err != nil || len(found) != 1 {
		t.Fatalf("found %v (%v)", found, err)
	}
	rows := recordingRows(found)
	r := rows[0]
	if r.Path != path || r.Result != "✗ denied" || r.Exchanges == 0 || len(r.Flows) != 1 || r.Flows[0] != "default-denied" ||
		strings.HasPrefix(r.Server, "http") || r.Modified.Location() != time.Local {
		t.Errorf("row %+v", r)
	}
}
