package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// reportPath is a difference line of the text report: "      PATH: A → B".
var reportPath = regexp.MustCompile(`(?m)^      ([^ :]+): `)

// printedPaths lists the paths a report prints.
func printedPaths(out string) []string {
	var paths []string
	for _, m := range reportPath.FindAllStringSubmatch(out, -1) {
		paths = append(paths, m[1])
	}
	return paths
}

// Every path the report prints can be given to --ignore, and the
// difference at it goes (the stage is then the same when it was its only
// one).
func TestDiffIgnoreTakesEveryPathTheReportPrints(t *testing.T) {
	bob := recordRun(t, sim.Options{}, "bob")
	alice := recordRun(t, sim.Options{}, "alice")
	admin := recordRun(t, sim.Options{}, "akadmin")
	pairs := [][2]string{
		{bob, alice},                                     // answer.uid_field, challenge.pending_user, an extra stage
		{admin, modelFixture("login")},                   // reply.status, reply.flags, reply.response_errors
		{modelFixture("consent"), modelFixture("csrf")},  // reply.flags of a CSRF failure
		{modelFixture("login"), modelFixture("consent")}, // another flow altogether
	}
	seen := map[string]bool{}
	for _, p := range pairs {
		code, out, errOut := runCLI(t, "diff", p[0], p[1])
		if code != 1 {
			t.Fatalf("diff %s %s: exit %d, want 1\n%s%s", p[0], p[1], code, out, errOut)
		}
		for _, path := range printedPaths(out) {
			seen[path] = true
			code, without, errOut := runCLI(t, "diff", p[0], p[1], "--ignore", path)
			if code == 2 || slices.Contains(printedPaths(without), path) {
				t.Errorf("--ignore %s: exit %d, the path is still reported\n%s%s", path, code, without, errOut)
			}
		}
	}
	for _, want := range []string{"answer.uid_field", "challenge.pending_user", "reply.status", "reply.flags", "reply.response_errors"} {
		if !seen[want] {
			t.Errorf("no report printed %s; printed %v", want, seen)
		}
	}
	// Ignoring the one difference of a stage makes the whole diff the same.
	if code, out, errOut := runCLI(t, "diff", admin, recordRun(t, sim.Options{}, "akadmin"), "--ignore", "challenge"); code != exitOK {
		t.Errorf("the same login, the challenges ignored: exit %d\n%s%s", code, out, errOut)
	}
}

// --compare takes a volatile path back, named as the report names it: the
// consent token (DefaultIgnore has token) in the challenge, in the answer.
func TestDiffCompareTakesAVolatilePathBack(t *testing.T) {
	a, b := modelFixture("consent"), modelFixture("csrf")
	_, out, _ := runCLI(t, "diff", a, b)
	for _, path := range []string{"challenge.token", "answer.token"} {
		if slices.Contains(printedPaths(out), path) {
			t.Errorf("%s reported by default: it changes on every consent\n%s", path, out)
		}
		code, with, errOut := runCLI(t, "diff", a, b, "--compare", path)
		if code != 1 || !slices.Contains(printedPaths(with), path) {
			t.Errorf("--compare %s: exit %d, the path is not reported\n%s%s", path, code, with, errOut)
		}
		other := map[string]string{"challenge.token": "answer.token", "answer.token": "challenge.token"}[path]
		if slices.Contains(printedPaths(with), other) {
			t.Errorf("--compare %s also compared %s\n%s", path, other, with)
		}
	}
	// Without its part, a path reaches every part, as replay takes it.
	if _, with, _ := runCLI(t, "diff", a, b, "--compare", "token"); !strings.Contains(with, "challenge.token") || !strings.Contains(with, "answer.token") {
		t.Errorf("--compare token: want both tokens\n%s", with)
	}
}
