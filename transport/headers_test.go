package transport

import (
	"net/http"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func answer(body string, secrets ...string) flow.Answer {
	return flow.Answer{Component: "ak-stage-identification", Body: []byte(body), Secrets: secrets}
}

func TestHeadersLikeTheWebClient(t *testing.T) {
	f := newFakeAK(t)
	var got []http.Header
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Clone())
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Query = "next=/x" })
	if _, err := c.Start(bg()); err != nil {
		t.Fatal(err)
	}
	step, err := c.Submit(bg(), answer(`{"component":"ak-stage-identification","uid_field":"alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	get, post := got[0], got[1]
	for name, h := range map[string]http.Header{"GET": get, "POST": post} {
		if h.Get("Accept") != "application/json" {
			t.Errorf("%s Accept = %q", name, h.Get("Accept"))
		}
		if h.Get("User-Agent") != "akinspect/dev" {
			t.Errorf("%s User-Agent = %q", name, h.Get("User-Agent"))
		}
		if h.Get("X-authentik-CSRF") != "csrf-token-1" {
			t.Errorf("%s X-authentik-CSRF = %q, want the authentik_csrf cookie", name, h.Get("X-authentik-CSRF"))
		}
		if h.Get("Authorization") != "" {
			t.Errorf("%s sent Authorization without a token", name)
		}
	}
	if get.Get("Origin") != "" || get.Get("Content-Type") != "" {
		t.Error("GET carries Origin or Content-Type")
	}
	if post.Get("Origin") != f.URL {
		t.Errorf("POST Origin = %q, want %q", post.Get("Origin"), f.URL)
	}
	if want := f.URL + "/if/flow/" + testSlug + "/?next=/x"; post.Get("Referer") != want {
		t.Errorf("POST Referer = %q, want %q", post.Get("Referer"), want)
	}
	if post.Get("Content-Type") != "application/json" {
		t.Errorf("POST Content-Type = %q", post.Get("Content-Type"))
	}
	// The recorded request shows the cookies that were sent.
	if ck := step.Exchanges[0].RequestHeader.Get("Cookie"); ck != "authentik_csrf=csrf-token-1" {
		t.Errorf("recorded Cookie header = %q", ck)
	}
}

func TestUserAgentAndBearerToken(t *testing.T) {
	f := newFakeAK(t)
	var execAuth, execCookie, execUA string
	f.mux.HandleFunc("/api/v3/flows/instances/"+testSlug+"/execute/", func(w http.ResponseWriter, r *http.Request) {
		execAuth, execUA = r.Header.Get("Authorization"), r.Header.Get("User-Agent")
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "token-session", Path: "/", HttpOnly: true})
		writeJSON(w, 200, map[string]string{"link": "http://x/if/flow/" + testSlug + "/"})
	})
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		if ck, err := r.Cookie(SessionCookie); err == nil {
			execCookie = ck.Value
		}
		if r.Header.Get("Authorization") != "Bearer tok123" {
			t.Errorf("executor Authorization = %q", r.Header.Get("Authorization"))
		}
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Token = "tok123"; cfg.UserAgent = "akinspect/1.2.3" })
	step, err := c.Start(bg())
	if err != nil {
		t.Fatal(err)
	}
	if execAuth != "Bearer tok123" || execUA != "akinspect/1.2.3" {
		t.Errorf("execute got Authorization %q, User-Agent %q", execAuth, execUA)
	}
	if execCookie != "token-session" {
		t.Errorf("executor did not get the session the execute endpoint set (got %q)", execCookie)
	}
	kinds := []Kind{}
	for _, ex := range step.Exchanges {
		kinds = append(kinds, ex.Kind)
	}
	if len(kinds) != 3 || kinds[0] != KindPage || kinds[1] != KindExecute || kinds[2] != KindExecutor {
		t.Errorf("kinds = %v, want page, execute, executor", kinds)
	}
}

func TestNoCSRFSendsNoHeader(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get(CSRFHeader); v != "" {
			t.Errorf("NoCSRF client sent %s: %q", CSRFHeader, v)
		}
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.NoCSRF = true })
	if _, err := c.Start(bg()); err != nil {
		t.Fatal(err)
	}
}

func TestTokenAndCSRFStayOnAuthentiksOrigin(t *testing.T) {
	other := newFakeAK(t)
	var leaked http.Header
	other.executor(func(w http.ResponseWriter, r *http.Request) {
		leaked = r.Header.Clone()
		writeJSON(w, 200, identification())
	})
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/api/v3/flows/executor/"+testSlug+"/", http.StatusFound)
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Token = "secret" })
	f.mux.HandleFunc("/api/v3/flows/instances/"+testSlug+"/execute/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"link": "x"})
	})
	if _, err := c.Start(bg()); err != nil {
		t.Fatal(err)
	}
	if leaked.Get("Authorization") != "" || leaked.Get(CSRFHeader) != "" {
		t.Errorf("a redirect to another origin carried Authorization %q / CSRF %q", leaked.Get("Authorization"), leaked.Get(CSRFHeader))
	}
}
