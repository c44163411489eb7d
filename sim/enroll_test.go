package sim

import (
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func validEnrollment() map[string]any {
	return map[string]any{
		"component": flow.ComponentPrompt, "username": "carol", "name": "Carol Example",
		"email": "carol@example.com", "password": "s3cret!", "password_repeat": "s3cret!",
		"age": 41, "colour": "blue", "team": "security", "birthday": "1985-04-12",
		"reminder": "2026-12-01T09:30:00Z", "bio": "Hello", "newsletter": true,
		"source": "tampered", "plan": "enterprise",
	}
}

func TestEnrollmentPromptOffersManyFieldTypes(t *testing.T) {
	_, ts := newSim(t, Options{})
	ch := newClient(t, ts, false).start("default-enrollment-flow", "").get()
	wantComponent(t, ch, flow.ComponentPrompt)
	var fields []struct {
		Type    string `json:"type"`
		Choices []struct{ Value, Label string }
	}
	if err := ch.Get("fields", &fields); err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, f := range fields {
		types[f.Type] = true
		if f.Type == "dropdown" && len(f.Choices) == 0 {
			t.Fatal("dropdown without {value,label} choices")
		}
	}
	if len(types) < 10 {
		t.Fatalf("only %d prompt types: %v", len(types), types)
	}
}

func TestEnrollmentValidationErrorsPerField(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-enrollment-flow", "")
	bad := validEnrollment()
	bad["username"] = "alice"
	bad["email"] = "not-an-email"
	bad["age"] = "old"
	bad["colour"] = "purple"
	bad["birthday"] = "12/04/1985"
	bad["reminder"] = "tomorrow"
	bad["newsletter"] = "maybe"
	delete(bad, "team")
	ch := c.post(bad)
	wantComponent(t, ch, flow.ComponentPrompt)
	wantError(t, ch, "username", "Username is already taken.", "invalid")
	wantError(t, ch, "email", "Enter a valid email address.", "invalid")
	wantError(t, ch, "age", "A valid integer is required.", "invalid")
	wantError(t, ch, "colour", `"purple" is not a valid choice.`, "invalid_choice")
	wantError(t, ch, "team", "This field is required.", "required")
	wantError(t, ch, "birthday", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.", "invalid")
	wantError(t, ch, "newsletter", "Must be a valid boolean.", "invalid")
	if len(ch.ResponseErrors["reminder"]) != 1 {
		t.Fatalf("no date-time error: %s", ch.Raw)
	}

	mismatch := validEnrollment()
	mismatch["password_repeat"] = "other"
	wantError(t, c.post(mismatch), flow.NonFieldErrors, "Passwords don't match.", "invalid")
}

func TestEnrollmentCreatesUserAndLogsInOnPost(t *testing.T) {
	s, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-enrollment-flow", "")
	ch := c.post(validEnrollment())
	wantComponent(t, ch, flow.ComponentUserLogin)
	if ch.PendingUser != "carol" {
		t.Fatalf("pending_user %q", ch.PendingUser)
	}
	sess := c.cookie(SessionCookie)
	wantRedirect(t, c.post(map[string]any{"component": flow.ComponentUserLogin, "remember_me": true}), "/")
	if c.cookie(SessionCookie) == sess {
		t.Fatal("login on POST did not rotate the session")
	}
	found := false
	for _, u := range s.Users() {
		found = found || (u.Username == "carol" && u.Password == "s3cret!")
	}
	if !found {
		t.Fatal("user-write did not create carol")
	}
	newClient(t, ts, false).login("carol", "s3cret!", "")
}
