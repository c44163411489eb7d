package flow_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/flow/schematest"
)

func mustDecode(t *testing.T, body string) *flow.Challenge {
	t.Helper()
	c, err := flow.Decode([]byte(body))
	if err != nil {
		t.Fatalf("Decode(%s): %v", body, err)
	}
	return c
}

func field(t *testing.T, form flow.Form, key string) flow.Field {
	t.Helper()
	for _, f := range form.Fields {
		if f.Key == key {
			return f
		}
	}
	t.Fatalf("form %s has no field %q (fields: %+v)", form.Component, key, form.Fields)
	return flow.Field{}
}

func hasField(form flow.Form, key string) bool {
	for _, f := range form.Fields {
		if f.Key == key {
			return true
		}
	}
	return false
}

func contextValue(form flow.Form, label string) string {
	var vals []string
	for _, l := range form.Context {
		if l.Label == label {
			vals = append(vals, l.Value)
		}
	}
	return strings.Join(vals, " | ")
}

func body(t *testing.T, form flow.Form, values map[string]string, v flow.Version) map[string]any {
	t.Helper()
	ans, err := flow.BuildAnswer(form, values, v)
	if err != nil {
		t.Fatalf("BuildAnswer(%v): %v", values, err)
	}
	var obj map[string]any
	if err := json.Unmarshal(ans.Body, &obj); err != nil {
		t.Fatalf("answer %s is not JSON: %v", ans.Body, err)
	}
	return obj
}

// Every PromptTypeEnum value of every schema maps to the kind its widget needs.
func TestPromptTypesMapToKinds(t *testing.T) {
	want := map[string]flow.Kind{
		"text": flow.KindText, "text_area": flow.KindTextArea, "text_read_only": flow.KindReadOnly,
		"text_area_read_only": flow.KindReadOnly, "username": flow.KindText, "email": flow.KindText,
		"password": flow.KindSecret, "number": flow.KindNumber, "checkbox": flow.KindBool,
		"radio-button-group": flow.KindChoice, "dropdown": flow.KindChoice, "date": flow.KindDate,
		"date-time": flow.KindDateTime, "file": flow.KindFile, "separator": flow.KindReadOnly,
		"hidden": flow.KindReadOnly, "static": flow.KindReadOnly, "ak-locale": flow.KindText,
	}
	for _, v := range flow.Versions {
		for _, typ := range schematest.Load(t, v).Named("PromptTypeEnum").Enum {
			name := typ.(string)
			kind, ok := want[name]
			if !ok {
				t.Errorf("%s: prompt type %q has no expected kind in this test", v, name)
				continue
			}
			c := mustDecode(t, `{"component":"ak-stage-prompt","fields":[`+prompt("f", name, true, 0, "null")+`]}`)
			f := field(t, flow.FormFor(c), "f")
			if f.Kind != kind {
				t.Errorf("prompt type %s: kind %v, want %v", name, f.Kind, kind)
			}
			if f.Secret != (name == "password") {
				t.Errorf("prompt type %s: Secret = %v", name, f.Secret)
			}
		}
	}
}

func TestPromptFieldDetails(t *testing.T) {
	c := mustDecode(t, `{"component":"ak-stage-prompt","fields":[
	  {"field_key":"b","label":"Second","type":"text","required":false,"placeholder":"ph","initial_value":"init","order":2,"sub_text":"<i>help</i> me","choices":null},
	  {"field_key":"a","label":"First","type":"static","required":true,"placeholder":"","initial_value":"<p>Hello &amp; welcome</p>","order":1,"sub_text":"","choices":null},
	  {"field_key":"h","label":"Hidden","type":"hidden","required":true,"placeholder":"","initial_value":"secret-server-value","order":3,"sub_text":"","choices":null}]}`)
	form := flow.FormFor(c)
	if len(form.Fields) != 3 || form.Fields[0].Key != "a" || form.Fields[1].Key != "b" {
		t.Fatalf("fields not sorted by order: %+v", form.Fields)
	}
	b := form.Fields[1]
	if b.Initial != "init" || b.Help != "help me" || b.Placeholder != "ph" || b.Label != "Second" {
		t.Errorf("text field lost its details: %+v", b)
	}
	if a := form.Fields[0]; a.Initial != "Hello & welcome" || a.Required {
		t.Errorf("static field: %+v, want text of its HTML and not required", a)
	}
	obj := body(t, form, map[string]string{"b": "typed", "h": "tampered", "a": "x"}, flow.VersionLatest)
	if _, sent := obj["h"]; sent {
		t.Error("hidden field was sent")
	}
	if _, sent := obj["a"]; sent {
		t.Error("static field was sent")
	}
	if obj["b"] != "typed" {
		t.Errorf("b = %v", obj["b"])
	}
}

func TestPromptChoicesBothShapes(t *testing.T) {
	old := mustDecode(t, `{"component":"ak-stage-prompt","fields":[`+prompt("plan", "dropdown", true, 0, `["free","pro"]`)+`]}`)
	newer := mustDecode(t, `{"component":"ak-stage-prompt","fields":[`+prompt("plan", "dropdown", true, 0, `[{"value":"free","label":"Free plan"},{"value":"pro","label":"Pro plan"}]`)+`]}`)
	gotOld := field(t, flow.FormFor(old), "plan").Choices
	gotNew := field(t, flow.FormFor(newer), "plan").Choices
	if want := []flow.Choice{{"free", "free"}, {"pro", "pro"}}; !reflect.DeepEqual(gotOld, want) {
		t.Errorf("string choices = %v, want %v", gotOld, want)
	}
	if want := []flow.Choice{{"free", "Free plan"}, {"pro", "Pro plan"}}; !reflect.DeepEqual(gotNew, want) {
		t.Errorf("object choices = %v, want %v", gotNew, want)
	}
}

func TestPromptValueTypes(t *testing.T) {
	c := mustDecode(t, `{"component":"ak-stage-prompt","fields":[`+
		prompt("n", "number", false, 0, "null")+`,`+prompt("ok", "checkbox", false, 1, "null")+`,`+
		prompt("t", "text", false, 2, "null")+`,`+prompt("d", "date", false, 3, "null")+`]}`)
	form := flow.FormFor(c)
	obj := body(t, form, map[string]string{"n": " 7 ", "ok": "yes", "t": "", "d": ""}, flow.VersionLatest)
	if obj["n"] != float64(7) || obj["ok"] != true {
		t.Errorf("body %v: want n=7 (number), ok=true (bool)", obj)
	}
	for _, key := range []string{"t", "d"} {
		if _, sent := obj[key]; sent {
			t.Errorf("empty optional field %s was sent", key)
		}
	}
	empty := body(t, form, map[string]string{}, flow.VersionLatest)
	if empty["ok"] != false {
		t.Errorf("unticked checkbox = %v, want false", empty["ok"])
	}
}

func TestBuildAnswerRefusesBadValues(t *testing.T) {
	prompts := mustDecode(t, `{"component":"ak-stage-prompt","fields":[`+
		prompt("n", "number", false, 0, "null")+`,`+prompt("ok", "checkbox", false, 1, "null")+`,`+
		prompt("d", "date", false, 2, "null")+`,`+prompt("dt", "date-time", false, 3, "null")+`,`+
		prompt("f", "file", false, 4, "null")+`,`+prompt("must", "text", true, 5, "null")+`]}`)
	cases := []struct {
		name   string
		form   flow.Form
		values map[string]string
		key    string
	}{
		{"missing password", flow.FormFor(mustDecode(t, `{"component":"ak-stage-password"}`)), map[string]string{}, "password"},
		{"missing identifier", flow.FormFor(mustDecode(t, `{"component":"ak-stage-identification","user_fields":["email"],"password_fields":false}`)), map[string]string{"uid_field": ""}, "uid_field"},
		{"missing totp code", flow.FormFor(mustDecode(t, `{"component":"ak-stage-authenticator-totp","config_url":"otpauth://x"}`)), nil, "code"},
		{"missing prompt field", flow.FormFor(prompts), map[string]string{}, "must"},
		{"number", flow.FormFor(prompts), map[string]string{"must": "x", "n": "seven"}, "n"},
		{"bool", flow.FormFor(prompts), map[string]string{"must": "x", "ok": "maybe"}, "ok"},
		{"date", flow.FormFor(prompts), map[string]string{"must": "x", "d": "26/11/2026"}, "d"},
		{"datetime", flow.FormFor(prompts), map[string]string{"must": "x", "dt": "tomorrow"}, "dt"},
		{"file", flow.FormFor(prompts), map[string]string{"must": "x", "f": "/tmp/me.png"}, "f"},
		{"totp code not a number (2023.10)", flow.FormFor(mustDecode(t, `{"type":"native","component":"ak-stage-authenticator-totp","config_url":"x"}`)), map[string]string{"code": "12ab56"}, "code"},
		{"validate with nothing", flow.FormFor(mustDecode(t, validateWithDevices)), map[string]string{}, "code"},
		{"webauthn not JSON", flow.FormFor(mustDecode(t, validateWithDevices)), map[string]string{"webauthn": "{oops"}, "webauthn"},
		{"raw not an object", flow.FormFor(mustDecode(t, `{"component":"ak-stage-captcha","site_key":"s","js_url":"j"}`)), map[string]string{"": `["token"]`}, ""},
		{"raw empty", flow.FormFor(mustDecode(t, `{"component":"ak-stage-unheard-of"}`)), map[string]string{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := flow.VersionLatest
			if strings.Contains(tc.name, "2023.10") {
				v = flow.Version2023_10
			}
			_, err := flow.BuildAnswer(tc.form, tc.values, v)
			var fe *flow.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("want a FieldError, got %v", err)
			}
			if fe.Key != tc.key {
				t.Errorf("error %q names field %q, want %q", err, fe.Key, tc.key)
			}
			if tc.key != "" && !strings.Contains(err.Error(), tc.key) {
				t.Errorf("error %q does not name %q", err, tc.key)
			}
		})
	}
}

const validateWithDevices = `{"component":"ak-stage-authenticator-validate","pending_user":"akadmin","pending_user_avatar":"",
  "device_challenges":[
    {"device_class":"totp","device_uid":"1","challenge":{},"last_used":null},
    {"device_class":"email","device_uid":"3","challenge":{"email":"a***@example.com"},"last_used":null},
    {"device_class":"duo","device_uid":"4","challenge":{},"last_used":null},
    {"device_class":"webauthn","device_uid":"5","challenge":{"challenge":"xyz"},"last_used":null}],
  "configuration_stages":[{"pk":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"totp-setup","verbose_name":"TOTP Setup","meta_model_name":"m"}]}`

func TestValidateOffersEveryWayToAnswer(t *testing.T) {
	form := flow.FormFor(mustDecode(t, validateWithDevices))
	code := field(t, form, "code")
	if code.Kind != flow.KindCode || !code.Secret || !strings.Contains(code.Help, "totp/email") {
		t.Errorf("code field %+v: want a secret code naming totp/email devices", code)
	}
	devices := field(t, form, "selected_challenge")
	if len(devices.Choices) != 4 || !strings.Contains(devices.Choices[1].Label, "a***@example.com") {
		t.Errorf("device choices %+v: want 4, the email one labelled with its address", devices.Choices)
	}
	if hasField(form, "duo") {
		t.Error("Duo is offered twice: as a device and as a field of its own")
	}
	if field(t, form, "webauthn").Kind != flow.KindJSON {
		t.Error("webauthn is not a JSON field")
	}
	if stages := field(t, form, "selected_stage"); len(stages.Choices) != 1 || stages.Choices[0].Value != "3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Errorf("setup stage choices %+v", stages.Choices)
	}
	if !strings.Contains(contextValue(form, "WebAuthn options"), "xyz") {
		t.Errorf("context %+v lacks the WebAuthn options", form.Context)
	}

	// One field is enough: a code alone, as a string, in every version.
	for _, v := range flow.Versions {
		obj := body(t, form, map[string]string{"code": "012345"}, v)
		if len(obj) != 2 || obj["code"] != "012345" {
			t.Errorf("%s: code-only answer %v, want {component, code:\"012345\"}", v, obj)
		}
	}
	// Picking the email device alone sends the whole device challenge back.
	obj := body(t, form, map[string]string{"selected_challenge": devices.Choices[1].Value}, flow.VersionLatest)
	sel, _ := obj["selected_challenge"].(map[string]any)
	if sel["device_class"] != "email" || sel["device_uid"] != "3" {
		t.Errorf("selected_challenge = %v, want the email device object", obj["selected_challenge"])
	}
	if _, sent := obj["code"]; sent {
		t.Error("an empty code was sent alongside the device choice")
	}
	ans, _ := flow.BuildAnswer(form, map[string]string{"code": "1", "selected_challenge": devices.Choices[0].Value}, flow.VersionLatest)
	if !reflect.DeepEqual(ans.Secrets, []string{"code"}) {
		t.Errorf("Secrets = %v, want code", ans.Secrets)
	}
}

// One device choice, one answer: the body is what the web UI sends for the
// device picked (AuthenticatorValidateStage.ts and its device stages).
func TestValidateSendsOneAnswerForTheChosenDevice(t *testing.T) {
	form := flow.FormFor(mustDecode(t, validateWithDevices))
	devices := field(t, form, "selected_challenge").Choices
	totp, email, duo, webauthn := devices[0].Value, devices[1].Value, devices[2].Value, devices[3].Value
	const assertion = `{"id":"x"}`
	cases := []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"duo device: the push, nothing else", map[string]string{"selected_challenge": duo, "code": "123456"}, `{"component":"ak-stage-authenticator-validate","duo":4}`},
		{"totp device: the code alone", map[string]string{"selected_challenge": totp, "code": "123456"}, `{"component":"ak-stage-authenticator-validate","code":"123456"}`},
		{"email device without a code: ask it to send one", map[string]string{"selected_challenge": email}, `{"component":"ak-stage-authenticator-validate","selected_challenge":` + email + `}`},
		{"email device with the code", map[string]string{"selected_challenge": email, "code": "42"}, `{"component":"ak-stage-authenticator-validate","code":"42"}`},
		{"webauthn device: the assertion", map[string]string{"selected_challenge": webauthn, "webauthn": assertion, "code": "1"}, `{"component":"ak-stage-authenticator-validate","webauthn":` + assertion + `}`},
		{"a setup stage goes alone", map[string]string{"selected_stage": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "code": "1", "selected_challenge": totp},
			`{"component":"ak-stage-authenticator-validate","selected_stage":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}`},
		{"no device: the code, tried against every device", map[string]string{"code": "123456"}, `{"component":"ak-stage-authenticator-validate","code":"123456"}`},
	}
	for _, c := range cases {
		ans, err := flow.BuildAnswer(form, c.values, flow.VersionLatest)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(ans.Body) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, ans.Body, c.want)
		}
	}
	if _, err := flow.BuildAnswer(form, map[string]string{"selected_challenge": webauthn}, flow.VersionLatest); err == nil {
		t.Error("a WebAuthn device without an assertion was accepted")
	}
	if _, err := flow.BuildAnswer(form, map[string]string{}, flow.VersionLatest); err == nil {
		t.Error("an empty answer was accepted")
	}
}

// The only device is chosen already, as the web UI autoselects it.
func TestValidateAutoselectsTheOnlyDevice(t *testing.T) {
	form := flow.FormFor(mustDecode(t, `{"component":"ak-stage-authenticator-validate","pending_user":"a","pending_user_avatar":"",
	  "device_challenges":[{"device_class":"duo","device_uid":"7","challenge":{},"last_used":null}],"configuration_stages":[]}`))
	if d := field(t, form, "selected_challenge"); d.Initial == "" {
		t.Fatal("the only device is not chosen")
	}
	ans, err := flow.BuildAnswer(form, map[string]string{}, flow.VersionLatest)
	if err != nil || string(ans.Body) != `{"component":"ak-stage-authenticator-validate","duo":7}` {
		t.Errorf("answer %s, %v: want the Duo push of device 7", ans.Body, err)
	}
}

func TestTOTPSetupCodeTypeFollowsVersion(t *testing.T) {
	c := mustDecode(t, `{"component":"ak-stage-authenticator-totp","pending_user":"a","pending_user_avatar":"",
	  "config_url":"otpauth://totp/authentik:akadmin?secret=JBSWY3DPEHPK3PXP&issuer=authentik"}`)
	form := flow.FormFor(c)
	if got := contextValue(form, "Secret"); got != "JBSWY3DPEHPK3PXP" {
		t.Errorf("Secret context = %q", got)
	}
	want := map[flow.Version]any{
		flow.Version2023_10: float64(123456), flow.Version2024_12: float64(123456),
		flow.Version2025_10: float64(123456), flow.Version2026_2: "123456",
	}
	for v, w := range want {
		ans, err := flow.BuildAnswer(form, map[string]string{"code": "123456"}, v)
		if err != nil {
			t.Fatal(err)
		}
		var obj map[string]any
		_ = json.Unmarshal(ans.Body, &obj)
		if obj["code"] != w {
			t.Errorf("%s: code = %#v, want %#v", v, obj["code"], w)
		}
		if err := schematest.Load(t, v).ValidateResponse(ans.Body); err != nil {
			t.Errorf("%s: %v", v, err)
		}
		if !reflect.DeepEqual(ans.Secrets, []string{"code"}) {
			t.Errorf("Secrets = %v", ans.Secrets)
		}
	}
}

func TestConsentTokenIsPrefilled(t *testing.T) {
	c := mustDecode(t, `{"component":"ak-stage-consent","pending_user":"akadmin","pending_user_avatar":"",
	  "header_text":"Grafana wants access","permissions":[{"id":"openid","name":"OpenID"},{"id":"email","name":"Email"}],
	  "additional_permissions":[{"id":"profile","name":"Profile"}],"token":"d2c9f0"}`)
	form := flow.FormFor(c)
	if tok := field(t, form, "token"); tok.Initial != "d2c9f0" || !tok.Required {
		t.Errorf("token field %+v, want required with Initial d2c9f0", tok)
	}
	for label, want := range map[string]string{"Header": "Grafana wants access", "Permissions": "OpenID, Email",
		"New permissions": "Profile", "User": "akadmin"} {
		if got := contextValue(form, label); got != want {
			t.Errorf("context %s = %q, want %q", label, got, want)
		}
	}
	if obj := body(t, form, nil, flow.VersionLatest); obj["token"] != "d2c9f0" {
		t.Errorf("answer without typing: token = %v", obj["token"])
	}
}

func TestIdentificationFields(t *testing.T) {
	plain := flow.FormFor(mustDecode(t, `{"component":"ak-stage-identification","flow_info":{"title":"Sign in","cancel_url":"/","layout":"stacked"},
	  "user_fields":["username","email"],"password_fields":false,"flow_designation":"authentication","primary_action":"Log in","show_source_labels":false}`))
	if uid := field(t, plain, "uid_field"); !uid.Required || uid.Label != "Username or Email" {
		t.Errorf("uid field %+v", uid)
	}
	if hasField(plain, "password") || hasField(plain, "captcha_token") {
		t.Errorf("fields %+v: no password or captcha was asked for", plain.Fields)
	}
	if contextValue(plain, "Flow") != "Sign in" || contextValue(plain, "Flow designation") != "authentication" {
		t.Errorf("context %+v lacks title or designation", plain.Context)
	}
	full := flow.FormFor(mustDecode(t, `{"component":"ak-stage-identification","user_fields":["email"],"password_fields":true,
	  "captcha_stage":{"component":"ak-stage-captcha","site_key":"sk","js_url":"https://js"},"flow_designation":"authentication",
	  "sources":[{"name":"GitHub","challenge":{"component":"xak-flow-redirect","to":"https://github.com/login"}}]}`))
	if pw := field(t, full, "password"); !pw.Secret || !pw.Required || pw.Kind != flow.KindSecret {
		t.Errorf("password field %+v", pw)
	}
	if ct := field(t, full, "captcha_token"); !ct.Secret || !ct.Required {
		t.Errorf("captcha field %+v", ct)
	}
	if got := contextValue(full, "Source"); !strings.Contains(got, "GitHub") {
		t.Errorf("source context %q", got)
	}
}

func TestTerminalResults(t *testing.T) {
	cases := []struct {
		body string
		want flow.Result
	}{
		{`{"component":"xak-flow-redirect","to":"/if/user/"}`,
			flow.Result{Outcome: flow.OutcomeSuccess, Headline: "Flow finished", Message: "/if/user/"}},
		{`{"component":"ak-stage-access-denied","pending_user":"","pending_user_avatar":"","error_message":"Flow does not apply to current user."}`,
			flow.Result{Outcome: flow.OutcomeDenied, Headline: "Access denied", Message: "Flow does not apply to current user."}},
		{`{"component":"ak-stage-flow-error","request_id":"r-1","error":"boom","traceback":"Traceback (most recent call last)"}`,
			flow.Result{Outcome: flow.OutcomeError, Headline: "Flow error", Message: "boom", Detail: "Traceback (most recent call last)", RequestID: "r-1"}},
		{`{"component":"ak-stage-session-end","pending_user":"a","pending_user_avatar":"","application_name":"Grafana","brand_name":"authentik","invalidation_flow_url":"/if/flow/logout/"}`,
			flow.Result{Outcome: flow.OutcomeSessionEnd, Headline: "Session ended", Message: "You have been logged out of Grafana",
				Detail: "Brand: authentik\nLog out of authentik: /if/flow/logout/"}},
		{`{"component":"xak-flow-shell","body":"<html><head><title>Not Found</title><style>p{}</style></head><body><h1>Not&nbsp;Found</h1><p>The page <b>is</b> gone.</p><script>x()</script></body></html>"}`,
			flow.Result{Outcome: flow.OutcomeShell, Headline: "Server sent a page", Message: "Not Found", Detail: "Not Found\n\nThe page is gone."}},
		{`{"component":"ak-stage-autosubmit","url":"https://sp.example/acs","attrs":{"SAMLResponse":"PHNhbWw+","RelayState":"r"},"title":"Redirecting"}`,
			flow.Result{Outcome: flow.OutcomeAutosubmit, Headline: "Browser form post", Message: "https://sp.example/acs", Detail: "RelayState=r\nSAMLResponse=PHNhbWw+"}},
	}
	for _, tc := range cases {
		c := mustDecode(t, tc.body)
		form := flow.FormFor(c)
		if !form.Terminal || !c.Terminal() || form.Result == nil {
			t.Errorf("%s: not terminal or no result: %+v", c.Component, form)
			continue
		}
		if *form.Result != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.Component, *form.Result, tc.want)
		}
		if len(form.Fields) != 0 {
			t.Errorf("%s: terminal form has fields", c.Component)
		}
	}
}

func TestUnknownComponentIsARawForm(t *testing.T) {
	c := mustDecode(t, `{"component":"ak-stage-from-the-future","flow_info":{"title":"T"},"widget":1}`)
	if c.Known() {
		t.Fatal("Known() for an uncatalogued component")
	}
	form := flow.FormFor(c)
	if !form.Raw || !form.Unknown || form.Terminal || !strings.Contains(form.Hint, "ak-stage-from-the-future") {
		t.Fatalf("form %+v: want raw, unknown, with a hint naming the component", form)
	}
	ans, err := flow.BuildAnswer(form, map[string]string{"": ` {"answer": 42, "password": "x"} `}, flow.VersionLatest)
	if err != nil {
		t.Fatal(err)
	}
	if string(ans.Body) != `{"component":"ak-stage-from-the-future","answer":42,"password":"x"}` {
		t.Errorf("body = %s", ans.Body)
	}
	if !reflect.DeepEqual(ans.Secrets, []string{"password"}) {
		t.Errorf("Secrets = %v", ans.Secrets)
	}
	ans, err = flow.BuildAnswer(form, map[string]string{"": `{"component":"ak-stage-other"}`}, flow.VersionLatest)
	if err != nil || ans.Component != "ak-stage-other" || string(ans.Body) != `{"component":"ak-stage-other"}` {
		t.Errorf("explicit component was not kept: %s %v", ans.Body, err)
	}
	ans, err = flow.BuildAnswer(form, map[string]string{"": `{}`}, flow.VersionLatest)
	if err != nil || string(ans.Body) != `{"component":"ak-stage-from-the-future"}` {
		t.Errorf("empty object: %s %v", ans.Body, err)
	}
}

func TestBrowserStagesAreRawWithAHint(t *testing.T) {
	for _, body := range []string{
		`{"component":"ak-stage-authenticator-webauthn","registration":{"challenge":"c"}}`,
		`{"component":"ak-stage-captcha","site_key":"sk","js_url":"https://js"}`,
		`{"component":"ak-source-telegram","bot_username":"bot","request_message_access":false}`,
		`{"component":"ak-stage-endpoint-agent","challenge":"jwt","challenge_idle_timeout":5}`,
		`{"component":"xak-flow-frame","url":"https://x","loading_text":"Loading"}`,
	} {
		c := mustDecode(t, body)
		form := flow.FormFor(c)
		stage, _ := flow.Lookup(c.Component)
		if !stage.Browser || !form.Raw || form.Unknown || !strings.Contains(form.Hint, "paste") || strings.Contains(form.Hint, "\n") {
			t.Errorf("%s: form %+v, want a known raw form with a one-line paste hint", c.Component, form)
		}
	}
}

func TestDetectVersion(t *testing.T) {
	cases := map[string]flow.Version{
		`{"type":"native","component":"ak-stage-password"}`:                                                  flow.Version2023_10,
		`{"component":"ak-stage-password"}`:                                                                  flow.VersionLatest,
		`{"component":"ak-stage-prompt","fields":[{"field_key":"a","choices":["x"]}]}`:                       flow.Version2024_12,
		`{"component":"ak-stage-prompt","fields":[{"field_key":"a","choices":[{"value":"x","label":"X"}]}]}`: flow.VersionLatest,
		`{"component":"ak-stage-prompt","fields":"garbage"}`:                                                 flow.VersionLatest,
	}
	for b, want := range cases {
		if got := flow.DetectVersion(mustDecode(t, b)); got != want {
			t.Errorf("DetectVersion(%s) = %s, want %s", b, got, want)
		}
	}
	if flow.DetectVersion(nil) != flow.VersionLatest {
		t.Error("nil challenge")
	}
}

func TestHTMLText(t *testing.T) {
	cases := map[string]string{
		"plain":                         "plain",
		"<p>a</p><p>b</p>":              "a\n\nb",
		"x<br>y":                        "x\ny",
		"<b>1 &lt; 2</b>":               "1 < 2",
		"<!-- c -->ok":                  "ok",
		"<script>alert(1)</script>safe": "safe",
		// What regexes got wrong: '>' inside an attribute, an unclosed
		// comment-like text, script text holding tags.
		`<a title="x>y">link</a>`:                        "link",
		`<script>document.write("<p>no</p>")</script>ok`: "ok",
		"<head><title>T</title></head><body>text</body>": "text",
	}
	for in, want := range cases {
		if got := flow.HTMLText(in); got != want {
			t.Errorf("HTMLText(%q) = %q, want %q", in, got, want)
		}
	}
	for page, want := range map[string]string{
		"<html><head><title> Not\n Found </title></head></html>":  "Not Found",
		`<title>a &amp; b</title>`:                                "a & b",
		"<p>no title</p>":                                         "",
		`<meta content="<title>fake</title>"><title>real</title>`: "real",
	} {
		if got := flow.HTMLTitle([]byte(page)); got != want {
			t.Errorf("HTMLTitle(%q) = %q, want %q", page, got, want)
		}
	}
}
