package main

import (
	"fmt"
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

func TestABadKeysTableExits2NamingTheAction(t *testing.T) {
	for text, want := range map[string]string{
		"[keys]\nzoom = \"ctrl+shift+z\"\n": `keys.zoom: "ctrl+shift+z" is not a key a terminal sends`,
		"[keys]\nzom = \"Z\"\n":             `keys.zom: no such action`,
		"[keys]\nzoom = []\n":               `keys.zoom: no keys`,
		"[keys]\nzoom = \"y\"\n":            `keys.zoom: "y" is also copy's key`,
		"[keys]\nzoom = 3\n":                `keys.zoom`,
		"[keys]\nquit = [\"q\", 1]\n":       `a key is a string`,
		"[keys]\nsubmit = \"ctrl+g\"\n":     `keys.submit: its keys cannot be changed`,
		"[keys]\nquit = [\"q\", \"ctrl+q\"]\nnew_session = \"alt+n\"\nzoom = \"q\"\n": `keys.zoom: "q" is also quit's key`,
	} {
		path := writeConfig(t, text)
		code, _, errOut := runCLI(t, "version")
		if code != exitUsage || !strings.Contains(errOut, path) || !strings.Contains(errOut, want) {
			t.Errorf("config %q: exit %d, %q (want 2 naming the file and %q)", text, code, errOut, want)
		}
	}
}

func TestAGoodKeysTableIsAccepted(t *testing.T) {
	t.Cleanup(func() { config = fileConfig{} })
	writeConfig(t, "url = \"https://auth.example.com\"\n\n[keys]\nquit = [\"q\", \"ctrl+q\"]\nnew_session = \"alt+s\"\nprev_hit = \"alt+n\"\nzoom = \"Z\"\n")
	if code, _, errOut := runCLI(t, "version"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := map[string][]string{"quit": {"q", "ctrl+q"}, "new_session": {"alt+s"}, "prev_hit": {"alt+n"}, "zoom": {"Z"}}
	if got := config.keyOverrides(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("keyOverrides = %v, want %v", got, want)
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
