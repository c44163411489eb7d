package transport

import (
	"net/http"
	"testing"
	"time"
)

func findCookie(cs []Cookie, name string) (Cookie, bool) {
	for _, c := range cs {
		if c.Name == name {
			return c, true
		}
	}
	return Cookie{}, false
}

func findChange(chs []CookieChange, name string) (Change, bool) {
	for _, ch := range chs {
		if ch.Name == name {
			return ch.Change, true
		}
	}
	return "", false
}

func TestJarSnapshotChangesAndRotationFlags(t *testing.T) {
	f := newFakeAK(t)
	n := 0
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		n++
		switch n {
		case 1: // anonymous session
			http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "anon", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		case 2: // login: new session key and CSRF token, language cookie gone
			http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "user", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
			http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: "csrf-token-2", Path: "/", MaxAge: 3600})
			http.SetCookie(w, &http.Cookie{Name: "authentik_language", Path: "/", MaxAge: -1})
		}
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL)
	step, err := c.Start(bg())
	if err != nil {
		t.Fatal(err)
	}
	page, first := step.Exchanges[0], step.Exchanges[1]
	csrf, ok := findCookie(page.Jar, CSRFCookie)
	if !ok || csrf.Value != "csrf-token-1" || csrf.Path != "/" || csrf.Domain != "127.0.0.1" || !csrf.HostOnly ||
		csrf.SameSite != "Lax" || csrf.Expires.Before(time.Now().Add(59*time.Minute)) {
		t.Errorf("csrf cookie after page = %+v", csrf)
	}
	if ch, _ := findChange(page.JarChanges, CSRFCookie); ch != ChangeAdded {
		t.Errorf("page change for csrf = %q", ch)
	}
	if sess, _ := findCookie(first.Jar, SessionCookie); !sess.HTTPOnly || sess.Value != "anon" || !sess.Expires.IsZero() {
		t.Errorf("session cookie = %+v", sess)
	}
	if first.Has(FlagSessionRotated) {
		t.Error("a new session is not a rotation")
	}

	c.jar.load([]Cookie{{Name: "authentik_language", Value: "de", Domain: "127.0.0.1", Path: "/", HostOnly: true}}, time.Now())
	step, err = c.Challenge(bg())
	if err != nil {
		t.Fatal(err)
	}
	ex := step.Last()
	if !ex.Has(FlagSessionRotated) || !ex.Has(FlagCSRFRotated) {
		t.Errorf("login exchange flags = %v", ex.Flags)
	}
	for name, want := range map[string]Change{SessionCookie: ChangeChanged, CSRFCookie: ChangeChanged, "authentik_language": ChangeRemoved} {
		if got, _ := findChange(ex.JarChanges, name); got != want {
			t.Errorf("change of %s = %q, want %q", name, got, want)
		}
	}
	if _, ok := findCookie(c.Cookies(), "authentik_language"); ok {
		t.Error("a cookie deleted with Max-Age=0 is still in the jar")
	}
	if v, _ := findCookie(c.Cookies(), CSRFCookie); v.Value != "csrf-token-2" {
		t.Errorf("jar csrf = %q", v.Value)
	}

	c.ResetJar()
	if len(c.Cookies()) != 0 {
		t.Errorf("ResetJar left %v", c.Cookies())
	}
}

func TestUseFlowKeepsTheJar(t *testing.T) {
	f := newFakeAK(t)
	var cookieSeen string
	f.mux.HandleFunc("/api/v3/flows/executor/other-flow/", func(w http.ResponseWriter, r *http.Request) {
		if ck, err := r.Cookie(CSRFCookie); err == nil {
			cookieSeen = ck.Value
		}
		writeJSON(w, 200, map[string]any{"component": "ak-stage-consent"})
	})
	c := newTestClient(t, f.URL)
	if _, err := c.Start(bg()); err == nil {
		t.Fatal("the test flow has no executor here; want an error")
	}
	c.UseFlow("other-flow", "")
	step, err := c.Challenge(bg())
	if err != nil {
		t.Fatal(err)
	}
	if cookieSeen != "csrf-token-1" || step.Last().Flow != "other-flow" || c.Config().Flow != "other-flow" {
		t.Errorf("after UseFlow: cookie %q, flow %q", cookieSeen, step.Last().Flow)
	}
}

func TestDomainCookieAttributes(t *testing.T) {
	u := mustURL(t, "https://auth.example.com/api/v3/flows/executor/x/")
	now := time.Unix(1_800_000_000, 0)
	c, ok := fromSetCookie(u, &http.Cookie{Name: "a", Value: "1", Domain: ".example.com", Secure: true, MaxAge: 60}, now)
	if !ok || c.Domain != "example.com" || c.HostOnly || c.Path != "/api/v3/flows/executor/x" || !c.Expires.Equal(now.Add(time.Minute)) || !c.Secure {
		t.Errorf("domain cookie = %+v (ok %v)", c, ok)
	}
	if _, ok := fromSetCookie(u, &http.Cookie{Name: "a", Domain: "com"}, now); ok {
		t.Error("a cookie for a public suffix was accepted")
	}
	if _, ok := fromSetCookie(u, &http.Cookie{Name: "a", Domain: "other.org"}, now); ok {
		t.Error("a cookie for another domain was accepted")
	}
}
