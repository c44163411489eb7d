package transport

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// A valid POST with another stage to go: 302 to the same executor URL,
// followed with GET; each hop is its own exchange.
func TestPostThen302IsFollowedWithGetAsSeparateExchanges(t *testing.T) {
	f := newFakeAK(t)
	var posted atomic.Bool
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, _ := io.ReadAll(r.Body)
			if !strings.Contains(string(body), `"uid_field":"alice"`) {
				t.Errorf("POST body = %s", body)
			}
			posted.Store(true)
			w.Header().Set("Location", r.URL.RequestURI())
			w.WriteHeader(http.StatusFound)
			return
		}
		if posted.Load() {
			writeJSON(w, 200, map[string]any{"component": "ak-stage-password", "pending_user": "alice"})
			return
		}
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL)
	if _, err := c.Start(bg()); err != nil {
		t.Fatal(err)
	}
	step, err := c.Submit(bg(), answer(`{"component":"ak-stage-identification","uid_field":"alice","password":"pw"}`, "password"))
	if err != nil {
		t.Fatal(err)
	}
	if len(step.Exchanges) != 2 {
		t.Fatalf("want POST and GET exchanges, got %d", len(step.Exchanges))
	}
	post, get := step.Exchanges[0], step.Exchanges[1]
	if post.Method != "POST" || post.Status != 302 || !post.Has(FlagRedirect) || post.Kind != KindExecutor {
		t.Errorf("POST exchange: %s %d %v %s", post.Method, post.Status, post.Flags, post.Kind)
	}
	if len(post.Secrets) != 1 || post.Secrets[0] != "password" {
		t.Errorf("POST secrets = %v", post.Secrets)
	}
	if get.Method != "GET" || get.Kind != KindRedirect || get.RequestBody != nil || get.Component != "ak-stage-password" {
		t.Errorf("follow-up: %s %s body=%q component=%q", get.Method, get.Kind, get.RequestBody, get.Component)
	}
	if get.URL != post.URL {
		t.Errorf("follow-up URL %q differs from %q", get.URL, post.URL)
	}
	if step.Challenge == nil || step.Challenge.Component != "ak-stage-password" || step.Diagnosis != "" {
		t.Errorf("step reached %v, diagnosis %q", step.Challenge, step.Diagnosis)
	}
}

// A server whose re-encoded URL differs answers xak-flow-redirect to its own
// executor: the client continues there and says why.
func TestContinueRedirectIsFollowedAndFlagged(t *testing.T) {
	f := newFakeAK(t)
	var posted atomic.Bool
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			posted.Store(true)
			writeJSON(w, 200, map[string]any{"component": "xak-flow-redirect", "to": "/api/v3/flows/executor/" + testSlug + "/?query=next%3D%2Fx"})
		case posted.Load():
			writeJSON(w, 200, map[string]any{"component": "ak-stage-password"})
		default:
			writeJSON(w, 200, identification())
		}
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Query = "next=/x" })
	step, err := c.Submit(bg(), answer(`{"component":"ak-stage-identification"}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(step.Exchanges) != 2 {
		t.Fatalf("want 2 exchanges, got %d", len(step.Exchanges))
	}
	cont := step.Exchanges[0]
	if !cont.Has(FlagContinue) || !strings.Contains(cont.Diagnosis, "re-encoded query") {
		t.Errorf("continue exchange flags %v diagnosis %q", cont.Flags, cont.Diagnosis)
	}
	if step.Challenge.Component != "ak-stage-password" || step.Exchanges[1].Method != "GET" {
		t.Errorf("continue did not reach the next stage: %q", step.Challenge.Component)
	}
}

// A redirect challenge to anywhere else ends the flow: nothing is followed.
func TestRedirectChallengeElsewhereEndsTheStep(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"component": "xak-flow-redirect", "to": "/if/user/"})
	})
	c := newTestClient(t, f.URL)
	step, err := c.Challenge(bg())
	if err != nil {
		t.Fatal(err)
	}
	if len(step.Exchanges) != 1 || step.Last().Has(FlagContinue) || step.Challenge.String("to") != "/if/user/" {
		t.Errorf("exchanges %d, flags %v", len(step.Exchanges), step.Last().Flags)
	}
}

func TestRedirect307KeepsMethodAndBody(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved/", http.StatusTemporaryRedirect)
	})
	f.mux.HandleFunc("/moved/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || string(body) != `{"component":"x"}` {
			t.Errorf("307 hop: %s %s", r.Method, body)
		}
		writeJSON(w, 200, map[string]any{"component": "ak-stage-password"})
	})
	c := newTestClient(t, f.URL)
	step, err := c.Submit(bg(), answer(`{"component":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	if hop := step.Last(); hop.Method != "POST" || string(hop.RequestBody) != `{"component":"x"}` || hop.Kind != KindRedirect {
		t.Errorf("recorded hop %s %s %q", hop.Method, hop.Kind, hop.RequestBody)
	}
}

func TestRedirectWithBadLocationFails(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://[::1")
		w.WriteHeader(http.StatusFound)
	})
	c := newTestClient(t, f.URL)
	step, err := c.Challenge(bg())
	failedStep(t, c, step, err, ErrHTTP)
}
