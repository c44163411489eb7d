package main

import (
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// writeUsersCSV writes the simulator's load users as `sim --users-csv`
// does, with load3's and load8's passwords wrong when breakOne.
func writeUsersCSV(t *testing.T, n int, breakOne bool) string {
	t.Helper()
	var b strings.Builder
	if err := writeLoadUsersCSV(&b, n); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if breakOne {
		text = strings.Replace(text, "load3,load3-demo,", "load3,env:LOAD3_PASSWORD,", 1)
		text = strings.Replace(text, "load8,load8-demo,", "load8,env:LOAD3_PASSWORD,", 1)
		t.Setenv("LOAD3_PASSWORD", "not-the-password")
	}
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadHeadlessReportsEveryStage(t *testing.T) {
	file, _ := recordLogin(t)
	// One account per login: an account takes one TOTP code per 30 s step.
	srv := httptest.NewServer(sim.New(sim.Options{LoadUsers: 100}))
	defer srv.Close()
	dir := t.TempDir()
	jsonReport, junit := filepath.Join(dir, "load.json"), filepath.Join(dir, "load.xml")
	code, out, errOut := runCLI(t, "load", file, "--url", srv.URL, "--users-file", writeUsersCSV(t, 100, false), "--users", "20",
		"--iterations", "5", "--no-tui", "--threshold", "password.p95<30s", "--threshold", "errors<1%",
		"--report", "json", jsonReport, "--report", "junit="+junit, "--failures", filepath.Join(dir, "failures"))
	if code != exitOK {
		t.Fatalf("load exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"100 iterations", "identification", "password", "authenticator-validate", "threshold ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "100/100 iterations") {
		t.Errorf("no progress line on stderr: %q", errOut)
	}
	var report struct {
		Iterations int `json:"iterations"`
		Stages     []struct {
			Name    string             `json:"name"`
			Latency map[string]float64 `json:"latency"`
		} `json:"stages"`
		Thresholds []struct{ Pass bool } `json:"thresholds"`
	}
	data, _ := os.ReadFile(jsonReport)
	if err := json.Unmarshal(data, &report); err != nil || report.Iterations != 100 || len(report.Stages) != 4 ||
		report.Stages[2].Latency["p95_ms"] <= 0 || len(report.Thresholds) != 2 {
		t.Fatalf("json report (%v):\n%s", err, data)
	}
	var suite struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	data, _ = os.ReadFile(junit)
	if err := xml.Unmarshal(data, &suite); err != nil || suite.Tests != 7 || suite.Failures != 0 {
		t.Fatalf("junit report (%v):\n%s", err, data)
	}
}

func TestLoadWrongPasswordFailsOneUserAndItsRecordingDiffs(t *testing.T) {
	file, _ := recordLogin(t)
	// 5 virtual users × 2 iterations over 10 accounts: virtual user 3 logs
	// in as load3, then load8, both with a wrong password.
	srv := httptest.NewServer(sim.New(sim.Options{LoadUsers: 10}))
	defer srv.Close()
	failures := filepath.Join(t.TempDir(), "failures")
	code, out, errOut := runCLI(t, "load", file, "--url", srv.URL, "--users-file", writeUsersCSV(t, 10, true), "--users", "5",
		"--iterations", "2", "--no-tui", "--failures", failures, "--threshold", "password.errors<1%")
	if code != exitFlowEnded {
		t.Fatalf("load exit %d, want %d\n%s\n%s", code, exitFlowEnded, out, errOut)
	}
	if !strings.Contains(out, "password: validation 2") || !strings.Contains(out, "threshold MISSED") {
		t.Errorf("report:\n%s", out)
	}
	rec := filepath.Join(failures, "vu003-load3.akinspect.jsonl")
	if entries, _ := os.ReadDir(failures); len(entries) != 1 || !strings.Contains(out, rec) {
		t.Fatalf("failure recordings %v, want only %s\n%s", entries, rec, out)
	}
	code, out, errOut = runCLI(t, "diff", file, rec)
	if code == exitUsage || !strings.Contains(out, "password") {
		t.Fatalf("diff of the failure recording: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestLoadRefusesAnotherHostWithoutYesAndUnboundedFlags(t *testing.T) {
	file, _ := recordLogin(t)
	code, _, errOut := runCLI(t, "load", file, "--url", "http://192.0.2.1:9", "--no-tui", "--secret", "password=x", "--totp-secret", "JBSWY3DPEHPK3PXP")
	if code != exitUsage || !strings.Contains(errOut, "--yes") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "load", file, "--iterations", "2", "--duration", "1s", "--no-tui")
	if code != exitUsage || !strings.Contains(errOut, "not both") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "load", file, "--threshold", "password.p95<fast")
	if code != exitUsage || !strings.Contains(errOut, "duration") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// load takes the TLS flags the other commands take: a server with a
// certificate the system does not trust is loaded with --insecure, and
// refused without it.
func TestLoadTakesTheTLSFlags(t *testing.T) {
	s := sim.New(sim.Options{})
	srv := httptest.NewTLSServer(s)
	defer srv.Close()
	bob := simUserNamed(t, s, "bob")
	file := filepath.Join(t.TempDir(), "bob.akinspect.jsonl")
	if code, out, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/", "--insecure", "--record", file,
		"--set", "uid_field="+bob.Username, "--set", "password="+bob.Password); code != exitOK {
		t.Fatalf("recording over TLS: exit %d\n%s\n%s", code, out, errOut)
	}
	args := []string{"load", file, "--users", "2", "--iterations", "2", "--no-tui", "--secret", "password=" + bob.Password,
		"--failures", t.TempDir()}
	if code, out, errOut := runCLI(t, append(args, "--insecure")...); code != exitOK {
		t.Errorf("--insecure: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, _ := runCLI(t, args...); code == exitOK {
		t.Error("an untrusted certificate was accepted without --insecure")
	}
}
