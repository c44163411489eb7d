package model

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// Whole-app runs: a real tea.Program (teatest) drives the simulator over
// real HTTP on loopback.

// simClock is the simulator's and the test's shared clock, so that TOTP
// codes never straddle a 30 s window.
var simClock = time.Date(2026, 11, 26, 12, 0, 5, 0, time.UTC)

type app struct {
	tm      *teatest.TestModel
	sim     *sim.Server
	baseURL string // the simulator's loopback URL
}

func startApp(t *testing.T, opts sim.Options, slug string) *app {
	t.Helper()
	return startAppWith(t, opts, slug, nil)
}

func startAppWith(t *testing.T, opts sim.Options, slug string, tweak func(*Options)) *app {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return simClock }
	}
	s := sim.New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: slug})
	if err != nil {
		t.Fatal(err)
	}
	mo := Options{Client: c}
	if tweak != nil {
		tweak(&mo)
	}
	m := New(mo)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	return &app{tm: tm, sim: s, baseURL: srv.URL}
}

// waitText waits until the screen output (since the last wait) contains
// every text.
func (a *app) waitText(t *testing.T, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, a.tm.Output(), func(b []byte) bool {
		for _, text := range texts {
			if !bytes.Contains(b, []byte(text)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func (a *app) press(k tea.KeyType) { a.tm.Send(tea.KeyMsg{Type: k}) }

// finish quits and returns the final model.
func (a *app) finish(t *testing.T) *Model {
	t.Helper()
	a.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	a.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")}) // in case it asks
	return a.tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
}

func (a *app) user(t *testing.T, name string) sim.User {
	t.Helper()
	for _, u := range a.sim.Users() {
		if u.Username == name {
			return u
		}
	}
	t.Fatalf("the simulator has no user %q", name)
	return sim.User{}
}

func TestAppLogsInWithPasswordAndTOTP(t *testing.T) {
	a := startApp(t, sim.Options{}, "default-authentication-flow")
	admin := a.user(t, "akadmin")

	a.waitText(t, "Identification")
	a.tm.Type(admin.Username)
	a.press(tea.KeyEnter) // the only field: submits

	a.waitText(t, "Password")
	a.tm.Type(admin.Password)
	a.press(tea.KeyEnter)

	a.waitText(t, "MFA validation")
	code, err := flow.TOTP(admin.TOTPSecret, simClock)
	if err != nil {
		t.Fatal(err)
	}
	a.tm.Type(code)
	a.press(tea.KeyCtrlS) // the code is not the last field: submit explicitly

	a.waitText(t, "Flow finished")
	m := a.finish(t)
	if m.state() != "done" {
		t.Errorf("header state = %q, want done", m.state())
	}
	if m.answer.Result == nil || m.answer.Result.Outcome != flow.OutcomeSuccess {
		t.Fatalf("the form does not show a success result: %+v", m.answer.Result)
	}
	if !strings.Contains(m.form.View(), "Flow finished") {
		t.Error("the form pane does not show the result")
	}
	if n := m.timeline.Len(); n < 6 {
		t.Errorf("timeline has %d rows, want every exchange of the login (≥ 6)", n)
	}
}

func TestAppShowsInvalidPasswordNextToTheField(t *testing.T) {
	a := startApp(t, sim.Options{}, "default-authentication-flow")
	a.waitText(t, "Identification")
	a.tm.Type("akadmin")
	a.press(tea.KeyEnter)
	a.waitText(t, "Password")
	a.tm.Type("not-the-password")
	a.press(tea.KeyEnter)
	a.waitText(t, "Invalid password")

	m := a.finish(t)
	if m.challenge == nil || len(m.challenge.Errors("password")) == 0 {
		t.Fatal("the live challenge carries no password error")
	}
	// The error sits under the Password field in the form, not just in the
	// status line.
	lines := strings.Split(m.form.View(), "\n")
	field := -1
	for i, l := range lines {
		if strings.Contains(l, "Password") && field < 0 && i > 0 {
			field = i
		}
		if strings.Contains(l, "Invalid password") {
			if field < 0 || i-field > 3 {
				t.Fatalf("the error is not next to the Password field:\n%s", m.form.View())
			}
			return
		}
	}
	t.Fatalf("the form does not show the error:\n%s", m.form.View())
}

func TestAppCancelsTheSlowStage(t *testing.T) {
	a := startApp(t, sim.Options{SlowDelay: 3 * time.Second}, "duo-push")
	admin := a.user(t, "akadmin")
	a.waitText(t, "Identification")
	a.tm.Type(admin.Username)
	a.press(tea.KeyTab)
	a.tm.Type(admin.Password)
	a.press(tea.KeyEnter)

	a.waitText(t, "MFA validation")
	// The only device, Duo, is chosen already (as the web UI autoselects
	// it): submitting sends the push.
	a.press(tea.KeyCtrlS)
	a.waitText(t, "sending")
	a.press(tea.KeyEsc)
	// The status line, and the aborted exchange as a failed row.
	a.waitText(t, "request cancelled", "ERR")

	m := a.finish(t)
	if m.busy() {
		t.Fatal("still busy after esc")
	}
	if m.challenge == nil || m.challenge.Component != flow.ComponentValidate {
		t.Fatal("the live challenge should still be the MFA validation after a cancel")
	}
	last := sessionExchanges(m)[m.session.len()-1]
	if !last.Has(transport.FlagCancelled) && !exchangeRow(last).Error {
		t.Fatalf("the last exchange is not marked cancelled/failed: %+v", last.Flags)
	}
}

func TestAppOpensAnOldExchange(t *testing.T) {
	a := startApp(t, sim.Options{}, "default-authentication-flow")
	a.waitText(t, "Identification")
	a.tm.Type("akadmin")
	a.press(tea.KeyEnter)
	a.waitText(t, "Password")

	// Form (one field) → timeline; walk to the top (the HTML page), then
	// one down: the identification challenge.
	a.press(tea.KeyTab)
	for i := 0; i < 12; i++ {
		a.press(tea.KeyUp)
	}
	a.press(tea.KeyDown)
	a.waitText(t, "viewing exchange #2", `"user_fields"`)

	m := a.finish(t)
	if m.followNewest {
		t.Fatal("selecting an old row should leave live mode")
	}
	if x := m.session.get(m.shownID); x == nil || x.Component != flow.ComponentIdentify {
		t.Fatalf("details show exchange %d, want the identification challenge", m.shownID)
	}
	if m.answer.Component != flow.ComponentPassword {
		t.Fatal("the form must keep the live (password) challenge during time travel")
	}
	if !strings.Contains(m.details.View(), `"user_fields"`) {
		t.Fatalf("the details pane does not show the old exchange's body:\n%s", m.details.View())
	}
}

func TestAppSwitchesFlowKeepingTheSession(t *testing.T) {
	a := startAppWith(t, sim.Options{}, "default-authentication-flow", func(o *Options) {
		o.Flows = []FlowChoice{
			{Slug: "default-authentication-flow", Title: "Login"},
			{Slug: "default-provider-authorization-explicit-consent", Title: "Consent"},
		}
	})
	bob := a.user(t, "bob") // no MFA: identification → password → logged in
	a.waitText(t, "Identification")
	a.tm.Type(bob.Username)
	a.press(tea.KeyEnter)
	a.waitText(t, "Password")
	a.tm.Type(bob.Password)
	a.press(tea.KeyEnter)
	a.waitText(t, "Flow finished")

	// Consent needs the logged-in session (and its CSRF cookie) of the
	// login: it only works when the switch keeps the jar.
	a.tm.Type("f")
	a.waitText(t, "Switch flow")
	a.press(tea.KeyDown)
	a.press(tea.KeyEnter)
	a.waitText(t, "Consent token")
	a.press(tea.KeyEnter) // the token is pre-filled: consent
	a.waitText(t, "Flow finished")

	m := a.finish(t)
	if m.flowSlug != "default-provider-authorization-explicit-consent" {
		t.Fatalf("header flow = %q, want the consent flow", m.flowSlug)
	}
	if m.state() != "done" {
		t.Fatalf("state = %q, want done after consent", m.state())
	}
}
