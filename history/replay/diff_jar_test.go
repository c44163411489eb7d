package replay

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

func jarOf(kv ...string) []transport.Cookie {
	var jar []transport.Cookie
	for i := 0; i+1 < len(kv); i += 2 {
		jar = append(jar, transport.Cookie{Name: kv[i], Value: kv[i+1], Domain: "127.0.0.1", Path: "/"})
	}
	return jar
}

// Two logins never share a session or CSRF value: by default only the
// cookies' presence is compared for those, every other cookie by value;
// --compare and --ignore reach jar paths as they reach challenge fields.
func TestJarDiffIgnoresVolatileValuesButNotPresence(t *testing.T) {
	a := jarOf("authentik_session", "s1", "authentik_csrf", "c1", "theme", "dark")
	b := jarOf("authentik_session", "s2", "authentik_csrf", "c2", "theme", "light")
	if got := paths(compareJars(a, b, newMatcher(nil, nil))); got != "jar.theme" {
		t.Errorf("default: differences at %q, want only jar.theme", got)
	}
	if got := paths(compareJars(a, b, newMatcher([]string{"jar.theme"}, nil))); got != "" {
		t.Errorf("--ignore jar.theme: differences at %q, want none", got)
	}
	if got := paths(compareJars(a, b, newMatcher(nil, []string{"jar.authentik_session"}))); !strings.Contains(got, "jar.authentik_session") {
		t.Errorf("--compare jar.authentik_session: differences at %q, want the session value", got)
	}
	noSession := jarOf("authentik_csrf", "c2", "theme", "dark")
	if got := paths(compareJars(a, noSession, newMatcher(nil, nil))); got != "jar.authentik_session" {
		t.Errorf("a missing session cookie: differences at %q, want jar.authentik_session", got)
	}
}
