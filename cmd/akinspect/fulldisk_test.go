package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// tinyDisk mounts a 12 KiB tmpfs, so that a recording runs out of room
// mid-session. It needs root (CI and the dev machines run as root); where
// mounting is not allowed the test is skipped, saying why.
func tinyDisk(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=12k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (%v: %s)", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	return dir
}

// A full disk: run says what was lost and exits 4, not 0 with "recorded
// to"; the file says so too when it is opened.
func TestRunOnAFullDiskExitsFourAndSaysWhatWasLost(t *testing.T) {
	disk := tinyDisk(t)
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	bob := simUserNamed(t, s, "bob")
	t.Setenv("AK_TEST_PASSWORD", bob.Password)
	file := filepath.Join(disk, "login.akinspect.jsonl")
	code, out, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/", "--record", file,
		"--set", "uid_field="+bob.Username, "--set", "password=env:AK_TEST_PASSWORD")
	if code != exitRecording {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitRecording, out, errOut)
	}
	if !strings.Contains(out, "Flow finished") || !strings.Contains(errOut, "recording incomplete") ||
		!strings.Contains(errOut, "not written") || strings.Contains(errOut, "recorded to") {
		t.Errorf("the flow's result and what the recording lost:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}
	_, _, warn := runCLI(t, "export", file, "--har", filepath.Join(t.TempDir(), "x.har"))
	if !strings.Contains(warn, "recording incomplete") || !strings.Contains(warn, "lost") {
		t.Errorf("opening the file does not say what was lost: %q", warn)
	}
}
