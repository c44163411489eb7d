package transport

import (
	"net/url"
	"testing"
	"time"
)

func TestCookieAppliesToFollowsDomainPathSecureAndExpiry(t *testing.T) {
	now := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	u := func(s string) *url.URL {
		p, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name   string
		cookie Cookie
		url    string
		want   bool
	}{
		{"host cookie", Cookie{Name: "a", Domain: "auth.example", Path: "/", HostOnly: true}, "https://auth.example/if/flow/x/", true},
		{"host cookie, subdomain", Cookie{Name: "a", Domain: "auth.example", Path: "/", HostOnly: true}, "https://x.auth.example/", false},
		{"domain cookie, subdomain", Cookie{Name: "a", Domain: "auth.example", Path: "/"}, "https://x.auth.example/", true},
		{"other host", Cookie{Name: "a", Domain: "auth.example", Path: "/"}, "https://example/", false},
		{"path prefix", Cookie{Name: "a", Domain: "auth.example", Path: "/if"}, "https://auth.example/if/flow/", true},
		{"path not a segment", Cookie{Name: "a", Domain: "auth.example", Path: "/if"}, "https://auth.example/iff", false},
		{"secure over http", Cookie{Name: "a", Domain: "auth.example", Path: "/", Secure: true}, "http://auth.example/", false},
		{"expired", Cookie{Name: "a", Domain: "auth.example", Path: "/", Expires: now.Add(-time.Second)}, "https://auth.example/", false},
		{"not yet expired", Cookie{Name: "a", Domain: "auth.example", Path: "/", Expires: now.Add(time.Hour)}, "https://auth.example/", true},
	} {
		if got := c.cookie.AppliesTo(u(c.url), now); got != c.want {
			t.Errorf("%s: AppliesTo(%s) = %v, want %v", c.name, c.url, got, c.want)
		}
	}
}

// A cookie is its name, domain and path: the same name on another path is
// another cookie, added beside the first, and DiffJar says which path.
func TestJarSnapshotsKeyCookiesByNameDomainAndPath(t *testing.T) {
	root := Cookie{Name: "sid", Value: "1", Domain: "auth.example", Path: "/"}
	api := Cookie{Name: "sid", Value: "2", Domain: "auth.example", Path: "/api"}
	j1 := JarWith(nil, root)
	j2 := JarWith(j1, api)
	if len(j1) != 1 || len(j2) != 2 {
		t.Fatalf("JarWith: %d then %d cookies, want 1 then 2 (earlier snapshots stay)", len(j1), len(j2))
	}
	ch := DiffJar(j1, j2)
	if len(ch) != 1 || ch[0] != (CookieChange{Name: "sid", Domain: "auth.example", Path: "/api", Change: ChangeAdded}) {
		t.Fatalf("DiffJar = %+v, want sid on /api added", ch)
	}
	root2 := root
	root2.Value = "3"
	j3 := JarWith(j2, root2)
	if ch := DiffJar(j2, j3); len(ch) != 1 || ch[0] != (CookieChange{Name: "sid", Domain: "auth.example", Path: "/", Change: ChangeChanged}) {
		t.Fatalf("DiffJar = %+v, want sid on / changed", ch)
	}
	j4 := JarWithout(j3, api)
	if ch := DiffJar(j3, j4); len(j4) != 1 || len(ch) != 1 || ch[0] != (CookieChange{Name: "sid", Domain: "auth.example", Path: "/api", Change: ChangeRemoved}) {
		t.Fatalf("JarWithout left %+v, DiffJar = %+v, want sid on /api removed", j4, ch)
	}
	if ch := DiffJar(j4, j4); ch != nil {
		t.Fatalf("DiffJar of a snapshot with itself = %+v", ch)
	}
}
