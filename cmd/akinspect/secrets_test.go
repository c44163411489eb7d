package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// Secrets mistyped on the command line are still secrets: no error message
// quotes them back (they would land in CI logs).
func TestErrorsNeverQuoteASecretBack(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	flowURL := srv.URL + "/if/flow/default-authentication-flow/"
	const secret = "Hunter2Secret9"
	cases := []struct {
		name string
		args []string
	}{
		{"--set without =", []string{"run", flowURL, "--set", secret}},
		{"totp secret not base32", []string{"run", flowURL, "--set", "uid_field=alice", "--set", "password=alice-demo", "--set", "code=totp:" + secret}},
		{"--secret without =", []string{"replay", "nonexistent.jsonl", "--secret", secret}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.args...)
			if code == exitOK {
				t.Fatalf("exit 0, want a failure\n%s", out)
			}
			if strings.Contains(strings.ToUpper(out+errOut), strings.ToUpper(secret)) {
				t.Errorf("the secret is quoted back:\nstdout: %s\nstderr: %s", out, errOut)
			}
			if strings.TrimSpace(errOut) == "" {
				t.Error("no message says what is wrong")
			}
		})
	}
}

// env:NAME keeps the TOTP secret and the password out of argv, for run and
// for replay alike.
func TestSecretsFromTheEnvironment(t *testing.T) {
	file, u := recordLogin(t)
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	t.Setenv("AK_TEST_TOTP", u.TOTPSecret)
	t.Setenv("AK_TEST_PASSWORD", u.Password)
	code, out, errOut := runCLI(t, "replay", file, "--url", srv.URL,
		"--secret", "password=env:AK_TEST_PASSWORD", "--totp-secret", "env:AK_TEST_TOTP")
	if code != exitOK {
		t.Fatalf("replay exit %d\n%s\n%s", code, out, errOut)
	}
	// A fresh server for the second login: authentik takes a TOTP code
	// once (django-otp's last_t), and both logins fall in one 30 s step.
	again := httptest.NewServer(sim.New(sim.Options{}))
	defer again.Close()
	code, out, errOut = runCLI(t, "run", again.URL+"/if/flow/default-authentication-flow/",
		"--set", "uid_field="+u.Username, "--set", "password=env:AK_TEST_PASSWORD", "--set", "code=totp:env:AK_TEST_TOTP")
	if code != exitOK {
		t.Fatalf("run exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "replay", file, "--url", srv.URL, "--totp-secret", "env:AK_TEST_UNSET_VARIABLE")
	if code != exitUsage || !strings.Contains(errOut, "AK_TEST_UNSET_VARIABLE is not set") {
		t.Errorf("an unset variable: exit %d, %q", code, errOut)
	}
}
