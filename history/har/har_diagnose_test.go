package har

import (
	"slices"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// browserCSRFHAR: a devtools HAR of a login (the password POST's response
// rotates authentik_session), then a consent POST sent without the
// X-authentik-CSRF header, answered with a bare flow error. An asset
// request sits between them, as in a real browser's HAR.
const browserCSRFHAR = `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
{"startedDateTime":"2026-11-26T10:00:00.000Z","request":{"method":"GET","url":"https://auth.example/if/flow/default-authentication-flow/","headers":[],"cookies":[]},"response":{"status":200,"headers":[],"cookies":[{"name":"authentik_csrf","value":"c1","path":"/"},{"name":"authentik_session","value":"s1","path":"/"}],"content":{"text":"<html></html>"}},"timings":{}},
{"startedDateTime":"2026-11-26T10:00:00.200Z","request":{"method":"GET","url":"https://auth.example/api/v3/flows/executor/default-authentication-flow/","headers":[],"cookies":[{"name":"authentik_csrf","value":"c1"},{"name":"authentik_session","value":"s1"}]},"response":{"status":200,"headers":[],"cookies":[],"content":{"text":"{\"component\":\"ak-stage-password\",\"pending_user\":\"alice\"}"}},"timings":{}},
{"startedDateTime":"2026-11-26T10:00:01.000Z","request":{"method":"POST","url":"https://auth.example/api/v3/flows/executor/default-authentication-flow/","headers":[{"name":"X-authentik-CSRF","value":"c1"}],"cookies":[{"name":"authentik_csrf","value":"c1"},{"name":"authentik_session","value":"s1"}],"postData":{"text":"{\"component\":\"ak-stage-password\",\"password\":\"pw\"}"}},"response":{"status":200,"headers":[],"cookies":[{"name":"authentik_session","value":"s2","path":"/"}],"content":{"text":"{\"component\":\"xak-flow-redirect\",\"to\":\"/\"}"}},"timings":{}},
{"startedDateTime":"2026-11-26T10:00:02.000Z","request":{"method":"GET","url":"https://auth.example/api/v3/flows/executor/default-provider-authorization-explicit-consent/","headers":[],"cookies":[{"name":"authentik_csrf","value":"c1"},{"name":"authentik_session","value":"s2"}]},"response":{"status":200,"headers":[],"cookies":[],"content":{"text":"{\"component\":\"ak-stage-consent\",\"token\":\"t\",\"permissions\":[]}"}},"timings":{}},
{"startedDateTime":"2026-11-26T10:00:02.500Z","request":{"method":"GET","url":"https://auth.example/static/dist/poly.js","headers":[],"cookies":[]},"response":{"status":200,"headers":[],"cookies":[],"content":{"text":"x=1"}},"timings":{}},
{"startedDateTime":"2026-11-26T10:00:03.000Z","request":{"method":"POST","url":"https://auth.example/api/v3/flows/executor/default-provider-authorization-explicit-consent/","headers":[{"name":"Content-Type","value":"application/json"},{"name":"cookie","value":"authentik_csrf=c1; authentik_session=s2"}],"cookies":[{"name":"authentik_csrf","value":"c1"},{"name":"authentik_session","value":"s2"}],"postData":{"text":"{\"component\":\"ak-stage-consent\",\"token\":\"t\"}"}},"response":{"status":200,"headers":[],"cookies":[],"content":{"text":"{\"component\":\"ak-stage-flow-error\",\"request_id\":\"r42\"}"}},"timings":{}}
]}}`

// Issue 9: a browser's HAR carries no diagnosis; importing it gives a flow
// error the one a live client would have given.
func TestImportedBrowserHARDiagnosesTheMissingCSRFHeader(t *testing.T) {
	rec, err := Import(strings.NewReader(browserCSRFHAR))
	if err != nil {
		t.Fatal(err)
	}
	last := rec.Len() - 1
	if s := rec.Summary(last); s.Component != "ak-stage-flow-error" || !slices.Contains(s.Flags, transport.FlagLikelyCSRF) {
		t.Fatalf("timeline row of the flow error: %+v, want it flagged %s", s, transport.FlagLikelyCSRF)
	}
	e, err := rec.Exchange(last)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Has(transport.FlagLikelyCSRF) || !strings.Contains(e.Diagnosis, "sent no X-authentik-CSRF header") || !strings.Contains(e.Diagnosis, "r42") {
		t.Errorf("diagnosis %q flags %v: want a likely CSRF failure naming the missing header", e.Diagnosis, e.Flags)
	}
	for i := range last {
		if x, _ := rec.Exchange(i); x.Diagnosis != "" || x.Has(transport.FlagLikelyCSRF) {
			t.Errorf("exchange %d got a diagnosis: %q", i, x.Diagnosis)
		}
	}

	// The same POST with the header is not blamed on CSRF.
	withHeader := strings.Replace(browserCSRFHAR, `{"name":"Content-Type","value":"application/json"}`,
		`{"name":"Content-Type","value":"application/json"},{"name":"x-authentik-csrf","value":"c1"}`, 1)
	rec, err = Import(strings.NewReader(withHeader))
	if err != nil {
		t.Fatal(err)
	}
	e, _ = rec.Exchange(rec.Len() - 1)
	if e.Has(transport.FlagLikelyCSRF) || !strings.Contains(e.Diagnosis, "hid the error") {
		t.Errorf("with the header: diagnosis %q flags %v, want the hidden-error explanation", e.Diagnosis, e.Flags)
	}
}

// The login that rotated the session counts however far back it is, and
// a HAR of many flow errors is diagnosed in one pass.
func TestImportedBrowserHARDiagnosesLongAfterTheLogin(t *testing.T) {
	i := strings.LastIndex(browserCSRFHAR, "\n{")
	post := strings.TrimSuffix(browserCSRFHAR[i+1:], "\n]}}")
	har := browserCSRFHAR[:i] + strings.Repeat("\n"+post+",", 2*diagnoseWindow) + "\n" + post + "\n]}}"
	rec, err := Import(strings.NewReader(har))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Len() != 6+2*diagnoseWindow {
		t.Fatalf("imported %d exchanges", rec.Len())
	}
	e, _ := rec.Exchange(rec.Len() - 1)
	if !e.Has(transport.FlagLikelyCSRF) || !strings.Contains(e.Diagnosis, "sent no X-authentik-CSRF header") {
		t.Errorf("last of many flow errors: diagnosis %q flags %v", e.Diagnosis, e.Flags)
	}
}
