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

// In a prompt, enter walks every text field, skips choices and toggles,
// and submits from the last text field.
func TestFormEnterWalksPromptTextFields(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 60)
	f.SetState(FormState{Form: flow.Form{Component: "ak-stage-prompt", Fields: []flow.Field{
		{Key: "username", Kind: flow.KindText, Required: true},
		{Key: "country", Kind: flow.KindChoice, Required: true, Choices: []flow.Choice{{Value: "de"}, {Value: "fr"}}},
		{Key: "nickname", Kind: flow.KindText, Initial: "prefilled"}, // optional, filled: skipped
		{Key: "email", Kind: flow.KindText, Required: true, Initial: "a@b.c"},
		{Key: "bio", Kind: flow.KindText}, // optional, empty: visited
		{Key: "terms", Kind: flow.KindBool, Required: true},
	}}})
	f.Focus()
	var walk []string
	for i := 0; i < 6; i++ {
		walk = append(walk, f.current().def.Key)
		if v := submitted(t, f); v != nil {
			break
		}
	}
	if got := strings.Join(walk, ","); got != "username,email,bio" {
		t.Fatalf("enter visited %s, want username,email,bio then submit", got)
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

// The hint under the fields says what enter does from here.
func TestFormHintSaysWhatEnterDoes(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 30)
	f.SetState(FormState{Form: loginForm()})
	f.Focus()
	if v := ansi.Strip(f.View()); !strings.Contains(v, nextFieldHint) {
		t.Fatalf("on the username the hint should say enter moves on:\n%s", v)
	}
	f.Next()
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
	if got, want := helpKeys(f.ShortHelp()), "enter next • tab/shift+tab fields • ctrl+s submit"; got != want {
		t.Errorf("username: %q, want %q", got, want)
	}
	f.Next()
	if got, want := helpKeys(f.ShortHelp()), "enter submit • tab/shift+tab fields • ctrl+r reveal"; got != want {
		t.Errorf("password: %q, want %q", got, want)
	}
}
