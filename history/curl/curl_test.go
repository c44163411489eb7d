package curl

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/internal/historytest"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
	"github.com/akinspect/akinspect/transport"
)

func TestCurlRepeatsThePostWithTheJarOfThatMoment(t *testing.T) {
	session := syntheticSession()
	post := session[5] // the right password
	jar := append(session[4].Jar, transport.Cookie{Name: "elsewhere", Value: "x", Domain: "other.example", Path: "/"})
	cmd := Command(post, jar)
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
	path, w := historytest.WriteSession(t, history.WriterOptions{})
	w.Close()
	rec, err := history.Open(path)
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
	cmd := Command(post, jar)
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
	plain := Command(syntheticSession()[5], syntheticSession()[4].Jar)
	if strings.HasPrefix(plain, "#") || strings.Contains(plain, "placeholders") {
		t.Errorf("a command without markers got a comment:\n%s", plain)
	}

	// A marker name from the traffic cannot end the comment line and run
	// the rest as a command; it is shown, made safe for one line.
	hostile := &transport.Exchange{Method: "POST", URL: "http://127.0.0.1:9/x",
		RequestBody: []byte(`{"p":"` + redact.Marker("x\nrm -rf ~\x1b[2J") + `"}`)}
	cmd = Command(hostile, nil)
	first, rest, _ = strings.Cut(cmd, "\n")
	if !strings.HasPrefix(first, "# placeholders: x") || !strings.HasPrefix(rest, "curl ") || strings.Contains(first, "\x1b") {
		t.Errorf("hostile marker name broke the comment line:\n%q", cmd)
	}
}

// A crafted URL, header or body must not reach the terminal raw through
// export --curl, and the command must still send it byte for byte.
func TestCurlQuotesWhatATerminalWouldActOn(t *testing.T) {
	bash, _ := exec.LookPath("bash")
	cases := append(append([]string(nil), termsafetest.Hostile...), termsafetest.All,
		"it's \\ a $HOME `x`", "\t\r\n\x00\x7f\xff", "é\u202e'\\x41")
	for _, h := range cases {
		q := shellQuote(h)
		if bad := termsafetest.Find(q, false); bad != "" {
			t.Errorf("shellQuote(%q) = %q: %s", h, q, bad)
		}
		if bash == "" || strings.Contains(h, "\x00") {
			continue // a shell argument cannot hold NUL
		}
		out, err := exec.Command(bash, "-c", "printf %s "+q).Output()
		if err != nil {
			t.Fatalf("bash on %q: %v", q, err)
		}
		if string(out) != h {
			t.Errorf("shellQuote(%q) = %q: bash reads it as %q", h, q, out)
		}
	}
	for _, h := range termsafetest.Hostile {
		x := &transport.Exchange{Method: h, URL: "http://127.0.0.1:9/" + h, RequestBody: []byte(h),
			RequestHeader: http.Header{"X-" + h: {h}, "Cookie": {h}}}
		for _, c := range []string{Command(x, nil), Command(x, []transport.Cookie{{Name: h, Value: h, Domain: "127.0.0.1"}})} {
			if bad := termsafetest.Find(c, false); bad != "" {
				t.Errorf("%q: %s\n%s", h, bad, c)
			}
		}
	}
}

// The -b cookies are those the client's jar sent (transport.Cookie.AppliesTo):
// a cookie for /api is not sent to /apifoo, which a plain prefix of the
// path would send it to; a Secure cookie goes over http only to localhost;
// one that had expired when the request started stays behind.
func TestCurlSendsTheCookiesTheJarSent(t *testing.T) {
	start := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		url    string
		cookie transport.Cookie
		sent   bool
	}{
		{"https://auth.example/apifoo", transport.Cookie{Domain: "auth.example", Path: "/api"}, false},
		{"https://auth.example/api/v3/", transport.Cookie{Domain: "auth.example", Path: "/api"}, true},
		{"http://auth.example/", transport.Cookie{Domain: "auth.example", Path: "/", Secure: true}, false},
		{"http://localhost:9000/", transport.Cookie{Domain: "localhost", Path: "/", Secure: true, HostOnly: true}, true},
		{"https://auth.example/", transport.Cookie{Domain: "auth.example", Path: "/", Expires: start.Add(-time.Second)}, false},
		{"https://auth.example/", transport.Cookie{Domain: "auth.example", Path: "/", Expires: start.Add(time.Hour)}, true},
	} {
		c.cookie.Name, c.cookie.Value = "sid", "s3cret"
		cmd := Command(&transport.Exchange{Method: "GET", URL: c.url, Start: start}, []transport.Cookie{c.cookie})
		if got := strings.Contains(cmd, "-b 'sid=s3cret'"); got != c.sent {
			t.Errorf("cookie %+v to %s: sent %v, want %v:\n%s", c.cookie, c.url, got, c.sent, cmd)
		}
	}
}
