package main

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// recordRun logs username in with `run --record` against a simulator with
// opts, and returns the file.
func recordRun(t *testing.T, opts sim.Options, username string) string {
	t.Helper()
	s := sim.New(opts)
	srv := httptest.NewServer(s)
	defer srv.Close()
	u := simUserNamed(t, s, username)
	file := filepath.Join(t.TempDir(), username+".akinspect.jsonl")
	t.Setenv("AK_TEST_PASSWORD", u.Password)
	args := []string{"run", srv.URL + "/if/flow/default-authentication-flow/", "--record", file,
		"--set", "uid_field=" + u.Username, "--set", "password=env:AK_TEST_PASSWORD"}
	if u.TOTPSecret != "" {
		args = append(args, "--set", "code=totp:"+u.TOTPSecret)
	}
	if code, out, errOut := runCLI(t, args...); code != exitOK {
		t.Fatalf("recording %s: exit %d\n%s\n%s", username, code, out, errOut)
	}
	return file
}

func TestDiffCommand(t *testing.T) {
	alice1 := recordRun(t, sim.Options{}, "alice")
	alice2 := recordRun(t, sim.Options{}, "alice")
	bob := recordRun(t, sim.Options{}, "bob")

	if code, out, errOut := runCLI(t, "diff", alice1, alice2); code != exitOK || !strings.Contains(out, "no difference") {
		t.Errorf("the same login twice: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ := runCLI(t, "diff", bob, alice1)
	if code != 1 || !strings.Contains(out, "+ authenticator-validate") {
		t.Errorf("MFA vs no MFA: exit %d, want 1 and the extra stage:\n%s", code, out)
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Error("colour on a writer that is not a terminal")
	}
	code, out, _ = runCLI(t, "diff", bob, alice1, "--json")
	var d struct {
		Runs []struct {
			Steps []struct {
				Change string `json:"change"`
			} `json:"steps"`
		} `json:"runs"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &d) != nil || len(d.Runs) != 1 {
		t.Errorf("--json: exit %d, output %s", code, out)
	}
	// #4 is the password challenge, for another pending user.
	if code, out, errOut := runCLI(t, "diff", bob+"#4", alice1+"#4"); code != 1 || !strings.Contains(out, "challenge.pending_user") {
		t.Errorf("one exchange each: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "diff", bob, filepath.Join(t.TempDir(), "missing")); code != exitUsage {
		t.Errorf("a missing file: exit %d, want 2", code)
	}
}

func TestDiffOfOneExchangeWithItselfIsTheSame(t *testing.T) {
	bob := recordRun(t, sim.Options{}, "bob")
	if code, out, errOut := runCLI(t, "diff", bob+"#2", bob+"#2"); code != exitOK || !strings.Contains(out, "same") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}
