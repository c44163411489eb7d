package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
)

func newFocusedForm(t *testing.T, body string, w, h int) *Form {
	t.Helper()
	ch, form := challenge(t, body)
	f := NewForm(NewTheme())
	f.SetSize(w, h)
	f.SetState(FormState{Form: form, Challenge: ch})
	f.Focus()
	return f
}

// loginForm is built by hand: uid, password, remember-me, a choice.
func loginForm() flow.Form {
	return flow.Form{Component: flow.ComponentIdentify, Title: "Login", Fields: []flow.Field{
		{Key: "uid_field", Label: "Username", Kind: flow.KindText, Required: true},
		{Key: "password", Label: "Password", Kind: flow.KindSecret, Required: true, Secret: true},
		{Key: "remember_me", Label: "Remember me", Kind: flow.KindBool},
		{Key: "note", Label: "Note", Kind: flow.KindReadOnly, Initial: "shown, never sent"},
		{Key: "plan", Label: "Plan", Kind: flow.KindChoice, Required: true, Choices: []flow.Choice{{Value: "free", Label: "Free"}, {Value: "pro", Label: "Pro"}}},
	}}
}

func TestFormTabOrderAndNextAtEnd(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 20)
	f.SetState(FormState{Form: loginForm()})
	f.Focus()
	var order []string
	for {
		order = append(order, f.current().def.Key)
		if !f.Next() {
			break
		}
	}
	// The read-only note takes no focus.
	if got := strings.Join(order, ","); got != "uid_field,password,remember_me,plan" {
		t.Fatalf("tab order %s", got)
	}
	if f.current().def.Key != "plan" {
		t.Fatalf("tab order ends on %s, want the last field", f.current().def.Key)
	}
	if f.Next() {
		t.Fatal("Next at the last field must return false so the root moves on")
	}
	for f.Prev() {
	}
	if f.current().def.Key != "uid_field" {
		t.Fatalf("Prev back to the start ends on %s", f.current().def.Key)
	}
	f.FocusLast()
	if f.current().def.Key != "plan" {
		t.Fatalf("FocusLast on %s", f.current().def.Key)
	}
}

func TestFormTypingQTypesQ(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 20)
	f.SetState(FormState{Form: loginForm()})
	f.Focus()
	if !f.CapturesKeys() {
		t.Fatal("a focused text input captures keys")
	}
	typeKeys(f, "quq")
	if got := f.Values()["uid_field"]; got != "quq" {
		t.Fatalf("typed %q", got)
	}
	if !strings.Contains(f.View(), "quq") {
		t.Fatalf("typed text not shown:\n%s", f.View())
	}
	f.Next()
	f.Next() // the bool
	if f.CapturesKeys() {
		t.Fatal("a toggle does not capture keys; global keys keep working")
	}
}

func TestFormSecretMaskedAndRevealed(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 20)
	f.SetState(FormState{Form: loginForm()})
	f.Focus()
	f.Next()
	typeKeys(f, "hunter2")
	if strings.Contains(f.View(), "hunter2") {
		t.Fatalf("secret shown in clear:\n%s", f.View())
	}
	f.Update(keyMsg("ctrl+r"))
	if !strings.Contains(f.View(), "hunter2") {
		t.Fatalf("ctrl+r should reveal:\n%s", f.View())
	}
	f.Update(keyMsg("ctrl+r"))
	if strings.Contains(f.View(), "hunter2") {
		t.Fatal("second ctrl+r hides again")
	}
}

func TestFormSpaceTogglesAndArrowsPick(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 20)
	f.SetState(FormState{Form: loginForm()})
	f.Focus()
	f.Next()
	f.Next()
	if f.Values()["remember_me"] != "false" || !strings.Contains(f.View(), "[ ] Remember me") {
		t.Fatal("bool starts off")
	}
	f.Update(keyMsg("space"))
	if f.Values()["remember_me"] != "true" || !strings.Contains(f.View(), "[x] Remember me") {
		t.Fatalf("space should toggle on:\n%s", f.View())
	}
	f.Next()
	if f.Values()["plan"] != "free" {
		t.Fatalf("a required choice starts on its first option, got %q", f.Values()["plan"])
	}
	f.Update(keyMsg("right"))
	if f.Values()["plan"] != "pro" || !strings.Contains(f.View(), "(•) Pro") {
		t.Fatalf("right should pick Pro:\n%s", f.View())
	}
	f.Update(keyMsg("down")) // wraps around
	if f.Values()["plan"] != "free" {
		t.Fatalf("choices wrap, got %q", f.Values()["plan"])
	}
}

func TestFormOptionalChoiceStartsAtNone(t *testing.T) {
	f := newFocusedForm(t, bodyOf("authenticator_validate"), 80, 40)
	v := f.Values()
	if v["selected_challenge"] != "" || v["selected_stage"] != "" {
		t.Fatalf("optional choices must send nothing by default: %#v", v)
	}
}

func TestFormCtrlSSubmitsFromAnyField(t *testing.T) {
	f := newFocusedForm(t, bodyOf("consent"), 80, 24)
	msgs := run(f.Update(keyMsg("ctrl+s")))
	if len(msgs) != 1 || msgs[0].(SubmitMsg).Values["token"] != "d2c9f0a1b7e34c58" {
		t.Fatalf("ctrl+s should submit the consent token, got %#v", msgs)
	}
}

func TestFormRawCtrlSSubmitsRaw(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 20)
	f.SetState(FormState{Form: loginForm()})
	f.SetRaw(true, `{"component":"ak-stage-identification"}`)
	f.Focus()
	if !f.Raw() || !f.CapturesKeys() {
		t.Fatal("raw editor is on and captures keys")
	}
	if f.Next() {
		t.Fatal("the raw editor is one field")
	}
	f.Update(keyMsg("end"))
	typeKeys(f, " ")
	msgs := run(f.Update(keyMsg("ctrl+s")))
	if len(msgs) != 1 {
		t.Fatalf("ctrl+s: %#v", msgs)
	}
	raw, ok := msgs[0].(SubmitRawMsg)
	if !ok || !strings.HasPrefix(string(raw.Body), `{"component":"ak-stage-identification"}`) {
		t.Fatalf("got %#v", msgs[0])
	}
	f.SetRaw(false, "")
	if f.Raw() || f.current().def.Key != "uid_field" {
		t.Fatal("raw off returns to the fields")
	}
}

func TestFormBrowserStageOpensRawEditor(t *testing.T) {
	f := newFocusedForm(t, `{"component":"ak-stage-captcha","site_key":"k","js_url":"https://js","interactive":true}`, 60, 20)
	if !f.Raw() {
		t.Fatal("a browser stage is answered raw")
	}
	if v := f.Values()[""]; !strings.Contains(v, `"component":"ak-stage-captcha"`) {
		t.Fatalf("raw body pre-filled with the component, got %q", v)
	}
	if !strings.Contains(f.View(), "Solve the captcha") {
		t.Fatalf("hint not shown:\n%s", f.View())
	}
}

func TestFormUnknownComponentExplained(t *testing.T) {
	f := newFocusedForm(t, `{"component":"ak-stage-from-the-future","x":1}`, 60, 20)
	if v := f.View(); !strings.Contains(v, "not in akinspect's catalog") || !f.Raw() {
		t.Fatalf("unknown components are explained and answered raw:\n%s", v)
	}
}

func TestFormErrorsUnderFieldAndAbove(t *testing.T) {
	f := newFocusedForm(t, bodyOf("password_invalid"), 60, 20)
	lines := strings.Split(f.View(), "\n")
	field := -1
	for i, l := range lines {
		if strings.Contains(l, "Password *") {
			field = i
		}
		if strings.Contains(l, "Invalid password") && (field < 0 || i <= field) {
			t.Fatalf("error must be under its field:\n%s", f.View())
		}
	}
	body := `{"component":"ak-stage-identification","user_fields":["username"],"password_fields":false,"primary_action":"Log in",
	  "response_errors":{"non_field_errors":[{"string":"Failed to authenticate.","code":"invalid"}]}}`
	f = newFocusedForm(t, body, 60, 20)
	v := f.View()
	if !strings.Contains(v, "✗ Failed to authenticate.") || strings.Index(v, "Failed to") > strings.Index(v, "Username") {
		t.Fatalf("non-field errors go above the form:\n%s", v)
	}
}

func TestFormReadOnlyDoesNotEdit(t *testing.T) {
	ch, form := challenge(t, bodyOf("password_invalid"))
	f := NewForm(NewTheme())
	f.SetSize(60, 20)
	f.SetState(FormState{Form: form, Challenge: ch, ReadOnly: true, Values: map[string]string{"password": "hunter2"}})
	f.Focus()
	if f.CapturesKeys() {
		t.Fatal("a read-only form captures nothing")
	}
	typeKeys(f, "x")
	if run(f.Update(keyMsg("enter"))) != nil || f.Values()["password"] != "hunter2" {
		t.Fatal("a read-only form neither edits nor submits")
	}
	if v := f.View(); strings.Contains(v, "hunter2") || !strings.Contains(v, "••••") {
		t.Fatalf("recorded secrets stay masked:\n%s", v)
	}
}

func TestFormScrollsToFocusedField(t *testing.T) {
	f := newFocusedForm(t, bodyOf("prompt"), 60, 12)
	for f.Next() {
	}
	v := f.View()
	requireSize(t, v, 60, 12)
	if !strings.Contains(v, "› [ ] I accept") {
		t.Fatalf("last field should be scrolled into view:\n%s", v)
	}
}

func TestFormTerminalShowsResult(t *testing.T) {
	for _, c := range []struct{ fixture, want string }{
		{"redirect", "✓ Flow finished"},
		{"access_denied", "✗ Access denied"},
		{"flow_error", "3f2a9c1e0b7d4e6f8a5b2c1d0e9f8a7b"},
	} {
		f := newFocusedForm(t, bodyOf(c.fixture), 60, 20)
		if v := f.View(); !strings.Contains(v, c.want) {
			t.Errorf("%s: want %q in\n%s", c.fixture, c.want, v)
		}
		if f.CapturesKeys() || run(f.Update(keyMsg("enter"))) != nil {
			t.Errorf("%s: a result takes no input", c.fixture)
		}
	}
	// A form without a Result (built by hand) still explains the outcome.
	c, _ := flow.Decode([]byte(bodyOf("access_denied")))
	f := NewForm(NewTheme())
	f.SetSize(60, 10)
	f.SetState(FormState{Form: flow.Form{Component: c.Component, Terminal: true}, Challenge: c})
	if v := f.View(); !strings.Contains(v, "Access denied") || !strings.Contains(v, "Invalid password") {
		t.Fatalf("fallback result:\n%s", v)
	}
}

func FuzzFormView(f *testing.F) {
	for _, c := range challengeBodies {
		f.Add(c.body, 40, 10)
	}
	f.Add(`{"component":"ak-stage-prompt","fields":[{"field_key":"x","type":"dropdown","choices":[]}]}`, 3, 2)
	th := NewTheme()
	f.Fuzz(func(t *testing.T, body string, w, h int) {
		c, err := flow.Decode([]byte(body))
		if err != nil {
			return
		}
		w, h = 1+int(uint(w)%200), 1+int(uint(h)%80)
		fm := NewForm(th)
		fm.SetSize(w, h)
		fm.SetState(FormState{Form: flow.FormFor(c), Challenge: c})
		fm.Focus()
		requireSize(t, fm.View(), w, h)
	})
}

// A choice answered with a value that is none of its choices (a recorded
// answer the server rejected) shows the value sent beside the error.
func TestRejectedChoiceShowsTheValueSent(t *testing.T) {
	body := `{"component":"ak-stage-prompt","fields":[{"field_key":"team","label":"Team","type":"dropdown","required":true,"order":0,"choices":["platform","security"]}],` +
		`"response_errors":{"team":[{"string":"\"sales\" is not a valid choice.","code":"invalid_choice"}]}}`
	ch, form := challenge(t, body)
	f := NewForm(NewTheme())
	f.SetSize(60, 20)
	f.SetState(FormState{Form: form, Challenge: ch, ReadOnly: true, Values: map[string]string{"team": "sales"}})
	v := ansi.Strip(f.View())
	sent := strings.Index(v, "(•) sales  ← sent, not among the choices")
	errAt := strings.Index(v, "is not a valid choice")
	if sent < 0 || errAt < 0 || errAt < sent {
		t.Fatalf("the value sent should show above its error:\n%s", v)
	}
	if strings.Contains(v, "(•) platform") {
		t.Fatalf("a choice that was not sent shows as chosen:\n%s", v)
	}
}

// A read-only raw answer never offers to send it.
func TestReadOnlyRawNeverSaysItSends(t *testing.T) {
	f := NewForm(NewTheme())
	f.SetSize(60, 20)
	f.SetState(FormState{Form: flow.Form{Component: "ak-stage-mystery", Raw: true, Unknown: true}, ReadOnly: true,
		Values: map[string]string{"": `{"component":"ak-stage-mystery"}`}})
	v := ansi.Strip(f.View())
	if strings.Contains(v, "ctrl+s") || strings.Contains(v, "sent as typed") || !strings.Contains(v, "as it was sent") {
		t.Fatalf("a read-only raw answer:\n%s", v)
	}
}
