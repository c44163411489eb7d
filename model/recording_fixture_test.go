package model

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// simScript drives a transport client against a fresh simulator while a
// history.Writer records it, as the CLI does.
type simScript struct {
	t    testing.TB
	sim  *sim.Server
	c    *transport.Client
	ctx  context.Context
	step *transport.Step
	err  error
}

// recordSim records what script does and returns the recording's path.
func recordSim(t testing.TB, name string, script func(r *simScript)) string {
	t.Helper()
	s := sim.New(sim.Options{Now: func() time.Time { return simClock }})
	srv := httptest.NewServer(s)
	defer srv.Close()
	const slug = "default-authentication-flow"
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: slug})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: srv.URL, Flow: slug, Started: simClock}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	script(&simScript{t: t, sim: s, c: c, ctx: context.Background()})
	stop()
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// user is the simulator user with that name.
func (r *simScript) user(name string) sim.User {
	for _, u := range r.sim.Users() {
		if u.Username == name {
			return u
		}
	}
	r.t.Fatalf("the simulator has no user %q", name)
	return sim.User{}
}

// start (re)starts flow slug in the same session.
func (r *simScript) start(slug string) {
	r.c.UseFlow(slug, "")
	r.step, r.err = r.c.Start(r.ctx)
}

// answer fills the current challenge's form and submits it.
func (r *simScript) answer(values map[string]string) {
	r.t.Helper()
	if r.err != nil {
		r.t.Fatal(r.err)
	}
	ans, err := flow.BuildAnswer(flow.FormFor(r.step.Challenge), values, flow.DetectVersion(r.step.Challenge))
	if err != nil {
		r.t.Fatal(err)
	}
	r.step, r.err = r.c.Submit(r.ctx, ans)
}

// reached fails unless the last step reached component.
func (r *simScript) reached(component string) {
	r.t.Helper()
	if r.err != nil {
		r.t.Fatal(r.err)
	}
	if r.step.Challenge == nil || r.step.Challenge.Component != component {
		r.t.Fatalf("the recorded flow reached %+v, want %s", r.step.Challenge, component)
	}
}

// recordedLogin records a login: identification, a wrong password, the
// right password, the TOTP code. It returns the file and the user.
func recordedLogin(t testing.TB) (string, sim.User) {
	t.Helper()
	var admin sim.User
	path := recordSim(t, "login", func(r *simScript) {
		admin = r.user("akadmin")
		code, err := flow.TOTP(admin.TOTPSecret, simClock)
		if err != nil {
			t.Fatal(err)
		}
		r.start("default-authentication-flow")
		r.answer(map[string]string{"uid_field": admin.Username})
		r.answer(map[string]string{"password": "not-the-password"})
		r.answer(map[string]string{"password": admin.Password})
		r.answer(map[string]string{"code": code})
		r.reached(flow.ComponentRedirect)
	})
	return path, admin
}

// passwordJSON is the password stage before any answer.
const passwordJSON = `{"component":"ak-stage-password","flow_info":{"title":"Welcome to authentik!","layout":"stacked","cancel_url":"/flows/-/cancel/"},` +
	`"pending_user":"akadmin","pending_user_avatar":"/static/dist/assets/images/user_default.png","allow_show_password":false}`

// cannedRecording writes a login recording with fixed times and
// addresses (for goldens): the flow page, a script the browser loaded
// (hidden), then identification, password, MFA and the redirect, each
// answered by a POST. The password and code are redacted by the writer.
func cannedRecording(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "canned"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: "http://127.0.0.1:9", Flow: "default-authentication-flow", Started: fixedNow},
		history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	page := fakeExchange(1, "GET", "", "<html><body>authentik</body></html>", 200, "")
	page.Kind, page.URL = transport.KindPage, "http://127.0.0.1:9/if/flow/default-authentication-flow/"
	page.ResponseHeader.Set("Content-Type", "text/html")
	script := fakeExchange(2, "GET", "", "console.log('poly')", 200, "")
	script.Kind, script.URL = history.KindOther, "http://127.0.0.1:9/static/dist/poly.js"
	xs := []*transport.Exchange{
		page, script,
		fakeExchange(3, "GET", "", identificationJSON, 200, flow.ComponentIdentify),
		fakeExchange(4, "POST", `{"component":"ak-stage-identification","uid_field":"akadmin"}`, "", 302, ""),
		fakeExchange(5, "GET", "", passwordJSON, 200, flow.ComponentPassword),
		fakeExchange(6, "POST", `{"component":"ak-stage-password","password":"correct horse battery"}`, "", 302, ""),
		fakeExchange(7, "GET", "", validateJSON, 200, flow.ComponentValidate),
		fakeExchange(8, "POST", `{"component":"ak-stage-authenticator-validate","code":"123456"}`, "", 302, ""),
		fakeExchange(9, "GET", "", successJSON, 200, "xak-flow-redirect"),
	}
	for i, x := range xs {
		x.Start = fixedNow.Add(time.Duration(i) * 20 * time.Millisecond)
		if err := w.Write(x); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// recordedLoginThenConsent records two flow runs in one session: bob logs
// in, then gives consent in the explicit-consent flow (same jar).
func recordedLoginThenConsent(t testing.TB) (string, sim.User) {
	t.Helper()
	var bob sim.User
	path := recordSim(t, "consent", func(r *simScript) {
		bob = r.user("bob")
		r.start("default-authentication-flow")
		r.answer(map[string]string{"uid_field": bob.Username})
		r.answer(map[string]string{"password": bob.Password})
		r.start("default-provider-authorization-explicit-consent")
		r.answer(nil) // the consent token is pre-filled
		r.reached(flow.ComponentRedirect)
	})
	return path, bob
}
