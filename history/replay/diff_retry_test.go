package replay

import (
	"net/http"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
)

// A wrong password then the right one, against a clean login: the
// rejected answer and the password stage shown again are reported, the
// retry as a step of its own.
func TestDiffReportsARetryAfterARejectedPassword(t *testing.T) {
	retry := recordLogin(t, "bob", true, false)
	clean := recordLogin(t, "bob", false, false)
	d, err := DiffRecordings(clean, retry, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := d.Text()
	if d.Differences() == 0 {
		t.Fatalf("a login with a rejected password is reported the same as a clean one:\n%s", text)
	}
	var extra []string
	for _, s := range d.Runs[0].Steps {
		switch s.Change {
		case OnlyB:
			extra = append(extra, s.B.Label())
		case OnlyA:
			t.Errorf("a stage reported missing from the retry: %s", s.A.Label())
		}
	}
	if len(extra) != 1 || extra[0] != "password (retry)" {
		t.Errorf("stages only in the retry: %q, want just the password retry\n%s", extra, text)
	}
	for _, want := range []string{"+ password (retry) 200", "reply.status: 302 → 200", "reply.response_errors"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	// The same retry twice is the same.
	if d, _ := DiffRecordings(retry, recordLogin(t, "bob", true, false), DiffOptions{}); d.Differences() != 0 {
		t.Errorf("two identical retries differ:\n%s", d.Text())
	}
}

// A consent POST refused for want of the CSRF header (authentik answers
// with a flow error) against one that went through.
func TestDiffReportsACSRFFailureOfThePOST(t *testing.T) {
	ok := recordConsent(t, false)
	refused := recordConsent(t, true)
	d, err := DiffRecordings(ok, refused, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := d.Text()
	if d.Differences() == 0 {
		t.Fatalf("a consent refused for CSRF is reported the same as one that went through:\n%s", text)
	}
	for _, want := range []string{"reply.flags", "likely-csrf", "+ flow-error", "- redirect"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if got := flow.ShortComponent(flow.ComponentFlowError); got != "flow-error" {
		t.Fatalf("ShortComponent(flow error) = %q", got)
	}
}

// DRF refuses a session-authenticated POST without the CSRF header with a
// 403 and no challenge ({"detail": …}), where the simulator shows a flow
// error: a proxy in front of it answers as DRF does. No stage comes back;
// the reply's status and flags say it.
func TestDiffReportsAPOSTRefusedWith403(t *testing.T) {
	drf := func(s http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/flows/executor/") &&
				strings.Contains(r.URL.Path, "consent") && r.Header.Get(transport.CSRFHeader) == "" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`{"detail":"CSRF Failed: CSRF token missing."}`))
				return
			}
			s.ServeHTTP(w, r)
		})
	}
	ok := recordConsent(t, false)
	refused := recordConsentOn(t, newSimSessionWith(t, simNow, drf), true)
	d, err := DiffRecordings(ok, refused, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := d.Text()
	if d.Differences() == 0 || !strings.Contains(text, "reply.status: 200 → 403") || !strings.Contains(text, "- redirect") {
		t.Errorf("a consent POST refused with 403 against one that went through:\n%s", text)
	}
}

// A login that stopped at a rejected password, against one that went on:
// the retry is listed right after the password stage it retries, before
// the stage only the other login reached.
func TestDiffListsTheRetryAfterTheStageItRetries(t *testing.T) {
	ok := recordLogin(t, "bob", false, false)
	ss := newSimSession(t, simNow)
	d := ss.client("default-authentication-flow", false)
	stopped := ss.record(d, "stopped", false, func() {
		d.start()
		d.answer(map[string]string{"uid_field": "bob"})
		d.answer(map[string]string{"password": "not-bobs"})
	})
	diff, err := DiffRecordings(ok, stopped, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := diff.Text()
	retry, redirect := strings.Index(text, "+ password (retry)"), strings.Index(text, "- redirect")
	if retry < 0 || redirect < 0 || retry > redirect {
		t.Errorf("want the retry listed before the redirect only the first login reached:\n%s", text)
	}
}
