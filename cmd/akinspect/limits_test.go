package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/sim"
)

// --max-body and --max-redirects are real flags, and the messages that
// need them name them.
func TestLimitsAreFlagsAndMessagesNameThem(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	flowURL := srv.URL + "/if/flow/default-authentication-flow/"

	code, out, errOut := runCLI(t, "run", flowURL, "--max-body", "200B", "--no-record")
	if code != exitTransport || !strings.Contains(errOut, "--max-body") {
		t.Errorf("a challenge over --max-body: exit %d, stderr %q (want 3 naming --max-body)\n%s", code, errOut, out)
	}
	for _, bad := range []string{"lots", "-1MiB", "0"} {
		if code, _, errOut := runCLI(t, "run", flowURL, "--max-body", bad); code != exitUsage {
			t.Errorf("--max-body %q: exit %d, want 2\n%s", bad, code, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "run", flowURL, "--max-redirects", "0"); code != exitUsage || !strings.Contains(errOut, "--max-redirects") {
		t.Errorf("--max-redirects 0: exit %d, %q", code, errOut)
	}
}

func TestByteSizeFlag(t *testing.T) {
	for in, want := range map[string]int64{"4194304": 4 << 20, "4MiB": 4 << 20, "512KiB": 512 << 10, "1GiB": 1 << 30, "2MB": 2e6, "10KB": 1e4, "12B": 12} {
		var b byteSize
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("%q → %d, %v; want %d", in, b, err, want)
		}
	}
}
