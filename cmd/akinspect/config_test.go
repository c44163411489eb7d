package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// writeConfig puts text in a fresh $XDG_CONFIG_HOME/akinspect/config.toml.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	path := filepath.Join(home, "akinspect", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Precedence: flags > environment > config file > built-in defaults.
func TestConfigFileGivesDefaultsThatEnvAndFlagsOverride(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	recordings := t.TempDir()
	writeConfig(t, "url = \""+srv.URL+"\"\nflow = \"default-denied\"\nrecordings = \""+recordings+"\"\n")
	t.Setenv("AUTHENTIK_URL", "")

	code, out, errOut := runCLI(t, "run")
	if code != exitFlowEnded || !strings.Contains(out, "denied") {
		t.Fatalf("url and flow from the config: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "recording to "+recordings) {
		t.Errorf("the recording is not in the config's directory: %s", errOut)
	}
	if _, out, _ := runCLI(t, "ls"); !strings.Contains(out, "default-denied") {
		t.Errorf("ls does not list the config's directory:\n%s", out)
	}

	// The environment beats the file; a flag beats both.
	t.Setenv("AUTHENTIK_URL", "http://127.0.0.1:1")
	if code, _, _ := runCLI(t, "run", "--no-record"); code != exitTransport {
		t.Errorf("AUTHENTIK_URL did not win over the config's url: exit %d", code)
	}
	if code, _, _ := runCLI(t, "run", "--no-record", "--url", srv.URL); code != exitFlowEnded {
		t.Errorf("--url did not win over the environment: exit %d", code)
	}
}

func TestABadConfigFileSaysWhereAndWhat(t *testing.T) {
	for text, want := range map[string]string{
		"url = ":               "config.toml",
		"colour = \"red\"":     "unknown setting \"colour\"",
		"theme = \"purple\"":   "theme \"purple\"",
		"max_body = \"a lot\"": "max_body",
		"timeout = \"soon\"":   "timeout \"soon\"",
	} {
		path := writeConfig(t, text)
		code, _, errOut := runCLI(t, "version")
		if code != exitUsage || !strings.Contains(errOut, path) || !strings.Contains(errOut, want) {
			t.Errorf("config %q: exit %d, %q (want 2 naming the file and %q)", text, code, errOut, want)
		}
	}
}

// TestMain keeps the tests away from the config file of whoever runs them.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "akinspect-config")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
