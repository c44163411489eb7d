package model

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/sim"
)

// The README's quick start, keystroke for keystroke: the demo banner is
// open at start, and "alice, Enter, alice-demo, Enter, the TOTP code,
// Enter" logs in. The first letter closes the banner and is typed; the
// code's Enter submits (the optional device choice after it is skipped).
func TestAppReadmeQuickStartLogsInThroughTheBanner(t *testing.T) {
	a := startAppWith(t, sim.Options{}, "default-authentication-flow", func(o *Options) {
		o.DemoFunc = fixedBanner("Users:\n  alice      password alice-demo")
	})
	alice := a.user(t, "alice")
	code, err := flow.TOTP(alice.TOTPSecret, simClock)
	if err != nil {
		t.Fatal(err)
	}
	// The form is there, under the banner: its help names enter only once
	// the stage has arrived.
	a.waitText(t, "akinspect demo", "enter submit")
	a.tm.Type("alice")
	a.press(tea.KeyEnter)
	a.waitText(t, "Password")
	a.tm.Type("alice-demo")
	a.press(tea.KeyEnter)
	a.waitText(t, "MFA validation")
	a.tm.Type(code)
	a.press(tea.KeyEnter)
	a.waitText(t, "Flow finished")

	m := a.finish(t)
	if m.state() != "done" {
		t.Fatalf("state = %q, want done", m.state())
	}
}

// While the start banner is open a printable key closes it and reaches
// the focused field; esc and b only close it.
func TestStartBannerPassesTypingToTheField(t *testing.T) {
	for _, tc := range []struct {
		keys, want string
	}{
		{"alice", "alice"},
		{"esc", ""},
		{"b", ""},
	} {
		run := loadSimRun(t, "login")
		m := run.model(t, Options{DemoFunc: fixedBanner("users: alice / alice-demo")}, 120, 40)
		run.deliver(m, 0)
		if m.overlay.kind != overlayBanner {
			t.Fatal("the banner should be open at start")
		}
		if tc.keys == "esc" {
			press(t, m, "esc")
		} else {
			typeText(m, tc.keys)
		}
		if m.overlay.kind != overlayNone {
			t.Errorf("%q: the banner is still open", tc.keys)
		}
		if got := m.form.Values()["uid_field"]; got != tc.want {
			t.Errorf("%q: field = %q, want %q", tc.keys, got, tc.want)
		}
		if strings.Contains(m.View(), "akinspect demo") {
			t.Errorf("%q: the banner is still drawn", tc.keys)
		}
	}
}

// The banner opened again with b keeps its keys: q closes it rather than
// typing or quitting.
func TestReopenedBannerClosesOnQ(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{DemoFunc: fixedBanner("users")}, 120, 40)
	run.deliver(m, 0)
	press(t, m, "esc")
	press(t, m, "tab") // leave the text field so b is a key
	press(t, m, "b")
	if m.overlay.kind != overlayBanner {
		t.Fatal("b should open the banner")
	}
	press(t, m, "q")
	if m.overlay.kind != overlayNone || m.quitting {
		t.Fatalf("q should close the banner: overlay %d, quitting %v", m.overlay.kind, m.quitting)
	}
}

// Before the first stage arrives the form has nothing to submit, so its
// help does not offer enter (a person typing ahead would lose the keys).
func TestHelpOffersEnterOnlyOnceTheStageArrives(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	if strings.Contains(m.View(), "enter submit") {
		t.Error("the help offers enter before any stage has arrived")
	}
	run.deliver(m, 0)
	if !strings.Contains(m.View(), "enter submit") {
		t.Error("the help does not offer enter once the identification stage is shown")
	}
}
