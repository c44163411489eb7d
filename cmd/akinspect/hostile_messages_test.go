package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// Every hint of issue 8, section 3, as a person reads it: through the
// command, on stderr, naming an option or a check that exists.

func TestRedirectLoopHintNamesMaxRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/if/flow/") {
			_, _ = io.WriteString(w, "<html></html>")
			return
		}
		http.Redirect(w, r, r.URL.Path+"?again=1", http.StatusFound) // forever
	}))
	defer srv.Close()
	code, _, errOut := runCLI(t, "run", srv.URL+"/if/flow/loop/", "--max-redirects", "3", "--no-record")
	if code != exitTransport || !strings.Contains(errOut, "limit 3") || !strings.Contains(errOut, "--max-redirects") ||
		strings.Contains(errOut, "raise the limit") {
		t.Errorf("a redirect loop: exit %d, stderr %q (want 3, naming --max-redirects)", code, errOut)
	}
}

// Replay never sends recorded answers to another host without --url, and
// says so by the flag's name, not by an internal field's.
func TestReplayRefusalNamesURLFlag(t *testing.T) {
	file, u := recordLogin(t)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	header, rest, _ := bytes.Cut(data, []byte("\n"))
	var h map[string]any
	if err := json.Unmarshal(header, &h); err != nil {
		t.Fatal(err)
	}
	h["base_url"] = "http://127.0.0.1:1" // the exchanges went elsewhere
	header, _ = json.Marshal(h)
	moved := filepath.Join(t.TempDir(), "moved.akinspect.jsonl")
	if err := os.WriteFile(moved, append(append(header, '\n'), rest...), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "replay", moved, "--secret", "password="+u.Password, "--totp-secret", u.TOTPSecret)
	if code != exitUsage || !strings.Contains(errOut, "pass --url") || strings.Contains(errOut, "BaseURL") {
		t.Errorf("replay to a host the exchanges did not go to: exit %d, stderr %q (want 2, naming --url)", code, errOut)
	}
}

// A 403 from Django's CSRF check names the CSRF header and cookie and
// the Origin/Referer check, and does not send the person to log in.
func TestCSRF403HintThroughRun(t *testing.T) {
	url := hostileServer(t, jsonReply(200, map[string]any{"component": "ak-stage-consent"}),
		jsonReply(403, map[string]string{"detail": "CSRF Failed: Origin checking failed - http://evil does not match any trusted origins."}))
	code, _, errOut := runCLI(t, "run", url, "--set", `body={"component":"ak-stage-consent"}`, "--no-record")
	if code != exitFlowEnded {
		t.Errorf("a CSRF refusal: exit %d, want %d\n%s", code, exitFlowEnded, errOut)
	}
	for _, want := range []string{"CSRF", transport.CSRFHeader, transport.CSRFCookie, "Origin", "Referer"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the hint does not name %s: %q", want, errOut)
		}
	}
	if strings.Contains(errOut, "log in first") {
		t.Errorf("the hint sends the person to log in: %q", errOut)
	}
}

var lossCount = regexp.MustCompile(`(\d+) exchanges? \(from exchange (\d+)\)`)

// On a full disk run exits 4, and what it says was lost is what the file
// lacks: the count on stderr, the count open reads from the file and the
// exchanges run printed but the file does not hold are one number.
func TestFullDiskLossCountIsTheSameEverywhere(t *testing.T) {
	disk := tinyDisk(t)
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	u := mfaUser(t, s)
	file := filepath.Join(disk, "login.akinspect.jsonl")
	code, out, errOut := runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/", "--record", file,
		"--set", "uid_field="+u.Username, "--set", "password="+u.Password, "--set", "code=totp:"+u.TOTPSecret)
	if code != exitRecording {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitRecording, out, errOut)
	}
	said := lossCount.FindStringSubmatch(errOut)
	if said == nil {
		t.Fatalf("run does not count what was lost: %q", errOut)
	}
	_, _, warn := runCLI(t, "export", file, "--curl", "1")
	read := lossCount.FindStringSubmatch(warn)
	if read == nil || read[0] != said[0] {
		t.Fatalf("run said %q was lost, open reads %q", said[0], warn)
	}
	printed := strings.Count(out, "\n") - 1 // one line per exchange, then the result
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	inFile := bytes.Count(data, []byte(`{"type":"exchange"`))
	if lost := said[1]; lost != strconv.Itoa(printed-inFile) {
		t.Errorf("run printed %d exchanges, the file holds %d, run says %s lost", printed, inFile, lost)
	}
}

// A HAR with bad entries opens with the good ones; the bad ones are each
// named once by index and reason, and no message says "HAR:" twice.
func TestPartialHARImportThroughTheCLI(t *testing.T) {
	file, _ := recordLogin(t)
	har := filepath.Join(t.TempDir(), "login.har")
	if code, _, errOut := runCLI(t, "export", file, "--har", har); code != exitOK {
		t.Fatalf("export: %s", errOut)
	}
	data, err := os.ReadFile(har)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	entries := doc["log"].(map[string]any)["entries"].([]any)
	entries[1].(map[string]any)["response"].(map[string]any)["status"] = "two hundred"
	c := entries[2].(map[string]any)["response"].(map[string]any)["content"].(map[string]any)
	c["text"], c["encoding"] = "%%% not base64", "base64"
	broken, _ := json.Marshal(doc)
	if err := os.WriteFile(har, broken, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "export", har, "--curl", "1")
	if code != exitOK {
		t.Fatalf("one bad entry rejects the HAR: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"entry 2 skipped (log.entries[1]): response.status", "entry 3 skipped (log.entries[2]): response.content.text: bad base64"} {
		if strings.Count(errOut, want) != 1 {
			t.Errorf("stderr does not name %q once:\n%s", want, errOut)
		}
	}
	if !strings.HasPrefix(out, "curl ") && !strings.Contains(out, "\ncurl ") {
		t.Errorf("no exchange came from the good entries:\n%s", out)
	}
	for _, line := range strings.Split(errOut, "\n") {
		if strings.Count(line, "HAR") > 1 {
			t.Errorf("a line says HAR more than once: %q", line)
		}
	}
	// Every entry bad: one error, HAR: once.
	for i := range entries {
		entries[i].(map[string]any)["response"].(map[string]any)["status"] = "x"
	}
	broken, _ = json.Marshal(doc)
	if err := os.WriteFile(har, broken, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "export", har, "--curl", "1")
	if code != exitUsage || strings.Count(errOut, "HAR:") != 1 || !strings.Contains(errOut, "entry 1 (log.entries[0])") {
		t.Errorf("every entry bad: exit %d, stderr %q (want 2, HAR: once, the first entry named)", code, errOut)
	}
}
