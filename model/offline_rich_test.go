package model

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/views"
)

// Offline as rich as live: a recording of an inspected session shows the
// Inspector tab for the stage selected, from the inspector read recorded
// after it.
func TestOfflineShowsTheRecordedInspection(t *testing.T) {
	m := openOffline(t, redactedFixture(t, "login-inspected"), 120, 40)
	pressSettled(m, ">") // the password stage
	m.setFocus(focusDetails)
	pressSettled(m, "7")
	if m.details.Tab() != views.TabInspector {
		t.Fatalf("7 in a recording of an inspected session shows %q", m.details.Tab())
	}
	screen := m.View()
	for _, want := range []string{"Insp", "identification"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the Inspector tab lacks %q:\n%s", want, screen)
		}
	}
	// A recording without inspector reads has no Inspector tab.
	m = openOffline(t, redactedFixture(t, "login"), 120, 40)
	m.setFocus(focusDetails)
	deliverPaneMsgs(m, m.update(keyMsg("7")))
	if m.details.Tab() == views.TabInspector || !strings.Contains(m.status, "no inspector reading") {
		t.Fatalf("7 without reads: tab %q, status %q", m.details.Tab(), m.status)
	}
}

// An informational response error (the email stage's "email-sent") is not
// a rejection.
func TestInformationalStageIsNoFailure(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.deliver(m, 0)
	c := mustDecode(t, `{"component":"ak-stage-email","flow_info":{"title":"Recovery"},"response_errors":{"non_field_errors":[{"string":"Email Successfully sent.","code":"email-sent"}]}}`)
	m.showChallenge(c, "", nil)
	if m.statusErr || strings.Contains(m.status, "rejected") {
		t.Fatalf("status %q (error %v)", m.status, m.statusErr)
	}
	view := m.form.View()
	if !strings.Contains(view, "✓ Email Successfully sent.") || strings.Contains(view, "✗") {
		t.Fatalf("the form shows the news as a failure:\n%s", view)
	}
}
