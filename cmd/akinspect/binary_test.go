package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/sim"
)

// buildBinary compiles akinspect once for the tests that run it as a
// person would, from a shell.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "akinspect")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// The scenario end to end with real processes: `akinspect sim`
// serves, `akinspect run` logs in with TOTP, and a second `run` consents in
// the same session through the cookie file.
func TestBinaryRunAgainstARunningSim(t *testing.T) {
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	server := exec.CommandContext(ctx, bin, "sim", "--addr", "127.0.0.1:0")
	stdout, err := server.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = server.Process.Kill(); _ = server.Wait() }()
	base := ""
	sc := bufio.NewScanner(stdout)
	at := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`)
	for sc.Scan() {
		if m := at.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		t.Fatal("akinspect sim printed no URL")
	}
	go func() { // keep draining the banner
		for sc.Scan() {
		}
	}()
	var alice sim.User
	for _, u := range sim.New(sim.Options{}).Users() {
		if u.Username == "alice" {
			alice = u
		}
	}
	dir := t.TempDir()
	jar := filepath.Join(dir, "jar.txt")
	run := func(args ...string) (string, int) {
		cmd := exec.CommandContext(ctx, bin, append([]string{"run"}, args...)...)
		cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+dir, "AK_PASSWORD="+alice.Password)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	out, code := run(base+"/if/flow/default-authentication-flow/", "--cookies", jar,
		"--set", "uid_field=alice", "--set", "password=env:AK_PASSWORD", "--set", "code=totp:"+alice.TOTPSecret)
	if code != 0 || !strings.Contains(out, "authenticator-validate") || !strings.Contains(out, "session-rotated") {
		t.Fatalf("login: exit %d\n%s", code, out)
	}
	out, code = run(base+"/if/flow/default-provider-authorization-explicit-consent/", "--cookies", jar)
	if code != 0 || !strings.Contains(out, "consent") {
		t.Fatalf("consent in the same session: exit %d\n%s", code, out)
	}
	out, code = run(base + "/if/flow/default-provider-authorization-explicit-consent/")
	if code != 1 {
		t.Fatalf("consent without the session should be denied (exit 1), got %d\n%s", code, out)
	}
	recs, _ := filepath.Glob(filepath.Join(dir, "akinspect", "recordings", "*"))
	if len(recs) != 3 {
		t.Fatalf("want one recording per run, found %q", recs)
	}
}
