package history

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
	"github.com/akinspect/akinspect/transport"
)

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
		for _, c := range []string{Curl(x, nil), Curl(x, []transport.Cookie{{Name: h, Value: h, Domain: "127.0.0.1"}})} {
			if bad := termsafetest.Find(c, false); bad != "" {
				t.Errorf("%q: %s\n%s", h, bad, c)
			}
		}
	}
}

// A replay diff of a body that is not JSON is cut at a character, not
// inside one.
func TestDiffPreviewCutsAtACharacter(t *testing.T) {
	for pad := 0; pad < 4; pad++ {
		body := strings.Repeat("x", 78+pad) + strings.Repeat("\u202e", 10)
		got := preview([]byte(body))
		if !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
			t.Errorf("preview cut badly: %q", got)
		}
	}
}
