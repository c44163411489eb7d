package transport

import (
	"net/http"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func answer(body string, secrets ...string) flow.Answer {
	return flow.Answer{Component: "ak-stage-identification", Body: []byte(body), Secrets: secrets}
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

// A token start goes page → execute → executor, and the executor gets the
// session that the execute endpoint set (its plan has the token's user).
func TestTokenStartCarriesTheExecuteSession(t *testing.T) {
	f := newFakeAK(t)
	var execCookie string
	f.mux.HandleFunc("/api/v3/flows/instances/"+testSlug+"/execute/", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "token-session", Path: "/", HttpOnly: true})
		writeJSON(w, 200, map[string]string{"link": "http://x/if/flow/" + testSlug + "/"})
	})
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		if ck, err := r.Cookie(SessionCookie); err == nil {
			execCookie = ck.Value
		}
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Token = "tok123"; cfg.UserAgent = "akinspect/1.2.3" })
	step, err := c.Start(bg())
	if err != nil {
		t.Fatal(err)
	}
	if execCookie != "token-session" {
		t.Errorf("executor did not get the session the execute endpoint set (got %q)", execCookie)
	}
	var kinds []Kind
	for _, ex := range step.Exchanges {
		kinds = append(kinds, ex.Kind)
		if ua := ex.RequestHeader.Get("User-Agent"); ua != "akinspect/1.2.3" {
			t.Errorf("%s User-Agent = %q", ex.Kind, ua)
		}
	}
	if len(kinds) != 3 || kinds[0] != KindPage || kinds[1] != KindExecute || kinds[2] != KindExecutor {
		t.Errorf("kinds = %v, want page, execute, executor", kinds)
	}
	// The recorded request shows the cookies that were sent.
	if ck := step.Exchanges[2].RequestHeader.Get("Cookie"); !strings.Contains(ck, "authentik_session=token-session") {
		t.Errorf("recorded Cookie header = %q", ck)
	}
}

// --token-on-executor is the explicit switch that runs the flow as the
// token's user.
func TestTokenOnExecutorSendsTheBearerToTheExecutor(t *testing.T) {
	f := newFakeAK(t)
	var auth []string
	f.mux.HandleFunc("/api/v3/flows/instances/"+testSlug+"/execute/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"link": "x"})
	})
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Token = "tok123"; cfg.TokenOnExecutor = true })
	if _, err := c.Start(bg()); err != nil {
		t.Fatal(err)
	}
	if len(auth) != 1 || auth[0] != "Bearer tok123" {
		t.Errorf("executor Authorization = %q", auth)
	}
}
