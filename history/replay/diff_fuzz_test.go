package replay

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
	"github.com/akinspect/akinspect/transport"
)

// fuzzExchange is an exchange as a recording could hold it: any bodies,
// component, status, flags and one cookie.
func fuzzExchange(req, resp []byte, component string, status int, flags, cookie string) *transport.Exchange {
	e := &transport.Exchange{ID: 1, Kind: transport.KindExecutor, Method: "POST", RequestBody: req, ResponseBody: resp,
		Component: component, Status: status, Flags: strings.Fields(flags),
		Jar: []transport.Cookie{{Name: cookie, Value: cookie, Domain: "127.0.0.1", Path: "/"}}}
	if ch, err := flow.Decode(resp); err == nil {
		e.Challenge = ch
	}
	return e
}

// FuzzDiffExchanges: comparing any two exchanges (FILE#N, d in the TUI)
// never panics, and the report printed from it holds nothing a terminal
// would act on (no raw ESC, C1 or bidi control), whatever the bodies,
// components, flags and cookie names hold.
func FuzzDiffExchanges(f *testing.F) {
	pw := `{"component":"ak-stage-password","pending_user":"bob","response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`
	f.Add([]byte(`{"component":"ak-stage-password","password":"x"}`), []byte(pw), "ak-stage-password", 200, "validation-error",
		[]byte(`{"component":"ak-stage-password","password":"y"}`), []byte{}, "", 302, "redirect", "authentik_session")
	f.Add([]byte(`{"uid_field":"\u001b[2J"}`), []byte(`{"component":"x\u009b","a":[1,{"b":null}]}`), "x\u202e", 0, "likely-csrf",
		[]byte(`[1,2`), []byte(`{"a":[1]}`), "\x1b]0;x\a", 403, "error truncated", "\x1b]52;c;aGk=\a")
	f.Add([]byte{}, []byte{}, "", 0, "", []byte{}, []byte{}, "", 0, "", "")
	f.Fuzz(func(t *testing.T, reqA, respA []byte, compA string, statusA int, flagsA string,
		reqB, respB []byte, compB string, statusB int, flagsB, cookie string) {
		if len(reqA)+len(respA)+len(reqB)+len(respB) > maxFuzzInput {
			return
		}
		a := fuzzExchange(reqA, respA, compA, statusA, flagsA, cookie)
		b := fuzzExchange(reqB, respB, compB, statusB, flagsB, cookie+"x")
		diffs := DiffExchanges(a, b, DiffOptions{Compare: []string{"time"}})
		if bad := termsafetest.Find(ExchangesText(compA, compB, diffs), false); bad != "" {
			t.Fatalf("the report holds %s", bad)
		}
	})
}
