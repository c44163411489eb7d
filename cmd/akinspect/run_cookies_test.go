package main

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// A response whose cookies Go threw away (over 3000 Set-Cookie parts) is
// told in the headless line, not only flagged: the session cookie did not
// change and the next request will show why.
func TestRunLineWarnsWhenCookiesWereDropped(t *testing.T) {
	x := &transport.Exchange{Method: "GET", Status: 200, Kind: transport.KindExecutor,
		Component: "ak-stage-identification",
		Flags:     []string{transport.FlagCookiesDropped},
		Diagnosis: "none of the 3001 Set-Cookie headers was kept: the cookie jar did not change"}
	line := exchangeLine(x)
	if !strings.Contains(line, "[cookies-dropped]") || !strings.Contains(line, "warning: none of the 3001 Set-Cookie headers") {
		t.Errorf("the line does not warn of the dropped cookies:\n%s", line)
	}
	x.Flags = nil
	if strings.Contains(exchangeLine(x), "warning") {
		t.Errorf("a warning without the flag:\n%s", exchangeLine(x))
	}
}
