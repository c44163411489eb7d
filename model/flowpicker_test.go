package model

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/sim"
)

// Against a real authentik no flows are known: f still opens the switcher,
// and a pasted browser URL of the same host starts that flow in the same
// session with its query (here the consent flow, which needs the login's
// cookies).
func TestAppSwitchesToATypedFlowURL(t *testing.T) {
	a := startApp(t, sim.Options{}, "default-authentication-flow")
	bob := a.user(t, "bob")
	a.waitText(t, "Identification")
	a.tm.Type(bob.Username)
	a.press(tea.KeyEnter)
	a.waitText(t, "Password")
	a.tm.Type(bob.Password)
	a.press(tea.KeyEnter)
	a.waitText(t, "Flow finished")

	a.tm.Type("f")
	a.waitText(t, "Switch flow", "Flow slug or URL")
	a.tm.Type(a.baseURL + "/if/flow/default-provider-authorization-explicit-consent/?next=%2Fapp%2F")
	a.press(tea.KeyEnter)
	a.waitText(t, "Consent token")
	a.press(tea.KeyEnter)
	a.waitText(t, "Flow finished")

	m := a.finish(t)
	if m.flowSlug != "default-provider-authorization-explicit-consent" || m.state() != "done" {
		t.Fatalf("flow %q, state %q: want the consent flow done", m.flowSlug, m.state())
	}
	if q := liveOf(m).client.Config().Query; q != "next=%2Fapp%2F" {
		t.Fatalf("query = %q, want the URL's next=%%2Fapp%%2F", q)
	}
}

// A slug starts that flow; a URL of another host is refused with a
// reason and the switcher stays open.
func TestFlowPickerAcceptsSlugsAndRefusesOtherHosts(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 5) // logged in
	press(t, m, "f")
	if m.overlay.kind != overlayFlows {
		t.Fatalf("f without known flows should still open the switcher, status %q", m.status)
	}
	typeText(m, "https://auth.example.com/if/flow/other/")
	m.update(keyMsg("enter"))
	if m.overlay.kind != overlayFlows || !strings.Contains(m.View(), "auth.example.com") || !strings.Contains(m.View(), run.host()) {
		t.Fatalf("another host must be refused, naming both hosts:\n%s", m.View())
	}
	if m.flowSlug != "default-authentication-flow" {
		t.Fatalf("the flow changed to %q", m.flowSlug)
	}
	m.closeOverlay()
	press(t, m, "f")
	typeText(m, "my-recovery")
	m.update(keyMsg("enter"))
	if m.overlay.kind != overlayNone || m.flowSlug != "my-recovery" || !m.busy() {
		t.Fatalf("a typed slug should start that flow: overlay %d, flow %q, busy %v", m.overlay.kind, m.flowSlug, m.busy())
	}
	m.cancelInFlight()
}

func TestParseFlowTarget(t *testing.T) {
	const base = "https://auth.example.com"
	for _, tc := range []struct {
		in, slug, query string
		bad             bool
	}{
		{in: "default-authentication-flow", slug: "default-authentication-flow"},
		{in: "https://auth.example.com/if/flow/login/?next=%2F", slug: "login", query: "next=%2F"},
		{in: "HTTPS://AUTH.example.com/if/flow/login/", slug: "login"},
		{in: "/if/flow/login/?next=/x", slug: "login", query: "next=/x"},
		{in: "https://evil.example.net/if/flow/login/", bad: true},
		{in: "http://auth.example.com/if/flow/login/", bad: true},
		{in: "not a slug", bad: true},
	} {
		slug, query, err := parseFlowTarget(tc.in, base)
		if tc.bad != (err != nil) || slug != tc.slug || query != tc.query {
			t.Errorf("%q: slug %q query %q err %v", tc.in, slug, query, err)
		}
	}
}
