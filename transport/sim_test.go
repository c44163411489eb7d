package transport

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/sim"
)

const consentFlow = "default-provider-authorization-explicit-consent"

func simUser(t *testing.T, s *sim.Server, name string) sim.User {
	t.Helper()
	for _, u := range s.Users() {
		if u.Username == name {
			return u
		}
	}
	t.Fatalf("the simulator has no user %q", name)
	return sim.User{}
}

// simAnswer answers the login stages as a person with u's credentials would.
func simAnswer(t *testing.T, ch *flow.Challenge, u sim.User, now time.Time) flow.Answer {
	t.Helper()
	fields := map[string]any{"component": ch.Component}
	var secrets []string
	switch ch.Component {
	case flow.ComponentIdentify:
		fields["uid_field"] = u.Username
		if ch.Bool("password_fields") {
			fields["password"], secrets = u.Password, []string{"password"}
		}
	case flow.ComponentPassword:
		fields["password"], secrets = u.Password, []string{"password"}
	case flow.ComponentValidate:
		code, err := flow.TOTP(u.TOTPSecret, now)
		if err != nil {
			t.Fatal(err)
		}
		fields["code"], secrets = code, []string{"code"}
	case flow.ComponentUserLogin:
		fields["remember_me"] = false
	case flow.ComponentConsent:
		fields["token"] = ch.String("token")
	default:
		t.Fatalf("no answer for %s: %s", ch.Component, ch.Raw)
	}
	body, _ := json.Marshal(fields)
	return flow.Answer{Component: ch.Component, Body: body, Secrets: secrets}
}

// runFlow starts the client's flow and answers until the flow ends.
func runFlow(t *testing.T, c *Client, u sim.User, now time.Time) *Step {
	t.Helper()
	step, err := c.Start(bg())
	for i := 0; err == nil && !isEnd(step.Challenge); i++ {
		if i > 10 {
			t.Fatal("the flow did not end after 10 answers")
		}
		step, err = c.Submit(bg(), simAnswer(t, step.Challenge, u, now))
	}
	if err != nil {
		t.Fatalf("%s: %v", c.Config().Flow, err)
	}
	return step
}

func isEnd(ch *flow.Challenge) bool {
	switch ch.Component {
	case flow.ComponentRedirect, flow.ComponentFlowError, flow.ComponentAccessDenied:
		return true
	}
	return false
}

func newSim(t *testing.T, now time.Time) (*sim.Server, *httptest.Server) {
	s := sim.New(sim.Options{Now: func() time.Time { return now }})
	srv := httptest.NewTLSServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

// Log in, then consent in the same session: the consent POST is
// session-authenticated, so it passes only with the CSRF header.
func TestSimLoginThenConsentInOneSession(t *testing.T) {
	now := time.Now()
	s, srv := newSim(t, now)
	alice := simUser(t, s, "alice")
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true; cfg.Query = "next=/if/user/" })

	done := runFlow(t, c, alice, now)
	if done.Challenge.Component != flow.ComponentRedirect || done.Challenge.String("to") != "/if/user/" {
		t.Fatalf("login ended with %s", done.Challenge.Raw)
	}
	rotatedAt := 0
	for _, ex := range c.Recorder().Exchanges() {
		if ex.Has(FlagSessionRotated) {
			rotatedAt = ex.ID
			if !ex.Has(FlagCSRFRotated) {
				t.Error("login rotated the session but not the CSRF cookie")
			}
		}
		if ex.Has(FlagContinue) {
			t.Errorf("exchange %d needed a continue: the query encoding differs from Django's", ex.ID)
		}
	}
	if rotatedAt == 0 {
		t.Fatal("no exchange shows the login's session rotation")
	}

	c.UseFlow(consentFlow, "")
	done = runFlow(t, c, alice, now)
	if done.Challenge.Component != flow.ComponentRedirect {
		t.Fatalf("consent ended with %s (diagnosis %q)", done.Challenge.Raw, done.Diagnosis)
	}
	post := c.Recorder().Exchanges()
	var consentPost *Exchange
	for _, ex := range post {
		if ex.Flow == consentFlow && ex.Method == "POST" {
			consentPost = ex
		}
	}
	if consentPost == nil || consentPost.RequestHeader.Get(CSRFHeader) == "" {
		t.Fatal("the consent POST carried no CSRF header")
	}

	// The session survives a cookie file: a second process consents again.
	path := filepath.Join(t.TempDir(), "cookies.txt")
	if err := c.SaveCookies(path); err != nil {
		t.Fatal(err)
	}
	next := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true; cfg.Flow = consentFlow })
	if err := next.LoadCookies(path); err != nil {
		t.Fatal(err)
	}
	if done := runFlow(t, next, alice, now); done.Challenge.Component != flow.ComponentRedirect {
		t.Fatalf("consent from the cookie file ended with %s", done.Challenge.Raw)
	}
}

func TestSimConsentWithoutCSRFHeaderIsDiagnosedAsCSRF(t *testing.T) {
	now := time.Now()
	s, srv := newSim(t, now)
	alice := simUser(t, s, "alice")
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true; cfg.NoCSRF = true })

	// Anonymous POSTs need no CSRF: the login works without the header.
	if done := runFlow(t, c, alice, now); done.Challenge.Component != flow.ComponentRedirect {
		t.Fatalf("login ended with %s", done.Challenge.Raw)
	}
	c.UseFlow(consentFlow, "")
	done := runFlow(t, c, alice, now)
	if done.Challenge.Component != flow.ComponentFlowError {
		t.Fatalf("consent without CSRF ended with %s, want a flow error", done.Challenge.Raw)
	}
	if !strings.Contains(done.Diagnosis, "CSRF") || !strings.Contains(done.Diagnosis, done.Challenge.String("request_id")) {
		t.Errorf("diagnosis %q does not name CSRF and the request_id", done.Diagnosis)
	}
	t.Log(done.Diagnosis)
	if ex := done.Last(); !ex.Has(FlagLikelyCSRF) || ex.Method != "POST" {
		t.Errorf("flow error exchange: %s flags %v", ex.Method, ex.Flags)
	}
}

func TestSimInspectorAndUnknownSlug(t *testing.T) {
	now := time.Now()
	s, srv := newSim(t, now)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true; cfg.Token = s.AdminToken() })
	step, err := c.Start(bg())
	if err != nil {
		t.Fatal(err)
	}
	if step.Exchanges[1].Kind != KindExecute {
		t.Errorf("token start: kinds %s, %s", step.Exchanges[0].Kind, step.Exchanges[1].Kind)
	}
	in, ex, err := c.Inspect(bg())
	if err != nil {
		t.Fatal(err)
	}
	if ex.Kind != KindInspector || in.CurrentPlan == nil || in.CurrentPlan.CurrentStage == nil {
		t.Errorf("inspection %+v", in)
	}

	c.UseFlow("no-such-flow", "")
	_, err = c.Start(bg())
	asError(t, err, ErrNotFound)
}

// The simulator keeps a POST's answer a 302 only when the request URL is
// exactly Django's encoding: no step may need a continue, whatever the query.
func TestSimQueryEncodingNeedsNoContinue(t *testing.T) {
	now := time.Now()
	s, srv := newSim(t, now)
	bob := simUser(t, s, "bob")
	for _, q := range []string{"", "next=/if/user/", "next=%2Fif%2Fuser%2F", "next=/if/user/?q=a b&x=é~*'", "flow_token=&a=1&a=2"} {
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true; cfg.Query = q })
		if done := runFlow(t, c, bob, now); done.Challenge.Component != flow.ComponentRedirect {
			t.Errorf("query %q: login ended with %s", q, done.Challenge.Raw)
		}
		for _, ex := range c.Recorder().Exchanges() {
			if ex.Has(FlagContinue) {
				t.Errorf("query %q: exchange %d (%s %s) needed a continue", q, ex.ID, ex.Method, ex.URL)
			}
		}
	}
}

// An inspector token reads the plan of an anonymous flow without turning
// the flow itself into a token user's flow.
func TestSimInspectorTokenIsSentOnlyToTheInspector(t *testing.T) {
	now := time.Now()
	s, srv := newSim(t, now)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true; cfg.InspectorToken = s.AdminToken() })
	step, err := c.Start(bg())
	if err != nil {
		t.Fatal(err)
	}
	if step.Challenge == nil || step.Challenge.Component != flow.ComponentIdentify {
		t.Fatalf("an anonymous start should show identification, got %+v", step.Challenge)
	}
	for _, ex := range step.Exchanges {
		if ex.RequestHeader.Get("Authorization") != "" {
			t.Errorf("%s %s carried the inspector token", ex.Method, ex.URL)
		}
	}
	in, ex, err := c.Inspect(bg())
	if err != nil {
		t.Fatal(err)
	}
	if ex.RequestHeader.Get("Authorization") == "" || in.CurrentPlan == nil {
		t.Fatalf("inspector: auth %q, plan %+v", ex.RequestHeader.Get("Authorization"), in)
	}
}
