package model

import (
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/sim"
)

// The first minute of the README's demo: the code field names the pending
// user's current code, a code field takes totp:SECRET, --totp-secret
// pre-fills it, coming back to the form lands where typing goes, and
// typing where it cannot go says so.

// simSecret is the TOTP secret of a simulator user (the recorded sessions
// were made with the simulator's fixed users).
func simSecret(t testing.TB, name string) string {
	t.Helper()
	for _, u := range sim.New(sim.Options{}).Users() {
		if u.Username == name {
			return u.TOTPSecret
		}
	}
	t.Fatalf("the simulator has no user %q", name)
	return ""
}

func demoSecrets(t testing.TB) func(string) string {
	users := sim.New(sim.Options{}).Users()
	return func(name string) string {
		for _, u := range users {
			if u.Username == name {
				return u.TOTPSecret
			}
		}
		return ""
	}
}

func TestDemoCodeFieldShowsThePendingUsersCode(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{DemoTOTPSecret: demoSecrets(t)}, 120, 40)
	run.feed(m, 4) // akadmin's MFA validation
	code, err := flow.TOTP(simSecret(t, "akadmin"), fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	view := strings.Join(strings.Fields(m.form.View()), " ")
	if !strings.Contains(view, "demo: akadmin's code now is "+code) {
		t.Fatalf("the code field does not name akadmin's code %s:\n%s", code, m.form.View())
	}
	// Typing into the field keeps the note (the banner closed; the note did not).
	typeText(m, code[:3])
	if !strings.Contains(strings.Join(strings.Fields(m.form.View()), " "), code) {
		t.Fatal("the note went away while typing")
	}
	// A new 30 s window renews the note.
	later := fixedNow.Add(flow.TOTPPeriod)
	m.now = func() time.Time { return later }
	next, _ := flow.TOTP(simSecret(t, "akadmin"), later)
	m.update(totpTickMsg{step: m.stepNo})
	if !strings.Contains(strings.Join(strings.Fields(m.form.View()), " "), "code now is "+next) {
		t.Fatalf("the tick did not renew the code to %s:\n%s", next, m.form.View())
	}
}

// Looking at an older exchange (time travel) leaves the form on the live
// challenge, so its code note keeps renewing: back with L, the code it
// names is the current one, not one from before the trip.
func TestDemoCodeNoteStaysCurrentThroughTimeTravel(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{DemoTOTPSecret: demoSecrets(t)}, 120, 40)
	run.feed(m, 4)     // akadmin's MFA validation
	press(t, m, "esc") // leave the field for the timeline
	press(t, m, "up")
	if m.followNewest {
		t.Fatal("up in the timeline did not start time travel")
	}
	later := fixedNow.Add(flow.TOTPPeriod)
	m.now = func() time.Time { return later }
	next, _ := flow.TOTP(simSecret(t, "akadmin"), later)
	if m.update(totpTickMsg{step: m.stepNo}) == nil {
		t.Fatal("the code note stopped renewing during time travel")
	}
	press(t, m, "L")
	if !strings.Contains(strings.Join(strings.Fields(m.form.View()), " "), "code now is "+next) {
		t.Fatalf("back from time travel the note does not name the current code %s:\n%s", next, m.form.View())
	}
}

func TestCodeFieldTakesTOTPSecret(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 4)
	secret := simSecret(t, "akadmin")
	code, _ := flow.TOTP(secret, fixedNow)
	typeText(m, "totp:"+secret)
	press(t, m, "enter")
	if got := liveOf(m).lastSent["code"]; got != code {
		t.Fatalf("sent code %q, want the current code %q", got, code)
	}
	if got := m.form.Values()["code"]; got != code {
		t.Fatalf("the field holds %q, want the code it was filled with", got)
	}
	if !m.busy() {
		t.Fatal("totp:SECRET + enter should submit")
	}
}

func TestCodeFieldRefusesABadSecret(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 4)
	typeText(m, "totp:not!base32")
	press(t, m, "enter")
	if m.busy() || !m.statusErr || !strings.Contains(m.status, "not base32") {
		t.Fatalf("a bad secret: busy=%v status=%q", m.busy(), m.status)
	}
	if strings.Contains(m.status, "not!base32") {
		t.Fatal("the error quotes the secret")
	}
}

func TestTOTPSecretOptionPrefillsTheCode(t *testing.T) {
	run := loadSimRun(t, "login")
	secret := simSecret(t, "akadmin")
	m := run.model(t, Options{TOTPSecret: secret}, 120, 40)
	run.feed(m, 4)
	code, _ := flow.TOTP(secret, fixedNow)
	if got := m.form.Values()["code"]; got != code {
		t.Fatalf("code field = %q, want the pre-filled %q", got, code)
	}
	if !strings.Contains(m.form.View(), "--totp-secret") {
		t.Fatalf("the note does not say where the code came from:\n%s", m.form.View())
	}
}

// shift+tab back into the form from the timeline lands on the code, not
// on the device radio after it, where digits went nowhere.
func TestReturningToTheFormLandsOnTheFieldToFill(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 4)
	press(t, m, "esc") // leave the code field for the timeline
	if m.focus != focusTimeline {
		t.Fatalf("esc: focus = %d", m.focus)
	}
	press(t, m, "shift+tab")
	if m.focus != focusForm || !m.capturing() {
		t.Fatalf("shift+tab: focus=%d capturing=%v, want the code field", m.focus, m.capturing())
	}
	typeText(m, "123")
	if got := m.form.Values()["code"]; got != "123" {
		t.Fatalf("typed digits landed as %q", got)
	}
	// Tab to the device radio: digits there say why they go nowhere.
	press(t, m, "tab")
	if m.capturing() {
		t.Fatal("tab should reach the device choice")
	}
	press(t, m, "4")
	if !strings.Contains(m.status, "Device is a choice and takes no text") {
		t.Fatalf("a digit on the radio: status %q", m.status)
	}
}

// Enter submits once every required field is filled; ctrl+s at once.
func TestEnterSubmitsOnceRequiredFieldsAreFilled(t *testing.T) {
	run := loadSimRun(t, "enrollment")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	press(t, m, "enter")
	if m.busy() {
		t.Fatal("enter on an empty enrollment form sent it")
	}
	if !strings.Contains(m.helpLine, "enter next required") {
		t.Fatalf("the help line does not say enter moves on: %q", m.helpLine)
	}
	press(t, m, "ctrl+s")
	if !m.busy() && !strings.Contains(m.status, "not sent") {
		t.Fatalf("ctrl+s neither sent nor said why: %q", m.status)
	}
}
