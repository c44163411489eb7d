package history

import (
	"bytes"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// A sanitizing tool writes the word "redacted" as every cookie value.
func TestHARWithRedactedCookieValuesExportsWithoutNestedMarkers(t *testing.T) {
	har := strings.NewReplacer(`"value":"c1"`, `"value":"redacted"`, `"value":"s1"`, `"value":"redacted"`,
		`{"name":"accept","value":"application/json"}`, `{"name":"accept","value":"application/json"},{"name":"cookie","value":"authentik_csrf=redacted"}`,
		`{"name":"content-type","value":"application/json"}],"cookies":[{"name":"authentik_session"`,
		`{"name":"content-type","value":"application/json"},{"name":"set-cookie","value":"authentik_session=redacted; Path=/"}],"cookies":[{"name":"authentik_session"`,
	).Replace(chromeHAR)
	if strings.Count(har, "=redacted") != 2 {
		t.Fatal("the fixture changed: no cookie headers added")
	}
	rec, err := ImportHAR(strings.NewReader(har))
	if err != nil {
		t.Fatal(err)
	}
	var once bytes.Buffer
	if err := ExportHAR(&once, rec, HAROptions{}); err != nil {
		t.Fatal(err)
	}
	if out := once.String(); strings.Count(out, "«") != len(markerSpans(out)) || strings.Count(out, "»") != len(markerSpans(out)) {
		t.Fatalf("nested markers in the export:\n%s", once.Bytes())
	}
	if !bytes.Contains(once.Bytes(), []byte(`"name": "authentik_session"`)) {
		t.Errorf("a cookie name was lost:\n%s", once.Bytes())
	}
	again, err := ImportHAR(bytes.NewReader(once.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var twice bytes.Buffer
	if err := ExportHAR(&twice, again, HAROptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(once.Bytes(), twice.Bytes()) {
		t.Errorf("exporting the export again changed it:\n%s\n---\n%s", once.Bytes(), twice.Bytes())
	}
}

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
