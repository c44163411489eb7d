package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history/load"
)

// --users is bounded, and so is the one virtual user per account a users
// file gives without it: a clear refusal, nothing sent.
func TestLoadBoundsTheVirtualUsers(t *testing.T) {
	file, u := recordLogin(t)
	code, _, errOut := runCLI(t, "load", file, "--no-tui", "--users", fmt.Sprint(load.MaxVUs+1),
		"--secret", "password="+u.Password, "--totp-secret", u.TOTPSecret)
	if code != exitUsage || !strings.Contains(errOut, fmt.Sprintf("at most %d virtual users", load.MaxVUs)) {
		t.Errorf("--users %d: exit %d: %s", load.MaxVUs+1, code, errOut)
	}
	var b strings.Builder
	for i := range load.MaxVUs + 1 {
		fmt.Fprintf(&b, "user%d,pw,\n", i)
	}
	users := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(users, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "load", file, "--no-tui", "--users-file", users)
	if code != exitUsage || !strings.Contains(errOut, "--users N") {
		t.Errorf("a users file of %d accounts: exit %d: %s", load.MaxVUs+1, code, errOut)
	}
}
