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

// recordLogin runs a TOTP login headless with --record and returns the file.
func recordLogin(t *testing.T) (string, sim.User) {
	t.Helper()
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	u := mfaUser(t, s)
	file := filepath.Join(t.TempDir(), "login.akinspect.jsonl")
	code, out, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/",
		"--record", file, "--set", "uid_field="+u.Username, "--set", "password="+u.Password,
		"--set", "code=totp:"+u.TOTPSecret)
	if code != exitOK {
		t.Fatalf("recording run exit %d\n%s\n%s", code, out, errOut)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), u.Password) {
		t.Fatal("the recording holds the password in clear")
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Fatalf("recording mode %v, want 0600", info.Mode().Perm())
	}
	return file, u
}

func TestReplayMatchesAFreshSimulator(t *testing.T) {
	file, u := recordLogin(t)
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	junit := filepath.Join(t.TempDir(), "report.xml")
	code, out, errOut := runCLI(t, "replay", file, "--url", srv.URL,
		"--secret", "password="+u.Password, "--totp-secret", u.TOTPSecret, "--report", "junit", junit)
	if code != exitOK {
		t.Fatalf("replay exit %d\n%s\n%s", code, out, errOut)
	}
	var suite struct {
		XMLName xml.Name
		Tests   int `xml:"tests,attr"`
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &suite); err != nil {
		t.Fatalf("JUnit report does not parse: %v\n%s", err, data)
	}
}

func TestReplayNamesTheStepThatChanged(t *testing.T) {
	file, u := recordLogin(t)
	srv := httptest.NewServer(sim.New(sim.Options{Variant: sim.VariantDummyBeforePassword}))
	defer srv.Close()
	jsonReport := filepath.Join(t.TempDir(), "report.json")
	code, out, errOut := runCLI(t, "replay", file, "--url", srv.URL,
		"--secret", "password="+u.Password, "--totp-secret", u.TOTPSecret, "--report", "json="+jsonReport)
	if code != exitFlowEnded {
		t.Fatalf("replay exit %d, want %d\n%s\n%s", code, exitFlowEnded, out, errOut)
	}
	if !strings.Contains(out, "dummy") || !strings.Contains(out, "password") {
		t.Errorf("the report does not say password was expected and dummy came:\n%s", out)
	}
	var report struct {
		Diverged        bool `json:"diverged"`
		FirstDivergence int  `json:"first_divergence"`
	}
	data, _ := os.ReadFile(jsonReport)
	if err := json.Unmarshal(data, &report); err != nil || !report.Diverged || report.FirstDivergence == 0 {
		t.Fatalf("json report %s (%v)", data, err)
	}
}

func TestReplayAgainstAServerThatIsGoneExitsThree(t *testing.T) {
	file, u := recordLogin(t) // its simulator is closed now: the recorded host is gone
	code, _, errOut := runCLI(t, "replay", file, "--secret", "password="+u.Password, "--totp-secret", u.TOTPSecret)
	if code != exitTransport {
		t.Fatalf("replay against a closed server: exit %d, want %d\n%s", code, exitTransport, errOut)
	}
}

func TestReplayWithoutSecretsAndTerminalSaysWhatIsMissing(t *testing.T) {
	file, u := recordLogin(t)
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	code, _, errOut := runCLI(t, "replay", file, "--url", srv.URL, "--totp-secret", u.TOTPSecret)
	if code != exitUsage || !strings.Contains(errOut, "password") {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	t.Setenv("AKINSPECT_SECRET_PASSWORD", u.Password)
	if code, out, errOut := runCLI(t, "replay", file, "--url", srv.URL, "--totp-secret", u.TOTPSecret); code != exitOK {
		t.Fatalf("with the secret in the environment: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestExportHARIsRedactedAndCurlRepeatsAnExchange(t *testing.T) {
	file, u := recordLogin(t)
	har := filepath.Join(t.TempDir(), "out.har")
	if code, _, errOut := runCLI(t, "export", file, "--har", har); code != exitOK {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(har)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Version string            `json:"version"`
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Log.Version != "1.2" || len(doc.Log.Entries) == 0 {
		t.Fatalf("HAR: %v version=%q entries=%d", err, doc.Log.Version, len(doc.Log.Entries))
	}
	if strings.Contains(string(data), u.Password) {
		t.Fatal("the HAR holds the password")
	}
	code, out, errOut := runCLI(t, "export", file, "--curl", "2")
	// A redacted recording: a comment names the placeholders, then the
	// command, with -i so that a 302 and its headers show.
	comment, command, _ := strings.Cut(out, "\n")
	if code != exitOK || !strings.HasPrefix(comment, "# placeholders: ") || !strings.Contains(comment, "cookie authentik_csrf") ||
		!strings.HasPrefix(command, "curl ") || !strings.Contains(command, " -i") || !strings.Contains(command, "/api/v3/flows/executor/") {
		t.Fatalf("curl: exit %d\n%s\n%s", code, out, errOut)
	}
	// The HAR opens again as a recording.
	if code, _, errOut := runCLI(t, "export", har, "--curl", "1"); code != exitOK {
		t.Fatalf("the exported HAR does not open: %s", errOut)
	}
}

func TestExportToAFullDiskFails(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	file, _ := recordLogin(t)
	code, _, errOut := runCLI(t, "export", file, "--har", "/dev/full")
	if code != exitUsage || !strings.Contains(errOut, "no space") {
		t.Fatalf("a HAR that could not be written: exit %d, stderr %q", code, errOut)
	}
}

func TestReplayReadsSecretsFromAFile(t *testing.T) {
	file, u := recordLogin(t)
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	secrets := filepath.Join(t.TempDir(), "secrets")
	if err := os.WriteFile(secrets, []byte("# replay secrets\npassword="+u.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "replay", file, "--url", srv.URL, "--secrets-file", secrets, "--totp-secret", u.TOTPSecret)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}
