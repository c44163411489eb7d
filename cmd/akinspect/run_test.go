package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/sim"
)

// mfaUser is a simulator user with a TOTP device.
func mfaUser(t *testing.T, s *sim.Server) sim.User {
	t.Helper()
	for _, u := range s.Users() {
		if u.TOTPSecret != "" && !u.Superuser {
			return u
		}
	}
	t.Fatal("the simulator has no user with TOTP")
	return sim.User{}
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	// Runs record by default: keep their recordings out of the real home.
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	code := runMain(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunLogsInWithTOTPThenConsentsInTheSameSession(t *testing.T) {
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	u := mfaUser(t, s)
	jar := filepath.Join(t.TempDir(), "cookies.txt")
	t.Setenv("AK_TEST_PASSWORD", u.Password)

	code, out, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/?next=%2Fapp%2F",
		"--cookies", jar,
		"--set", "uid_field="+u.Username,
		"--set", "password=env:AK_TEST_PASSWORD",
		"--set", "code=totp:"+u.TOTPSecret)
	if code != exitOK {
		t.Fatalf("login exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"identification", "password", "authenticator-validate", "✓"} {
		if !strings.Contains(out, want) {
			t.Errorf("login output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, u.Password) {
		t.Error("the password was printed")
	}
	if info, err := os.Stat(jar); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("cookie file: %v %v", info, err)
	}

	code, out, errOut = runCLI(t, "run", srv.URL+"/if/flow/default-provider-authorization-explicit-consent/", "--cookies", jar)
	if code != exitOK {
		t.Fatalf("consent exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "consent") {
		t.Errorf("consent output lacks the consent stage:\n%s", out)
	}
}

func TestRunWithoutSessionIsDeniedConsent(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	code, out, _ := runCLI(t, "run", srv.URL+"/if/flow/default-provider-authorization-explicit-consent/")
	if code != exitFlowEnded {
		t.Fatalf("exit %d, want %d (denied)\n%s", code, exitFlowEnded, out)
	}
}

func TestRunExitsTwoWhenAnAnswerIsMissing(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	code, _, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/")
	if code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errOut, "uid_field") {
		t.Errorf("the message does not name the missing field: %s", errOut)
	}
}

func TestRunExitsThreeWhenTheServerIsDown(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	url := srv.URL
	srv.Close()
	code, _, errOut := runCLI(t, "run", url+"/if/flow/default-authentication-flow/")
	if code != exitTransport {
		t.Fatalf("exit %d, want %d: %s", code, exitTransport, errOut)
	}
}

func TestRunExitsOneOnAccessDenied(t *testing.T) {
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	code, out, _ := runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/",
		"--set", "uid_field=nobody-here", "--set", "password=x")
	if code != exitFlowEnded {
		t.Fatalf("exit %d, want %d\n%s", code, exitFlowEnded, out)
	}
}

func TestAnswersFileAcceptsLinesAndJSON(t *testing.T) {
	dir := t.TempDir()
	lines := filepath.Join(dir, "a.txt")
	os.WriteFile(lines, []byte("# login\nuid_field=alice\npassword.password=env:X\n"), 0o600)
	a, err := readAnswersFile(lines)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := a.lookup("ak-stage-password", "password"); v != "env:X" {
		t.Errorf("scoped key not found: %q", v)
	}
	js := filepath.Join(dir, "a.json")
	os.WriteFile(js, []byte(`{"uid_field":"bob","remember_me":true}`), 0o600)
	a, err = readAnswersFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if a["remember_me"] != "true" || a["uid_field"] != "bob" {
		t.Errorf("json answers: %v", a)
	}
}

func TestFlagsMayStandAfterTheURL(t *testing.T) {
	var o runCommand
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	o.register(fs)
	err := fs.Parse([]string{"--set", "a=1", "https://h/if/flow/x/", "--insecure", "-v", "--set", "b=c,d", "--", "--set"})
	if err != nil {
		t.Fatal(err)
	}
	pos := fs.Args()
	if len(pos) != 2 || pos[0] != "https://h/if/flow/x/" || pos[1] != "--set" || !o.target.insecure || !o.verbose {
		t.Fatalf("pos=%q insecure=%v verbose=%v", pos, o.target.insecure, o.verbose)
	}
	if len(o.sets) != 2 || o.sets[1] != "b=c,d" { // repeated, never split at commas
		t.Fatalf("sets=%q", o.sets)
	}
}

func TestRunRecordsByDefaultAndNotWithNoRecord(t *testing.T) {
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	u := mfaUser(t, s)
	state := t.TempDir()
	var out, errOut bytes.Buffer
	t.Setenv("XDG_STATE_HOME", state)
	args := []string{"run", srv.URL + "/if/flow/default-authentication-flow/",
		"--set", "uid_field=" + u.Username, "--set", "password=" + u.Password, "--set", "code=totp:" + u.TOTPSecret}
	if code := runMain(args, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	files, _ := filepath.Glob(filepath.Join(state, "akinspect", "recordings", "*"))
	if len(files) != 1 {
		t.Fatalf("want one recording by default, found %q", files)
	}
	if !strings.Contains(errOut.String(), files[0]) {
		t.Errorf("stderr does not say where the recording is: %s", errOut.String())
	}
	data, _ := os.ReadFile(files[0])
	if strings.Contains(string(data), u.Password) {
		t.Error("the default recording holds the password")
	}
	// A fresh server for the second login: authentik takes a TOTP code
	// once (django-otp's last_t), and both logins fall in one 30 s step.
	again := httptest.NewServer(sim.New(sim.Options{}))
	defer again.Close()
	args[1] = again.URL + "/if/flow/default-authentication-flow/"
	if code := runMain(append(args, "--no-record"), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if files, _ = filepath.Glob(filepath.Join(state, "akinspect", "recordings", "*")); len(files) != 1 {
		t.Fatalf("--no-record still wrote a recording: %q", files)
	}
}

func TestRunRefusesToOverwriteARecording(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "taken.akinspect.jsonl")
	if err := os.WriteFile(file, []byte("precious\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-denied/", "--record", file)
	if code != exitUsage || !strings.Contains(errOut, "--record") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if data, _ := os.ReadFile(file); string(data) != "precious\n" {
		t.Fatal("the existing file was changed")
	}
}

// A proxy that fails the answer: run reports the transport's diagnosis of
// the 502, not "no challenge came back".
func TestRunReportsAFailedSubmitWithItsDiagnosis(t *testing.T) {
	s := sim.New(sim.Options{})
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			http.Error(w, "upstream connect error", http.StatusBadGateway)
			return
		}
		s.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	code, out, errOut := runCLI(t, "run", proxy.URL+"/if/flow/default-authentication-flow/", "--set", "uid_field=alice")
	if code != exitTransport {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitTransport, out, errOut)
	}
	if strings.Contains(errOut, "no challenge came back") || !strings.Contains(errOut, "502") {
		t.Errorf("stderr does not carry the 502 diagnosis:\n%s", errOut)
	}
}
