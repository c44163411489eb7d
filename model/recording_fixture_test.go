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

// recordedLogin records a login on a fresh simulator the way the CLI does
// (a history.Writer observing the client's recorder), driven by transport
// calls: identification, a wrong password, the right password, the TOTP
// code. It returns the file and the user that logged in.
func recordedLogin(t testing.TB) (string, sim.User) {
	t.Helper()
	s := sim.New(sim.Options{Now: func() time.Time { return simClock }})
	srv := httptest.NewServer(s)
	defer srv.Close()
	const slug = "default-authentication-flow"
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: slug})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "login"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: srv.URL, Flow: slug, Started: simClock}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	var admin sim.User
	for _, u := range s.Users() {
		if u.Username == "akadmin" {
			admin = u
		}
	}
	code, err := flow.TOTP(admin.TOTPSecret, simClock)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	step, err := c.Start(ctx)
	answer := func(values map[string]string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		ans, berr := flow.BuildAnswer(flow.FormFor(step.Challenge), values, flow.DetectVersion(step.Challenge))
		if berr != nil {
			t.Fatal(berr)
		}
		step, err = c.Submit(ctx, ans)
	}
	answer(map[string]string{"uid_field": admin.Username})
	answer(map[string]string{"password": "not-the-password"})
	answer(map[string]string{"password": admin.Password})
	answer(map[string]string{"code": code})
	if err != nil {
		t.Fatal(err)
	}
	if step.Challenge == nil || !step.Challenge.Terminal() {
		t.Fatalf("the recorded login did not finish: %+v", step.Challenge)
	}
	stop()
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
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
	s := sim.New(sim.Options{Now: func() time.Time { return simClock }})
	srv := httptest.NewServer(s)
	defer srv.Close()
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "consent"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: srv.URL, Flow: "default-authentication-flow", Started: simClock}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	var bob sim.User
	for _, u := range s.Users() {
		if u.Username == "bob" {
			bob = u
		}
	}
	ctx := context.Background()
	step, err := c.Start(ctx)
	answer := func(values map[string]string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		ans, berr := flow.BuildAnswer(flow.FormFor(step.Challenge), values, flow.DetectVersion(step.Challenge))
		if berr != nil {
			t.Fatal(berr)
		}
		step, err = c.Submit(ctx, ans)
	}
	answer(map[string]string{"uid_field": bob.Username})
	answer(map[string]string{"password": bob.Password})
	c.UseFlow("default-provider-authorization-explicit-consent", "")
	step, err = c.Start(ctx)
	answer(nil) // the consent token is pre-filled
	if err != nil {
		t.Fatal(err)
	}
	if step.Challenge == nil || step.Challenge.Component != "xak-flow-redirect" {
		t.Fatalf("the recorded consent did not finish: %+v", step.Challenge)
	}
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path, bob
}
