package flow_test

import (
	"strconv"

	"github.com/akinspect/akinspect/flow"
)

// fixture is a realistic challenge of one schema version with the ways a
// person might answer it.
type fixture struct {
	name    string
	version flow.Version
	detect  flow.Version // what DetectVersion should say
	body    string
	answers []map[string]string
}

const flowInfo = `"flow_info":{"title":"Welcome to authentik!","background":"/static/dist/assets/images/flow_background.jpg","cancel_url":"/flows/-/cancel/","layout":"stacked"}`

const device = `"pending_user":"akadmin","pending_user_avatar":"/static/dist/assets/images/user_default.png"`

var fixtures = []fixture{
	{
		name: "identification 2026.2 with password, captcha and passkey", version: flow.Version2026_2, detect: flow.Version2026_2,
		body: `{"component":"ak-stage-identification",` + flowInfo + `,"user_fields":["username","email"],
		  "pending_user_identifier":null,"password_fields":true,"allow_show_password":true,
		  "application_pre":"Grafana","application_pre_launch":"https://grafana.example/","flow_designation":"authentication",
		  "captcha_stage":{"component":"ak-stage-captcha","pending_user":"","pending_user_avatar":"","site_key":"site","js_url":"https://www.google.com/recaptcha/api.js","interactive":true},
		  "enroll_url":"/if/flow/enroll/","recovery_url":"/if/flow/recover/","primary_action":"Log in",
		  "sources":[{"name":"Plex","icon_url":null,"promoted":false,"challenge":{"component":"ak-source-plex","client_id":"cid","slug":"plex"}}],
		  "show_source_labels":true,"enable_remember_me":true,"passkey_challenge":{"challenge":"abc","rpId":"authentik.example"}}`,
		answers: []map[string]string{
			{"uid_field": "akadmin", "password": "hunter2", "captcha_token": "tok"},
			{"uid_field": "", "captcha_token": "tok", "passkey": `{"id":"cred","response":{}}`},
		},
	},
	{
		name: "identification 2023.10 with type", version: flow.Version2023_10, detect: flow.Version2023_10,
		body: `{"type":"native","component":"ak-stage-identification",` + flowInfo + `,"user_fields":["email"],
		  "password_fields":true,"primary_action":"Log in","show_source_labels":false}`,
		answers: []map[string]string{{"uid_field": "a@b.c", "password": "hunter2"}},
	},
	{
		name: "identification 2024.12 with captcha", version: flow.Version2024_12, detect: flow.VersionLatest,
		body: `{"component":"ak-stage-identification","user_fields":["upn"],"password_fields":false,
		  "flow_designation":"enrollment","primary_action":"Continue","show_source_labels":false,
		  "captcha_stage":{"component":"ak-stage-captcha","pending_user":"","pending_user_avatar":"","site_key":"s","js_url":"https://js","interactive":false}}`,
		answers: []map[string]string{{"uid_field": "ada@corp", "captcha_token": "tok"}},
	},
	{
		name: "validate 2026.2 with every device", version: flow.Version2026_2, detect: flow.Version2026_2,
		body: `{"component":"ak-stage-authenticator-validate",` + flowInfo + `,` + device + `,
		  "device_challenges":[
		    {"device_class":"totp","device_uid":"1","challenge":{},"last_used":"2026-11-20T10:00:00Z"},
		    {"device_class":"static","device_uid":"2","challenge":{},"last_used":null},
		    {"device_class":"email","device_uid":"3","challenge":{"email":"a***@example.com"},"last_used":null},
		    {"device_class":"duo","device_uid":"4","challenge":{},"last_used":null},
		    {"device_class":"webauthn","device_uid":"5","challenge":{"challenge":"xyz","allowCredentials":[]},"last_used":null}],
		  "configuration_stages":[{"pk":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"totp-setup","verbose_name":"TOTP Authenticator Setup Stage","meta_model_name":"authentik_stages_authenticator_totp.authenticatortotpstage"}]}`,
		answers: []map[string]string{
			{"code": "012345"},
			{"code": "123456", "selected_challenge": `{"device_class":"totp","device_uid":"1","challenge":{},"last_used":"2026-11-20T10:00:00Z"}`},
			{"selected_challenge": `{"device_class":"email","device_uid":"3","challenge":{"email":"a***@example.com"},"last_used":null}`},
			{"selected_challenge": `{"device_class":"duo","device_uid":"4","challenge":{},"last_used":null}`},
			{"webauthn": `{"id":"cred","type":"public-key","response":{}}`},
			{"selected_stage": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
		},
	},
	{
		name: "validate 2023.10", version: flow.Version2023_10, detect: flow.Version2023_10,
		body: `{"type":"native","component":"ak-stage-authenticator-validate",` + device + `,
		  "device_challenges":[{"device_class":"totp","device_uid":"1","challenge":{}}],"configuration_stages":[]}`,
		answers: []map[string]string{{"code": "123456"}, {"code": "1", "selected_challenge": `{"device_class":"totp","device_uid":"1","challenge":{}}`}},
	},
	{
		name: "prompt 2025.10 with object choices", version: flow.Version2025_10, detect: flow.VersionLatest,
		body: `{"component":"ak-stage-prompt",` + flowInfo + `,"fields":[` +
			prompt("username", "username", true, 0, `null`) + `,` +
			prompt("email", "email", true, 1, `null`) + `,` +
			prompt("password", "password", true, 2, `null`) + `,` +
			prompt("password_repeat", "password", true, 3, `null`) + `,` +
			prompt("age", "number", false, 4, `null`) + `,` +
			prompt("tos", "checkbox", false, 5, `null`) + `,` +
			prompt("plan", "dropdown", true, 6, `[{"value":"free","label":"Free"},{"value":"pro","label":"Pro"}]`) + `,` +
			prompt("color", "radio-button-group", false, 7, `[{"value":"red","label":"Red"}]`) + `,` +
			prompt("born", "date", false, 8, `null`) + `,` +
			prompt("meet", "date-time", false, 9, `null`) + `,` +
			prompt("avatar", "file", false, 10, `null`) + `,` +
			prompt("note", "static", false, 11, `null`) + `,` +
			prompt("hidden_id", "hidden", false, 12, `null`) + `,` +
			prompt("locale", "ak-locale", false, 13, `null`) + `]}`,
		answers: []map[string]string{
			{"username": "ada", "email": "ada@example.com", "password": "pw", "password_repeat": "pw", "age": "36",
				"tos": "true", "plan": "pro", "color": "red", "born": "1815-12-10", "meet": "2026-11-26T13:00",
				"avatar": "data:image/png;base64,iVBORw0KGgo=", "locale": "en"},
			{"username": "ada", "email": "ada@example.com", "password": "pw", "password_repeat": "pw", "plan": "free"},
		},
	},
	{
		name: "prompt 2024.12 with string choices", version: flow.Version2024_12, detect: flow.Version2024_12,
		body:    `{"component":"ak-stage-prompt","fields":[` + prompt("plan", "radio-button-group", true, 0, `["free","pro"]`) + `]}`,
		answers: []map[string]string{{"plan": "free"}},
	},
	{
		name: "consent 2026.2", version: flow.Version2026_2, detect: flow.Version2026_2,
		body: `{"component":"ak-stage-consent",` + flowInfo + `,` + device + `,"header_text":"Grafana wants access",
		  "permissions":[{"id":"openid","name":"OpenID"},{"id":"email","name":"Email address"}],
		  "additional_permissions":[{"id":"profile","name":"Profile"}],"token":"d2c9f0"}`,
		answers: []map[string]string{{}, {"token": "d2c9f0"}},
	},
	{
		name: "totp setup 2023.10 sends an integer", version: flow.Version2023_10, detect: flow.Version2023_10,
		body:    `{"type":"native","component":"ak-stage-authenticator-totp",` + device + `,"config_url":"otpauth://totp/authentik:akadmin?secret=JBSWY3DPEHPK3PXP&issuer=authentik"}`,
		answers: []map[string]string{{"code": "123456"}},
	},
	{
		name: "totp setup 2026.2 sends a string", version: flow.Version2026_2, detect: flow.Version2026_2,
		body:    `{"component":"ak-stage-authenticator-totp",` + device + `,"config_url":"otpauth://totp/authentik:akadmin?secret=JBSWY3DPEHPK3PXP"}`,
		answers: []map[string]string{{"code": "012345"}},
	},
	{
		name: "email setup 2024.12", version: flow.Version2024_12, detect: flow.VersionLatest,
		body:    `{"component":"ak-stage-authenticator-email",` + device + `,"email":null,"email_required":true}`,
		answers: []map[string]string{{"email": "ada@example.com"}, {"code": "123456"}},
	},
	{
		name: "sms setup 2025.10", version: flow.Version2025_10, detect: flow.VersionLatest,
		body:    `{"component":"ak-stage-authenticator-sms",` + device + `,"phone_number_required":true}`,
		answers: []map[string]string{{"phone_number": "+4912345678"}, {"code": "123456"}},
	},
	{
		name: "user login 2026.2", version: flow.Version2026_2, detect: flow.Version2026_2,
		body:    `{"component":"ak-stage-user-login",` + device + `}`,
		answers: []map[string]string{{"remember_me": "y"}, {}},
	},
	{
		name: "device code 2023.10 integer", version: flow.Version2023_10, detect: flow.Version2023_10,
		body:    `{"type":"native","component":"ak-provider-oauth2-device-code"}`,
		answers: []map[string]string{{"code": "123456"}},
	},
	{
		name: "device code 2026.2 string", version: flow.Version2026_2, detect: flow.Version2026_2,
		body:    `{"component":"ak-provider-oauth2-device-code"}`,
		answers: []map[string]string{{"code": "ABCD-EFGH"}},
	},
}

func prompt(key, typ string, required bool, order int, choices string) string {
	req := "false"
	if required {
		req = "true"
	}
	initial := ""
	if typ == "static" {
		initial = "<p>Read the <b>terms</b></p>"
	}
	if typ == "hidden" {
		initial = "42"
	}
	return `{"field_key":"` + key + `","label":"` + key + `","type":"` + typ + `","required":` + req +
		`,"placeholder":"","initial_value":"` + initial + `","order":` + strconv.Itoa(order) + `,"sub_text":"","choices":` + choices + `}`
}
