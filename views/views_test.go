package views

import (
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/akinspect/akinspect/flow"
)

// TestMain pins the colour profile so golden files hold plain text and do
// not depend on the terminal running the tests.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// termSizes are the terminal sizes the goldens are drawn at. Each pane is
// drawn framed at the full terminal size (not the share a layout would
// give it), so the files show every pane at its roomiest and at 80×24.
var termSizes = []struct {
	name string
	w, h int
}{{"80x24", 80, 24}, {"120x40", 120, 40}}

// requireSize fails unless s is exactly w cells wide on every line and h
// lines tall.
func requireSize(t *testing.T, s string, w, h int) {
	t.Helper()
	if got := lipgloss.Height(s); got != h {
		t.Fatalf("height %d, want %d:\n%s", got, h, s)
	}
	for i, l := range strings.Split(s, "\n") {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, l)
		}
	}
}

// challenge decodes a fixture body and builds its form with the catalog.
func challenge(t testing.TB, body string) (*flow.Challenge, flow.Form) {
	t.Helper()
	c, err := flow.Decode([]byte(body))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return c, flow.FormFor(c)
}

const flowInfo = `"flow_info":{"title":"Welcome to authentik!","background":"/static/dist/assets/images/flow_background.jpg","cancel_url":"/flows/-/cancel/","layout":"stacked"}`

const pendingUser = `"pending_user":"akadmin","pending_user_avatar":"/static/dist/assets/images/user_default.png"`

// Realistic executor bodies (WIRE.md section 6), one per golden case.
var challengeBodies = []struct{ name, body string }{
	{"identification", `{"component":"ak-stage-identification",` + flowInfo + `,"user_fields":["username","email"],
	  "password_fields":false,"allow_show_password":false,"flow_designation":"authentication","primary_action":"Log in",
	  "sources":[],"show_source_labels":false,"enable_remember_me":false,"captcha_stage":null,
	  "enroll_url":"/if/flow/default-enrollment-flow/","recovery_url":"/if/flow/default-recovery-flow/"}`},
	{"password_invalid", `{"component":"ak-stage-password",` + flowInfo + `,` + pendingUser + `,
	  "recovery_url":"/if/flow/default-recovery-flow/","allow_show_password":false,
	  "response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`},
	{"authenticator_validate", `{"component":"ak-stage-authenticator-validate",` + flowInfo + `,` + pendingUser + `,
	  "device_challenges":[
	    {"device_class":"totp","device_uid":"1","challenge":{},"last_used":"2026-11-20T10:00:00Z"},
	    {"device_class":"static","device_uid":"2","challenge":{},"last_used":null},
	    {"device_class":"email","device_uid":"3","challenge":{"email":"a***@example.com"},"last_used":null}],
	  "configuration_stages":[{"pk":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"default-authenticator-totp-setup","verbose_name":"TOTP Authenticator Setup Stage","meta_model_name":"authentik_stages_authenticator_totp.authenticatortotpstage"}]}`},
	{"prompt", `{"component":"ak-stage-prompt",` + flowInfo + `,"fields":[
	  {"field_key":"username","label":"Username","type":"username","required":true,"placeholder":"Username","initial_value":"","order":0,"sub_text":"","choices":null},
	  {"field_key":"name","label":"Name","type":"text","required":true,"placeholder":"Name","initial_value":"","order":1,"sub_text":"","choices":null},
	  {"field_key":"email","label":"Email","type":"email","required":true,"placeholder":"Email","initial_value":"","order":2,"sub_text":"We send a confirmation link here.","choices":null},
	  {"field_key":"password","label":"Password","type":"password","required":true,"placeholder":"Password","initial_value":"","order":3,"sub_text":"","choices":null},
	  {"field_key":"bio","label":"About you","type":"text_area","required":false,"placeholder":"","initial_value":"","order":4,"sub_text":"","choices":null},
	  {"field_key":"age","label":"Age","type":"number","required":false,"placeholder":"","initial_value":"","order":5,"sub_text":"","choices":null},
	  {"field_key":"born","label":"Birthday","type":"date","required":false,"placeholder":"","initial_value":"","order":6,"sub_text":"","choices":null},
	  {"field_key":"plan","label":"Plan","type":"dropdown","required":true,"placeholder":"","initial_value":"pro","order":7,"sub_text":"","choices":[{"value":"free","label":"Free"},{"value":"pro","label":"Pro"},{"value":"team","label":"Team"}]},
	  {"field_key":"tos","label":"I accept the terms of service","type":"checkbox","required":false,"placeholder":"","initial_value":"","order":8,"sub_text":"","choices":null},
	  {"field_key":"note","label":"Note","type":"static","required":false,"placeholder":"","initial_value":"<p>Accounts are reviewed within a day.</p>","order":9,"sub_text":"","choices":null}]}`},
	{"consent", `{"component":"ak-stage-consent",` + flowInfo + `,` + pendingUser + `,"header_text":"Grafana wants to access your account",
	  "permissions":[{"id":"openid","name":"OpenID"},{"id":"email","name":"Email address"},{"id":"profile","name":"General profile information"}],
	  "additional_permissions":[{"id":"goauthentik.io/api","name":"authentik API access"}],"token":"d2c9f0a1b7e34c58"}`},
	{"access_denied", `{"component":"ak-stage-access-denied",` + flowInfo + `,` + pendingUser + `,"error_message":"Invalid password"}`},
	{"flow_error", `{"component":"ak-stage-flow-error","request_id":"3f2a9c1e0b7d4e6f8a5b2c1d0e9f8a7b"}`},
	{"flow_error_traceback", `{"component":"ak-stage-flow-error","request_id":"9b1c","error":"division by zero",
	  "traceback":"Traceback (most recent call last):\n  File \"/authentik/flows/views/executor.py\", line 287, in get\n    stage_response = self.current_stage_view.dispatch(request)\nZeroDivisionError: division by zero"}`},
	{"redirect", `{"component":"xak-flow-redirect","to":"/application/o/authorize/?client_id=grafana&response_type=code"}`},
}

// diagnosis is the text the model would hand in for a request_id-only
// flow error.
const diagnosis = "The server hid the error: only request_id came back. Likely a CSRF failure on a logged-in session; load /if/flow/<slug>/ first so authentik_csrf is set."

func bodyOf(name string) string {
	for _, c := range challengeBodies {
		if c.name == name {
			return c.body
		}
	}
	panic("no fixture " + name)
}

// updater is any pane's Update.
type updater interface{ Update(msg tea.Msg) tea.Cmd }

var namedKeys = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	"ctrl+s": tea.KeyCtrlS, "ctrl+r": tea.KeyCtrlR, "space": tea.KeySpace, "backspace": tea.KeyBackspace,
}

// keyMsg builds the key message a terminal would send for a key name or
// a single rune.
func keyMsg(k string) tea.KeyMsg {
	if t, ok := namedKeys[k]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// typeKeys sends each rune of s as its own key press, as typing does;
// spaces arrive as the space key.
func typeKeys(p updater, s string) []tea.Msg {
	var msgs []tea.Msg
	for _, r := range s {
		m := keyMsg(string(r))
		if r == ' ' {
			m = keyMsg("space")
		}
		msgs = append(msgs, run(p.Update(m))...)
	}
	return msgs
}

// run executes a command (and batches) and returns the messages it made.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, run(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}
