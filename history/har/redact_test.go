package har

import (
	"bytes"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history/redact"
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
	rec, err := Import(strings.NewReader(har))
	if err != nil {
		t.Fatal(err)
	}
	var once bytes.Buffer
	if err := Export(&once, rec, Options{}); err != nil {
		t.Fatal(err)
	}
	if out := once.String(); strings.Count(out, "«") != len(redact.MarkerNames(out)) || strings.Count(out, "»") != len(redact.MarkerNames(out)) {
		t.Fatalf("nested markers in the export:\n%s", once.Bytes())
	}
	if !bytes.Contains(once.Bytes(), []byte(`"name": "authentik_session"`)) {
		t.Errorf("a cookie name was lost:\n%s", once.Bytes())
	}
	again, err := Import(bytes.NewReader(once.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var twice bytes.Buffer
	if err := Export(&twice, again, Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(once.Bytes(), twice.Bytes()) {
		t.Errorf("exporting the export again changed it:\n%s\n---\n%s", once.Bytes(), twice.Bytes())
	}
}
