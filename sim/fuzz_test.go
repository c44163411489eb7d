package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// FuzzExecutorPOST: whatever the body, the executor answers 200 with a JSON
// challenge or a 302 with an empty body; it never panics or 500s.
func FuzzExecutorPOST(f *testing.F) {
	for _, seed := range []string{
		`{"component":"ak-stage-identification","uid_field":"bob"}`,
		`{"component":"ak-stage-prompt","username":"x","age":"1.0","colour":["red"],"newsletter":"on"}`,
		`{"component":"ak-stage-authenticator-validate","duo":1e99}`,
		`{"code":{"a":1},"selected_challenge":[]}`,
		`[]`, `null`, `"x"`, `12`, `{`, ``, `{"uid_field":null,"password":true}`,
		`{"remember_me":"maybe","token":7}`,
	} {
		for _, slug := range []string{"default-authentication-flow", "default-enrollment-flow", "duo-push", "hologram-flow", "broken-flow"} {
			f.Add(slug, "application/json", seed)
		}
	}
	f.Add("default-authentication-flow", "text/plain", `{"uid_field":"bob"}`)
	s := New(Options{SlowDelay: 1})
	s.noPause = true
	f.Fuzz(func(t *testing.T, slug, contentType, body string) {
		if s.flows[slug] == nil {
			slug = "default-authentication-flow"
		}
		path := "/api/v3/flows/executor/" + slug + "/?query=next%3D%252F"
		var cookie *http.Cookie
		if slug == "duo-push" {
			// Reach the validate stage so its answer handling is fuzzed too.
			cookie = advance(t, s, path, `{"uid_field":"alice","password":"alice-demo"}`)
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if n := s.panics.Load(); n != 0 {
			t.Fatalf("the executor panicked on %q (shown as a flow error)", body)
		}
		switch rec.Code {
		case http.StatusFound:
			if rec.Body.Len() != 0 {
				t.Fatalf("302 with a body %q", rec.Body.String())
			}
		case http.StatusOK:
			if _, err := flow.Decode(rec.Body.Bytes()); err != nil {
				t.Fatalf("200 without a challenge: %v %q", err, rec.Body.String())
			}
			if !json.Valid(rec.Body.Bytes()) || !bytes.HasPrefix(rec.Body.Bytes(), []byte("{")) {
				t.Fatalf("body %q", rec.Body.String())
			}
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
	})
}

// advance posts one answer in a fresh session and returns its cookie.
func advance(t *testing.T, s *Server, path, body string) *http.Cookie {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusFound {
		t.Fatalf("setup step: %d %s", rec.Code, rec.Body.String())
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == SessionCookie {
			return c
		}
	}
	t.Fatal("setup step set no session cookie")
	return nil
}

// Requests of one session may arrive together (the inspector polls while a
// step is posted); the session stays consistent under -race.
func TestConcurrentRequestsInOneSession(t *testing.T) {
	s, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	c.get()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, c.executorURL(), nil)
			if i%2 == 0 {
				req, _ = http.NewRequest(http.MethodGet, ts.URL+"/api/v3/flows/inspector/default-authentication-flow/", nil)
				req.Header.Set("Authorization", "Bearer "+s.AdminToken())
			}
			resp, err := c.hc.Do(req)
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	c.login("bob", "bob-demo", "")
	if n := s.SessionCount(); n != 1 {
		t.Fatalf("%d sessions, want 1 (login rotates the key, it does not add one)", n)
	}
}

func TestBannerListsEverythingADemoNeeds(t *testing.T) {
	s := New(Options{Now: func() time.Time { return fixedNow }})
	b := s.Banner("http://127.0.0.1:9000/")
	code, _ := flow.TOTP(secretAlice, fixedNow)
	for _, want := range []string{
		"http://127.0.0.1:9000/", "default-authentication-flow", "hologram-flow", "akadmin", "akadmin-demo",
		"alice-demo", "bob-demo", code, "al3k8d2m", s.AdminToken(),
		"http://127.0.0.1:9000/if/flow/duo-push/",
	} {
		if !strings.Contains(b, want) {
			t.Errorf("banner lacks %q:\n%s", want, b)
		}
	}
	// On a small terminal only the top shows: users and codes first.
	if strings.Index(b, "alice-demo") > strings.Index(b, "default-authentication-flow") {
		t.Errorf("users should come before flows:\n%s", b)
	}
	if len(s.Flows()) != 8 {
		t.Errorf("%d flows", len(s.Flows()))
	}
}
