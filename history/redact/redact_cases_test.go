package redact

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
)

// An answer to a component the catalog does not know is redacted whole.
func TestAnswerTheCatalogCannotClassifyIsRedactedWhole(t *testing.T) {
	r := NewRedactor()
	ch := challengeEx(200, `{"component":"ak-stage-custom-pin"}`)
	ch.Flow, ch.Kind = "f", transport.KindExecutor
	r.Redact(ch)
	post := &transport.Exchange{Flow: "f", Kind: transport.KindExecutor, Method: "POST",
		RequestBody: []byte(`{"component":"ak-stage-custom-pin","pin":"4711","nested":{"hint":"cat"},"n":5}`)}
	got := string(r.Redact(post).RequestBody)
	want := `{"component":"ak-stage-custom-pin","pin":"«redacted:pin»","nested":{"hint":"«redacted:hint»"},"n":5}`
	if got != want {
		t.Errorf("unclassified answer recorded as\n%s\nwant\n%s", got, want)
	}
}

// Marker text typed into a field is kept as typed, and the secret that
// follows gets another name, so that putting secrets back never writes
// into the typed text.
func TestMarkerTextInTheTrafficIsNeverRestoredInto(t *testing.T) {
	r := NewRedactor()
	ch := challengeEx(200, `{"component":"ak-stage-password"}`)
	ch.Flow, ch.Kind = "f", transport.KindExecutor
	r.Redact(ch)
	body := `{"component":"ak-stage-password","note":"«redacted:password»","password":"hunter22"}`
	post := &transport.Exchange{Flow: "f", Kind: transport.KindExecutor, Method: "POST", RequestBody: []byte(body)}
	red := r.Redact(post)
	want := `{"component":"ak-stage-password","note":"«redacted:password»","password":"«redacted:password#2»"}`
	if string(red.RequestBody) != want {
		t.Fatalf("recorded %s, want %s", red.RequestBody, want)
	}
	restore(red, map[string]string{"password#2": "hunter22"})
	if string(red.RequestBody) != body {
		t.Errorf("restored %s, want %s", red.RequestBody, body)
	}
}

// Only the value of a Cookie header is replaced; its bytes around stay.
func TestCookieHeaderKeepsNamesAndSeparators(t *testing.T) {
	e := &transport.Exchange{Method: "GET", RequestHeader: map[string][]string{"Cookie": {"authentik_session=authentik;a=b"}}}
	got := NewRedactor().Redact(e).RequestHeader.Get("Cookie")
	if got != "authentik_session=«redacted:cookie:authentik_session»;a=«redacted:cookie:a»" {
		t.Errorf("Cookie = %s", got)
	}
}

func TestMarkersRoundTrip(t *testing.T) {
	for _, c := range []struct {
		s      string
		name   string
		number bool
		ok     bool
	}{
		{Marker("password"), "password", false, true},
		{numberMarker("code"), "code", true, true},
		{Marker("cookie:authentik_session#2"), "cookie:authentik_session#2", false, true},
		{"«redacted:»", "", false, false},
		{"password", "", false, false},
	} {
		name, number, ok := ParseMarker(c.s)
		if name != c.name || number != c.number || ok != c.ok {
			t.Errorf("ParseMarker(%q) = %q %v %v", c.s, name, number, ok)
		}
	}
	if BaseName("password#2") != "password" || BaseName("cookie:x") != "cookie:x" {
		t.Error("baseName")
	}
}

func TestDigitSecretsSpareLongerNumbers(t *testing.T) {
	got, n := replaceAllBounded(`{"expires":1234567890123,"code":"123456","t":"x123456"}`, "123456", "X")
	if n != 2 || got != `{"expires":1234567890123,"code":"X","t":"xX"}` {
		t.Errorf("got %s (%d)", got, n)
	}
}

func TestCatalogSecretObjectsAreRedacted(t *testing.T) {
	r := NewRedactor()
	ch := challengeEx(200, `{"component":"ak-stage-authenticator-validate","device_challenges":[{"device_class":"webauthn","device_uid":"1","challenge":{}}]}`)
	ch.Flow = "f"
	r.Redact(ch)
	post := &transport.Exchange{Flow: "f", Method: "POST", Secrets: []string{"webauthn"},
		RequestBody: []byte(`{"component":"ak-stage-authenticator-validate","webauthn":{"id":"cred-abc","response":{"signature":"c2lnbmF0dXJl"}}}`)}
	got := string(r.Redact(post).RequestBody)
	if strings.Contains(got, "c2lnbmF0dXJl") || !strings.Contains(got, Marker("webauthn")) {
		t.Errorf("WebAuthn assertion not redacted: %s", got)
	}
}

func TestLocationCodesAreRedacted(t *testing.T) {
	e := &transport.Exchange{Method: "GET", Status: 302, ResponseHeader: map[string][]string{
		"Location": {"https://app.example/cb?code=abcdef0123456789&state=s"}}}
	got := NewRedactor().Redact(e).ResponseHeader.Get("Location")
	if strings.Contains(got, "abcdef0123456789") || !strings.Contains(got, "state=s") {
		t.Errorf("Location = %s", got)
	}
}

// challengeEx is a GET whose response body is decoded as a challenge.
func challengeEx(status int, body string) *transport.Exchange {
	e := &transport.Exchange{Method: "GET", Status: status, ResponseBody: []byte(body)}
	if c, err := flow.Decode(e.ResponseBody); err == nil {
		e.Challenge = c
		if e.Component == "" {
			e.Component = c.Component
		}
	}
	return e
}
