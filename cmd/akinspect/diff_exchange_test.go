package main

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// FILE#N of a POST compares what was sent too: bob's and alice's
// identification POSTs (#3, both a 302 without a body) differ in the user
// name; the passwords (#5), redacted in the recordings, are not compared.
func TestDiffOfTwoPOSTsComparesWhatWasSent(t *testing.T) {
	bob := recordRun(t, sim.Options{}, "bob")
	alice := recordRun(t, sim.Options{}, "alice")
	code, out, errOut := runCLI(t, "diff", bob+"#3", alice+"#3")
	if code != 1 || !strings.Contains(out, `~ answer.uid_field: "bob" → "alice"`) {
		t.Errorf("two identification POSTs: exit %d, want 1 and the user name\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "diff", bob+"#3", alice+"#3", "--ignore", "answer.uid_field"); code != exitOK {
		t.Errorf("--ignore answer.uid_field: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "diff", bob+"#5", alice+"#5"); code != exitOK || strings.Contains(out, "answer.password") {
		t.Errorf("two redacted password POSTs: exit %d, want 0\n%s%s", code, out, errOut)
	}
}
