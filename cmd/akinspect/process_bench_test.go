package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/akinspect/akinspect/history"
)

// Whole-process figures (issue 11): what a person waits for, from exec to
// the answer. They report time and assert nothing about it.

func buildForBench(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "akinspect")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkProcessVersion: `akinspect --version`, the whole process.
func BenchmarkProcessVersion(b *testing.B) {
	bin := buildForBench(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out, err := exec.Command(bin, "--version").Output(); err != nil || !bytes.HasPrefix(out, []byte("akinspect ")) {
			b.Fatalf("--version: %v %q", err, out)
		}
	}
}

// BenchmarkProcessFirstFrameOpen: `akinspect open` of an empty recording in
// a 120×40 pseudo-terminal, from exec until the first frame is on the
// screen (the timeline's title), with COLORFGBG set so that no terminal
// query is needed.
func BenchmarkProcessFirstFrameOpen(b *testing.B) {
	bin := buildForBench(b)
	file := filepath.Join(b.TempDir(), "empty"+history.Extension)
	w, err := history.Create(file, history.Header{BaseURL: "http://127.0.0.1:9000", Flow: "f"}, history.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		firstFrame(b, bin, "open", file)
	}
}

// BenchmarkProcessFirstFrameOpenScale: the same for the recording named by
// AKINSPECT_SCALE_RECORDING, made by `go run ./cmd/scalerec` (100,000
// exchanges of real sessions); skipped without it.
func BenchmarkProcessFirstFrameOpenScale(b *testing.B) {
	file := os.Getenv("AKINSPECT_SCALE_RECORDING")
	if file == "" {
		b.Skip("set AKINSPECT_SCALE_RECORDING to a recording made by go run ./cmd/scalerec")
	}
	bin := buildForBench(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		firstFrame(b, bin, "open", file)
	}
}

func firstFrame(b *testing.B, bin string, args ...string) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "COLORFGBG=15;0")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); _ = f.Close() }()
	var seen strings.Builder
	buf := make([]byte, 64<<10)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(seen.String(), "Timeline") {
		if time.Now().After(deadline) {
			b.Fatalf("no frame after 10 s; the screen so far: %q", seen.String())
		}
		n, err := f.Read(buf)
		if err != nil {
			b.Fatalf("reading the terminal: %v", err)
		}
		seen.Write(buf[:n])
	}
}
