package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// Exit statuses: an HTTP answer that refuses is the server's verdict (1),
// no usable answer is a transport error (3).
func TestRunExitStatusSaysWhoDecided(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	base := srv.URL + "/if/flow/"
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"a bad token: 403 from the execute endpoint", []string{"run", base + "default-authentication-flow/", "--token", "nonsense"}, exitFlowEnded},
		{"an unknown slug: authentik's HTML 404", []string{"run", base + "no-such-flow/"}, exitFlowEnded},
		{"a rejected answer", []string{"run", base + "default-authentication-flow/", "--set", "uid_field=nobody"}, exitFlowEnded},
		{"a missing answer", []string{"run", base + "default-authentication-flow/"}, exitUsage},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, append(c.args, "--no-record")...)
		if code != c.want {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", c.name, code, c.want, out, errOut)
		}
	}
}

// --inspector-token reads the plan after every step: recorded always,
// printed with -v only.
func TestRunReadsTheInspectorAfterEachStep(t *testing.T) {
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	bob := simUserNamed(t, s, "bob")
	t.Setenv("AK_TEST_PASSWORD", bob.Password)
	args := []string{"run", srv.URL + "/if/flow/default-authentication-flow/", "--inspector-token", s.AdminToken(),
		"--set", "uid_field=" + bob.Username, "--set", "password=env:AK_TEST_PASSWORD"}

	file := filepath.Join(t.TempDir(), "r.jsonl")
	code, out, errOut := runCLI(t, append(args, "--record", file)...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, "inspector") {
		t.Errorf("inspector reads printed without -v:\n%s", out)
	}
	_, exported, _ := runCLI(t, "export", file, "--har", "-")
	if n := strings.Count(exported, "/api/v3/flows/inspector/"); n < 3 {
		t.Errorf("%d inspector reads recorded, want one after each step (≥ 3)", n)
	}

	code, out, errOut = runCLI(t, append(args, "-v", "--no-record")...)
	if code != exitOK || !strings.Contains(out, "inspector") || !strings.Contains(out, "plan: at ") {
		t.Errorf("-v: exit %d, want the inspector reads and the plan printed:\n%s\n%s", code, out, errOut)
	}
}

// --no-validate sends what it is told, so authentik's own errors show; a
// JSON body= answers a known stage raw.
func TestRunSendsWhatItIsTold(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	enroll := srv.URL + "/if/flow/default-enrollment-flow/"

	code, _, errOut := runCLI(t, "run", enroll, "--no-record", "--set", "username=x", "--set", "age=abc")
	if code == exitOK || strings.Contains(errOut, "warning") {
		t.Fatalf("without --no-validate abc for a number is refused before sending: exit %d\n%s", code, errOut)
	}
	code, out, errOut := runCLI(t, "run", enroll, "--no-record", "--no-validate", "--set", "username=x", "--set", "age=abc")
	if code != exitFlowEnded || !strings.Contains(errOut, "warning") || !strings.Contains(errOut, "sent as typed") {
		t.Errorf("--no-validate: exit %d, want the server to reject it (1) after a warning\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "rejected the answer") {
		t.Errorf("the server's own error is not reported:\n%s", errOut)
	}

	code, out, errOut = runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/", "--no-record",
		"--set", `identification.body={"component":"ak-stage-identification","uid_field":"nobody"}`)
	if code != exitFlowEnded || !strings.Contains(errOut, "Failed to authenticate") {
		t.Errorf("body= for identification: exit %d, want it sent and rejected\n%s\n%s", code, out, errOut)
	}
}

// A setup stage shows the person what to scan or keep, in the terminal.
func TestRunPrintsWhatASetupStageShows(t *testing.T) {
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	bob := simUserNamed(t, s, "bob")
	jar := filepath.Join(t.TempDir(), "jar")
	t.Setenv("AK_TEST_PASSWORD", bob.Password)
	if code, out, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/", "--no-record", "--cookies", jar,
		"--set", "uid_field="+bob.Username, "--set", "password=env:AK_TEST_PASSWORD"); code != exitOK {
		t.Fatalf("login: exit %d\n%s\n%s", code, out, errOut)
	}
	_, out, _ := runCLI(t, "run", srv.URL+"/if/flow/default-authenticator-totp-setup/", "--no-record", "--cookies", jar)
	if !strings.Contains(out, "otpauth://totp/") || !strings.Contains(out, "Secret: ") {
		t.Errorf("the TOTP setup's URI and secret are not shown:\n%s", out)
	}
}

func simUserNamed(t *testing.T, s *sim.Server, name string) sim.User {
	t.Helper()
	for _, u := range s.Users() {
		if u.Username == name {
			return u
		}
	}
	t.Fatalf("no user %q", name)
	return sim.User{}
}
