package sim

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/flow/schematest"
	"github.com/akinspect/akinspect/transport"
)

// These walks answer every demo flow the way akinspect itself does: the
// challenge goes through flow.FormFor, the person's values (by field key)
// through flow.BuildAnswer, and the body is sent by transport.Client. Every
// challenge received and every answer built is checked against authentik's
// schema, so a form or an encoder that disagrees with authentik fails here,
// not in front of a real server.

// formWalk is one browser session answering through forms.
type formWalk struct {
	t      *testing.T
	c      *transport.Client
	schema *schematest.Schema
	v      flow.Version
}

func newFormWalk(t *testing.T, ts *httptest.Server, v flow.Version) *formWalk {
	t.Helper()
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	return &formWalk{t: t, c: c, schema: schematest.Load(t, v), v: v}
}

// start loads slug's page and first challenge, as a browser would.
func (w *formWalk) start(slug string) *flow.Challenge {
	w.t.Helper()
	w.c.UseFlow(slug, "")
	step, err := w.c.Start(context.Background())
	return w.reached(step, err)
}

// reached checks every challenge a step received and returns the last.
func (w *formWalk) reached(step *transport.Step, err error) *flow.Challenge {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("%s: %v", w.c.Config().Flow, err)
	}
	for _, ex := range step.Exchanges {
		if ex.Challenge == nil {
			continue
		}
		if ex.Component == ComponentHologram {
			// The documented exception: a component no authentik has.
			if w.schema.HasComponent(ComponentHologram) {
				w.t.Fatal("the hologram component is in the schema; pick another unknown component")
			}
			continue
		}
		if err := w.schema.ValidateChallenge(ex.ResponseBody); err != nil {
			w.t.Fatalf("challenge does not match the schema: %v\n%s", err, ex.ResponseBody)
		}
	}
	if step.Challenge == nil {
		w.t.Fatalf("%s: the step reached no challenge", w.c.Config().Flow)
	}
	return step.Challenge
}

// answer fills ch's form with values (by field key; "" is a raw body),
// builds the answer, checks it against the schema and submits it.
func (w *formWalk) answer(ch *flow.Challenge, values map[string]string) *flow.Challenge {
	w.t.Helper()
	form := flow.FormFor(ch)
	if form.Terminal {
		w.t.Fatalf("%s is terminal: nothing to answer", ch.Component)
	}
	for key := range values {
		if key != "" && !formHas(form, key) {
			w.t.Fatalf("the %s form has no field %q: %+v", ch.Component, key, form.Fields)
		}
	}
	ans, err := flow.BuildAnswer(form, values, w.v)
	if err != nil {
		w.t.Fatalf("%s: BuildAnswer: %v", ch.Component, err)
	}
	if err := w.schema.ValidateResponse(ans.Body); err != nil {
		// Only the hologram may fail, and only for being unknown: its
		// answer cannot be in a union that does not map its component.
		if ch.Component != ComponentHologram || !strings.Contains(err.Error(), "is not in FlowChallengeResponseRequest") {
			w.t.Fatalf("answer does not match FlowChallengeResponseRequest: %v\n%s", err, ans.Body)
		}
	}
	step, err := w.c.Submit(context.Background(), ans)
	return w.reached(step, err)
}

func formHas(f flow.Form, key string) bool {
	for _, field := range f.Fields {
		if field.Key == key {
			return true
		}
	}
	return false
}

// choice is the value of the i-th choice of a form field.
func (w *formWalk) choice(ch *flow.Challenge, key string, i int) string {
	w.t.Helper()
	for _, f := range flow.FormFor(ch).Fields {
		if f.Key == key && i < len(f.Choices) {
			return f.Choices[i].Value
		}
	}
	w.t.Fatalf("the %s form has no choice %d for %q", ch.Component, i, key)
	return ""
}

// contextValue is a context line of ch's form ("Secret", "User", ...).
func contextValue(ch *flow.Challenge, label string) string {
	for _, line := range flow.FormFor(ch).Context {
		if line.Label == label {
			return line.Value
		}
	}
	return ""
}

func (w *formWalk) want(ch *flow.Challenge, component string) {
	w.t.Helper()
	if ch.Component != component {
		w.t.Fatalf("component %q, want %q: %s", ch.Component, component, ch.Raw)
	}
}

func (w *formWalk) done(ch *flow.Challenge) {
	w.t.Helper()
	wantRedirect(w.t, ch, "/")
}

// login answers default-authentication-flow; mfa is the code for the
// validation stage ("" for a user without devices).
func (w *formWalk) login(u User, mfa string) {
	w.t.Helper()
	ch := w.start("default-authentication-flow")
	w.want(ch, flow.ComponentIdentify)
	ch = w.answer(ch, map[string]string{"uid_field": u.Username})
	w.want(ch, flow.ComponentPassword)
	ch = w.answer(ch, map[string]string{"password": u.Password})
	if mfa != "" {
		w.want(ch, flow.ComponentValidate)
		ch = w.answer(ch, map[string]string{"code": mfa})
	}
	w.done(ch)
}

func userNamed(t *testing.T, s *Server, name string) User {
	t.Helper()
	for _, u := range s.Users() {
		if u.Username == name {
			return u
		}
	}
	t.Fatalf("no user %q", name)
	return User{}
}

func TestFormBuiltAnswersMatchTheSchema(t *testing.T) {
	for _, mode := range []struct {
		name   string
		legacy bool
		v      flow.Version
	}{
		{"2026.2.2", false, flow.Version2026_2},
		{"2023.10.5 legacy", true, flow.Version2023_10},
	} {
		t.Run(mode.name, func(t *testing.T) {
			// One clock for the server and the codes; real time so that
			// the client's cookie expiry agrees with the server's.
			now := time.Now()
			s := New(Options{Legacy: mode.legacy, Now: func() time.Time { return now }, SlowDelay: time.Millisecond})
			ts := httptest.NewServer(s)
			t.Cleanup(ts.Close)
			walkEveryFlow(t, s, ts, mode.v, now)
		})
	}
}

// walkEnv is what every walk needs: the simulator, its address, the schema
// version the client speaks and the simulator's fixed clock.
type walkEnv struct {
	s   *Server
	ts  *httptest.Server
	v   flow.Version
	now time.Time
}

func (e walkEnv) walk(t *testing.T) *formWalk { return newFormWalk(t, e.ts, e.v) }

func (e walkEnv) totp(t *testing.T, secret string) string {
	t.Helper()
	code, err := flow.TOTP(secret, e.now)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// walkEveryFlow answers each demo flow in its own subtest.
func walkEveryFlow(t *testing.T, s *Server, ts *httptest.Server, v flow.Version, now time.Time) {
	e := walkEnv{s: s, ts: ts, v: v, now: now}
	for _, step := range []struct {
		name string
		run  func(*testing.T, walkEnv)
	}{
		{"login with TOTP", walkLoginWithTOTP},
		{"login with a static code", walkLoginWithStaticCode},
		{"enrollment with every prompt field", walkEnrollment},
		{"consent after login", walkConsent},
		{"denied", walkDenied},
		{"broken flow", walkBrokenFlow},
		{"duo push", walkDuoPush},
		{"TOTP then static setup", walkTOTPThenStaticSetup},
		{"hologram with a raw body", walkHologram},
	} {
		t.Run(step.name, func(t *testing.T) { step.run(t, e) })
	}
}

func walkLoginWithTOTP(t *testing.T, e walkEnv) {
	akadmin := userNamed(t, e.s, "akadmin")
	e.walk(t).login(akadmin, e.totp(t, akadmin.TOTPSecret))
}

func walkLoginWithStaticCode(t *testing.T, e walkEnv) {
	akadmin := userNamed(t, e.s, "akadmin")
	e.walk(t).login(akadmin, akadmin.StaticCodes[1])
}

func walkEnrollment(t *testing.T, e walkEnv) {
	w := e.walk(t)
	ch := w.start("default-enrollment-flow")
	w.want(ch, flow.ComponentPrompt)
	values := map[string]string{
		"username": "carol", "name": "Carol Example", "email": "carol@example.com",
		"password": "carol-demo-pw", "password_repeat": "carol-demo-pw",
		"age": "33", "team": w.choice(ch, "team", 1), "colour": w.choice(ch, "colour", 2),
		"birthday": "1990-04-01", "reminder": "2026-12-01T09:30", "bio": "Line one\nLine two",
		"newsletter": "yes",
	}
	for _, f := range flow.FormFor(ch).Fields {
		if _, filled := values[f.Key]; !filled && f.Kind != flow.KindReadOnly {
			t.Fatalf("prompt field %q (%s) is not filled in by this test", f.Key, f.Label)
		}
	}
	ch = w.answer(ch, values)
	w.want(ch, flow.ComponentUserLogin)
	w.done(w.answer(ch, map[string]string{"remember_me": "yes"}))
	userNamed(t, e.s, "carol")
}

func walkConsent(t *testing.T, e walkEnv) {
	alice := userNamed(t, e.s, "alice")
	w := e.walk(t)
	w.login(alice, e.totp(t, alice.TOTPSecret))
	ch := w.start("default-provider-authorization-explicit-consent")
	w.want(ch, flow.ComponentConsent)
	w.done(w.answer(ch, nil)) // the token is the form's initial value
}

func walkDenied(t *testing.T, e walkEnv) {
	ch := e.walk(t).start("default-denied")
	wantDenied(t, ch, msgDenied)
	if _, err := flow.BuildAnswer(flow.FormFor(ch), nil, e.v); err == nil {
		t.Error("BuildAnswer answered an access-denied challenge")
	}
}

func walkBrokenFlow(t *testing.T, e walkEnv) {
	w := e.walk(t)
	ch := w.start("broken-flow")
	w.want(ch, flow.ComponentDummy)
	w.want(w.answer(ch, nil), flow.ComponentFlowError)
}

func walkDuoPush(t *testing.T, e walkEnv) {
	alice := userNamed(t, e.s, "alice")
	w := e.walk(t)
	ch := w.start("duo-push")
	w.want(ch, flow.ComponentIdentify)
	ch = w.answer(ch, map[string]string{"uid_field": alice.Username, "password": alice.Password})
	w.want(ch, flow.ComponentValidate)
	// The duo-push flow's user has one device: the form has chosen it, as
	// the web UI autoselects it, so an empty answer is the push.
	w.done(w.answer(ch, nil))
}

func walkTOTPThenStaticSetup(t *testing.T, e walkEnv) {
	w := e.walk(t)
	w.login(userNamed(t, e.s, "bob"), "")
	ch := w.start("default-authenticator-totp-setup")
	w.want(ch, flow.ComponentTOTPSetup)
	secret := contextValue(ch, "Secret")
	if secret == "" {
		t.Fatalf("the TOTP setup form shows no secret: %s", ch.Raw)
	}
	ch = w.answer(ch, map[string]string{"code": e.totp(t, secret)})
	w.want(ch, flow.ComponentStaticSetup)
	w.done(w.answer(ch, nil))
	if userNamed(t, e.s, "bob").TOTPSecret != secret {
		t.Error("bob has no TOTP device after the setup")
	}
}

func walkHologram(t *testing.T, e walkEnv) {
	w := e.walk(t)
	ch := w.start("hologram-flow")
	w.want(ch, ComponentHologram)
	if form := flow.FormFor(ch); !form.Raw || !form.Unknown {
		t.Fatalf("hologram form %+v, want a raw form for an unknown component", form)
	}
	w.done(w.answer(ch, map[string]string{"": `{"seen": true}`}))
}
