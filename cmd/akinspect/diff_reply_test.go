package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
)

// modelFixture is a session the model's tests recorded from the simulator
// (model/testdata/sim, secrets kept): akadmin's login with a wrong password
// first, bob's consent, and the same consent without the CSRF header.
func modelFixture(name string) string {
	return filepath.Join("..", "..", "model", "testdata", "sim", name+history.Extension)
}

// What the server said to an answer counts: a wrong password retried, a
// consent POST refused for CSRF, a run that stopped at a rejected password
// are all different from a clean run (exit 1), the retry named as a step.
func TestDiffCommandComparesTheRepliesToAnswers(t *testing.T) {
	clean := recordRun(t, sim.Options{}, "akadmin")
	code, out, errOut := runCLI(t, "diff", clean, modelFixture("login"))
	if code != 1 || !strings.Contains(out, "+ password (retry) 200") || !strings.Contains(out, "reply.response_errors") {
		t.Errorf("a clean login against one with a wrong password first: exit %d, want 1 and the retry\n%s%s", code, out, errOut)
	}

	code, out, errOut = runCLI(t, "diff", modelFixture("consent"), modelFixture("csrf"))
	if code != 1 || !strings.Contains(out, "reply.flags: (none) → likely-csrf") || !strings.Contains(out, "+ flow-error") {
		t.Errorf("a consent against one refused for CSRF: exit %d, want 1, the flag and the flow error\n%s%s", code, out, errOut)
	}

	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	rejected := filepath.Join(t.TempDir(), "rejected"+history.Extension)
	runCLI(t, "run", srv.URL+"/if/flow/default-authentication-flow/", "--record", rejected,
		"--set", "uid_field=bob", "--set", "password=not-bobs")
	bob := recordRun(t, sim.Options{}, "bob")
	code, out, errOut = runCLI(t, "diff", bob, rejected)
	if code != 1 || !strings.Contains(out, "reply.status: 302 → 200") || !strings.Contains(out, "+ password (retry)") {
		t.Errorf("a login against one whose password was rejected: exit %d, want 1\n%s%s", code, out, errOut)
	}
}
