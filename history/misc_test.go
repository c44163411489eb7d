package history

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history/redact"
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
	if !strings.HasPrefix(rest, "curl -sS -i ") || !strings.Contains(rest, redact.Marker("password#2")) || strings.Contains(rest, secretPassword) {
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
		RequestBody: []byte(`{"p":"` + redact.Marker("x\nrm -rf ~\x1b[2J") + `"}`)}
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
