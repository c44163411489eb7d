package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// --max-body stops at the largest cap whose recording lines akinspect
// reads back (history.DefaultMaxLine); over it is a usage error naming
// the largest, not a recording that open refuses later.
func TestMaxBodyOverTheLargestIsRefused(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	flowURL := srv.URL + "/if/flow/default-authentication-flow/"
	for _, tooLarge := range []string{"17MiB", "64MiB", "1GiB"} {
		code, _, errOut := runCLI(t, "run", flowURL, "--max-body", tooLarge, "--no-record")
		if code != exitUsage || !strings.Contains(errOut, "--max-body") || !strings.Contains(errOut, "16MiB") {
			t.Errorf("--max-body %s: exit %d, stderr %q (want 2 naming the largest, 16MiB)", tooLarge, code, errOut)
		}
	}
	code, out, errOut := runCLI(t, "run", flowURL, "--max-body", "16MiB", "--no-record", "--set", "uid_field=bob", "--set", "password=bob-demo")
	if code != exitOK {
		t.Errorf("--max-body 16MiB, the largest: exit %d\n%s\n%s", code, out, errOut)
	}
}
