package history

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

func TestCurlRepeatsThePostWithTheJarOfThatMoment(t *testing.T) {
	session := syntheticSession()
	post := session[5] // the right password
	jar := append(session[4].Jar, transport.Cookie{Name: "elsewhere", Value: "x", Domain: "other.example", Path: "/"})
	cmd := Curl(post, jar)
	for _, want := range []string{
		"curl -sS -i '" + post.URL + "'",
		"-H 'Content-Type: application/json'",
		"-H 'X-Authentik-Csrf: " + secretCSRF + "'",
		"-b 'authentik_session=" + secretSession + "; authentik_csrf=" + secretCSRF + "'",
		`--data-raw '{"component":"ak-stage-password","password":"` + secretPassword + `"}'`,
	} {
		if !strings.Contains(cmd, want) {
			t.Errorf("curl command lacks %q:\n%s", want, cmd)
		}
	}
	if strings.Contains(cmd, "elsewhere") || strings.Contains(cmd, "-X") {
		t.Errorf("curl command sends a foreign cookie or a needless -X:\n%s", cmd)
	}
	if got := shellQuote("it's"); got != `'it'\''s'` {
		t.Errorf("shellQuote = %s", got)
	}
}

// Issue 12: a command from a redacted recording says which values are
// placeholders, each once, on a comment line before it; a command with no
// marker has no such line.
func TestCurlFromARedactedRecordingNamesItsPlaceholders(t *testing.T) {
	path, w := writeSession(t, WriterOptions{})
	w.Close()
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	post, err := rec.Exchange(5) // the right password
	if err != nil {
		t.Fatal(err)
	}
	jar, err := rec.JarBefore(5)
	if err != nil {
		t.Fatal(err)
	}
	cmd := Curl(post, jar)
	first, rest, _ := strings.Cut(cmd, "\n")
	want := "# placeholders: " + strings.Join([]string{"cookie authentik_csrf", "cookie authentik_session", "password#2"}, ", ") +
		" — replace them before running"
	if first != want {
		t.Errorf("comment line:\n got %s\nwant %s\ncommand:\n%s", first, want, cmd)
	}
	if !strings.HasPrefix(rest, "curl -sS -i ") || !strings.Contains(rest, Marker("password#2")) || strings.Contains(rest, secretPassword) {
		t.Errorf("command after the comment:\n%s", rest)
	}
	for _, name := range []string{"password#2", "authentik_session", "authentik_csrf"} {
		if strings.Count(first, name) != 1 {
			t.Errorf("%s not named exactly once: %s", name, first)
		}
	}

	// No marker, no comment.
	plain := Curl(syntheticSession()[5], syntheticSession()[4].Jar)
	if strings.HasPrefix(plain, "#") || strings.Contains(plain, "placeholders") {
		t.Errorf("a command without markers got a comment:\n%s", plain)
	}

	// A marker name from the traffic cannot end the comment line and run
	// the rest as a command; it is shown, made safe for one line.
	hostile := &transport.Exchange{Method: "POST", URL: "http://127.0.0.1:9/x",
		RequestBody: []byte(`{"p":"` + Marker("x\nrm -rf ~\x1b[2J") + `"}`)}
	cmd = Curl(hostile, nil)
	first, rest, _ = strings.Cut(cmd, "\n")
	if !strings.HasPrefix(first, "# placeholders: x") || !strings.HasPrefix(rest, "curl ") || strings.Contains(first, "\x1b") {
		t.Errorf("hostile marker name broke the comment line:\n%q", cmd)
	}
}

func TestSearchFindsTextInBodiesOfTheWholeFile(t *testing.T) {
	path, w := writeSession(t, WriterOptions{})
	w.Close()
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	hits := searchHits(t, rec, "invalid PASSWORD")
	if len(hits) != 1 || hits[0].Index != 4 || hits[0].Field != "response body" || !strings.Contains(hits[0].Snippet, "Invalid password") {
		t.Fatalf("hits = %+v", hits)
	}
	if hits := searchHits(t, rec, `"uid_field":"akadmin"`); len(hits) != 1 || hits[0].Field != "request body" {
		t.Errorf("a query with quotes (no raw-line shortcut): %+v", hits)
	}
	if hits := searchHits(t, rec, "Grant access"); len(hits) != 1 || hits[0].Index != 13 {
		t.Errorf("consent header_text: %+v", hits)
	}
	if hits := searchHits(t, rec, secretPassword); len(hits) != 0 {
		t.Errorf("search finds a redacted secret: %+v", hits)
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
	if baseName("password#2") != "password" || baseName("cookie:x") != "cookie:x" {
		t.Error("baseName")
	}
}

func TestDigitSecretsSpareLongerNumbers(t *testing.T) {
	got, n := replaceAllBounded(`{"expires":1234567890123,"code":"123456","t":"x123456"}`, "123456", "X")
	if n != 2 || got != `{"expires":1234567890123,"code":"X","t":"xX"}` {
		t.Errorf("got %s (%d)", got, n)
	}
}

func TestFileNameAndDefaultDir(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	dir, err := DefaultDir()
	if err != nil || dir != "/state/akinspect/recordings" {
		t.Errorf("DefaultDir = %q, %v", dir, err)
	}
	name := FileName(syntheticSession()[0].Start, "a/b c")
	if name != "20261126T130000.100Z-a_b_c"+Extension {
		t.Errorf("FileName = %q", name)
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
