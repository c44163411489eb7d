package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
)

// submitted presses enter and returns the values sent, or nil when enter
// only moved the focus.
func submitted(t *testing.T, f *Form) map[string]string {
	t.Helper()
	msgs := run(f.Update(keyMsg("enter")))
	if len(msgs) == 0 {
		return nil
	}
	sub, ok := msgs[0].(SubmitMsg)
	if !ok {
		t.Fatalf("enter sent %T", msgs[0])
	}
	return sub.Values
}

// Enter walks the text fields that are required or still empty and
// submits from the last one: the toggle and the choice after the password
// are skipped (tab still visits them), so password + enter submits.
func TestFormEnterSkipsChoicesAndTogglesAndSubmits(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 30)
	f.SetState(FormState{Form: loginForm()})
	f.Focus()
	typeKeys(f, "akadmin")
	if v := submitted(t, f); v != nil {
		t.Fatalf("enter on the username submitted %v; the password is still to fill", v)
	}
	if f.current().def.Key != "password" {
		t.Fatalf("enter moved to %q, want password", f.current().def.Key)
	}
	typeKeys(f, "s3cret pw")
	v := submitted(t, f)
	if v == nil {
		t.Fatalf("enter on the password should submit (only a toggle and a choice follow); focus on %q", f.current().def.Key)
	}
	want := map[string]string{"uid_field": "akadmin", "password": "s3cret pw", "remember_me": "false", "plan": "free"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s = %q, want %q", k, v[k], w)
		}
	}
	if _, sent := v["note"]; sent {
		t.Error("read-only fields are never sent")
	}
}

// The TOTP code of authenticator-validate is followed only by optional
// device choices: code + enter submits.
func TestFormEnterOnTOTPCodeSubmits(t *testing.T) {
	f := newFocusedForm(t, bodyOf("authenticator_validate"), 60, 40)
	if f.current().def.Kind != flow.KindCode {
		t.Fatalf("first field is %q, want the code", f.current().def.Key)
	}
	typeKeys(f, "123456")
	if v := submitted(t, f); v == nil {
		t.Fatalf("code + enter did not submit; focus moved to %q", f.current().def.Key)
	}
}

// In a prompt, enter goes only to required text fields still empty, and
// submits once none is left: optional fields, choices and toggles are
// never walked (tab visits them), and a required field left empty before
// the cursor is found again.
func TestFormEnterWalksRequiredFieldsOnly(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 60)
	f.SetState(FormState{Form: flow.Form{Component: "ak-stage-prompt", Fields: []flow.Field{
		{Key: "username", Kind: flow.KindText, Required: true},
		{Key: "country", Kind: flow.KindChoice, Required: true, Choices: []flow.Choice{{Value: "de"}, {Value: "fr"}}},
		{Key: "nickname", Kind: flow.KindText}, // optional, empty: skipped
		{Key: "email", Kind: flow.KindText, Required: true},
		{Key: "bio", Kind: flow.KindText}, // optional, empty: skipped
		{Key: "terms", Kind: flow.KindBool, Required: true},
	}}})
	f.Focus()
	f.Next() // onto the country choice
	if v := submitted(t, f); v != nil || f.current().def.Key != "email" {
		t.Fatalf("enter on the choice should go to the empty required email, went to %q (sent %v)", f.current().def.Key, v)
	}
	if !strings.Contains(ansi.Strip(f.View()), nextFieldHint) {
		t.Fatalf("the hint should say enter goes to the next required field:\n%s", f.View())
	}
	typeKeys(f, "a@b.c")
	if v := submitted(t, f); v != nil || f.current().def.Key != "username" {
		t.Fatalf("enter on the email should go back to the empty username, went to %q (sent %v)", f.current().def.Key, v)
	}
	if msgs := run(f.Update(keyMsg("enter"))); len(msgs) != 1 || !strings.Contains(msgs[0].(StatusMsg).Text, "username is required") {
		t.Fatalf("enter on the last empty required field said %v", msgs)
	}
	typeKeys(f, "jdoe")
	if !f.EnterSubmits() {
		t.Fatal("every required field is filled: enter should submit")
	}
	v := submitted(t, f)
	if v == nil || v["username"] != "jdoe" || v["email"] != "a@b.c" {
		t.Fatalf("enter sent %v", v)
	}
	// tab still visits every field.
	f.FocusFirst()
	var tabs []string
	for {
		tabs = append(tabs, f.current().def.Key)
		if !f.Next() {
			break
		}
	}
	if len(tabs) != 6 {
		t.Fatalf("tab visited %v, want all six fields", tabs)
	}
}

// Coming back to the form lands on the first required field still empty,
// never on a choice list; a typed character a choice cannot take says so.
func TestFormFocusUnfilledAndRefusal(t *testing.T) {
	f := newFocusedForm(t, bodyOf("authenticator_validate"), 60, 40)
	f.FocusLast()
	if f.current().def.Kind != flow.KindChoice {
		t.Fatalf("last field is %q, want the device choice", f.current().def.Key)
	}
	msgs := run(f.Update(keyMsg("4")))
	if len(msgs) != 1 {
		t.Fatalf("a digit on a choice gave %v, want a status message", msgs)
	}
	st, ok := msgs[0].(StatusMsg)
	if !ok || !strings.Contains(st.Text, "is a choice and takes no text") {
		t.Fatalf("a digit on a choice said %#v", msgs[0])
	}
	f.FocusUnfilled()
	if f.current().def.Kind != flow.KindCode {
		t.Fatalf("back in the form on %q, want the code", f.current().def.Key)
	}
}

// The hint under the fields says what enter does from here.
func TestFormHintSaysWhatEnterDoes(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 30)
	f.SetState(FormState{Form: loginForm()})
	f.Focus()
	if v := ansi.Strip(f.View()); !strings.Contains(v, nextFieldHint) {
		t.Fatalf("on the username the hint should say enter moves on:\n%s", v)
	}
	typeKeys(f, "akadmin")
	f.Next()
	typeKeys(f, "pw")
	if v := ansi.Strip(f.View()); !strings.Contains(v, submitHint) {
		t.Fatalf("on the password the hint should say enter submits:\n%s", v)
	}
}

func helpKeys(bs []key.Binding) string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Help().Key+" "+b.Help().Desc)
	}
	return strings.Join(out, " • ")
}

// The short help of a text field names only keys that work while it owns
// the keyboard, enter with what it does from here, ctrl+r on a secret.
func TestFormShortHelpWhileTyping(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 30)
	f.SetState(FormState{Form: loginForm()})
	f.Focus()
	if got, want := helpKeys(f.ShortHelp()), "enter next required • tab/shift+tab fields • ctrl+s submit"; got != want {
		t.Errorf("username: %q, want %q", got, want)
	}
	typeKeys(f, "akadmin")
	f.Next()
	typeKeys(f, "pw")
	if got, want := helpKeys(f.ShortHelp()), "enter submit • tab/shift+tab fields • ctrl+r reveal"; got != want {
		t.Errorf("password: %q, want %q", got, want)
	}
}
