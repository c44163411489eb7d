package flow

import (
	"encoding/json"
	"testing"
)

// Seeds: realistic executor bodies and the junk a misconfigured proxy or a
// truncated read produces.
var challengeSeeds = []string{
	`{"component":"ak-stage-identification","flow_info":{"title":"Welcome","cancel_url":"/flows/-/cancel/","layout":"stacked"},"user_fields":["username","email"],"password_fields":true,"primary_action":"Log in","sources":[{"name":"Plex","challenge":{"component":"ak-source-plex","client_id":"c","slug":"plex"}}],"show_source_labels":false,"captcha_stage":{"component":"ak-stage-captcha","site_key":"s","js_url":"j"},"passkey_challenge":{"challenge":"x"}}`,
	`{"type":"native","component":"ak-stage-password","pending_user":"akadmin","pending_user_avatar":"/a.png","response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`,
	`{"component":"ak-stage-authenticator-validate","pending_user":"a","pending_user_avatar":"","device_challenges":[{"device_class":"totp","device_uid":"1","challenge":{},"last_used":null},{"device_class":"duo","device_uid":"x","challenge":{}},{"device_class":"webauthn","device_uid":"2","challenge":{"challenge":"c"}}],"configuration_stages":[{"pk":"p","name":"n","verbose_name":"v","meta_model_name":"m"}]}`,
	`{"component":"ak-stage-prompt","fields":[{"field_key":"a","label":"A","type":"dropdown","required":true,"placeholder":"","initial_value":"","order":0,"sub_text":"<b>x</b>","choices":["x",{"value":"y","label":"Y"},3,null]},{"field_key":"n","type":"number","required":false},{"field_key":"s","type":"static","initial_value":"<p>hi"}]}`,
	`{"component":"ak-stage-consent","permissions":[{"id":"openid","name":"OpenID"}],"additional_permissions":null,"token":"t"}`,
	`{"component":"ak-stage-authenticator-totp","config_url":"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP"}`,
	`{"component":"ak-stage-autosubmit","url":"https://sp/acs","attrs":{"SAMLResponse":"x","n":1}}`,
	`{"component":"xak-flow-shell","body":"<html><title>t</title><script>x</script><p>a &amp; b"}`,
	`{"component":"ak-stage-flow-error","request_id":"r","error":"e","traceback":"tb"}`,
	`{"component":"ak-provider-iframe-logout","logout_urls":[{"url":"https://x","provider_name":"p"},{"z":1}]}`,
	`{"component":"ak-stage-something-new","x":[1,2,3]}`,
	`{"component":"ak-stage-prompt","fields":{"not":"a list"}}`,
	`{"component":"ak-stage-identification","user_fields":[""],"flow_info":"odd","pending_user":7}`,
	`<!DOCTYPE html><html><head><title>Not Found</title></head><body></body></html>`,
	`{"component":"ak-stage-pass`,
	`[{"component":"ak-stage-password"}]`,
	`null`,
	`{}`,
	`{"component":""}`,
	`{"component":null}`,
	`  `,
}

func FuzzDecode(f *testing.F) {
	for _, s := range challengeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := Decode(body)
		if err != nil {
			if c != nil {
				t.Fatal("Decode returned a challenge with an error")
			}
			return
		}
		if c.Component == "" {
			t.Fatal("Decode succeeded without a component")
		}
		if !json.Valid(c.Raw) {
			t.Fatalf("Raw is not valid JSON: %q", c.Raw)
		}
	})
}

func FuzzDecodeInspection(f *testing.F) {
	for _, s := range []string{
		`{"plans":[],"current_plan":{"current_stage":{"pk":"p","order":10,"stage_obj":{"name":"id","component":"ak-stage-identification"}},"next_planned_stage":{},"plan_context":{"pending_user":{"username":"a"}},"session_id":"s"},"is_completed":false}`,
		`{"plans":null,"current_plan":null,"is_completed":true}`,
		`{"plans":[{"current_stage":null}],"is_completed":"yes"}`,
		`{"detail":"You do not have permission to perform this action."}`,
		`<html>404</html>`, `{"plans":[`, `null`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := DecodeInspection(body)
		if err == nil && in == nil {
			t.Fatal("DecodeInspection returned neither an inspection nor an error")
		}
	})
}

func FuzzFormFor(f *testing.F) {
	for _, s := range challengeSeeds {
		f.Add([]byte(s), "123456", "true")
	}
	f.Add([]byte(`{"component":"ak-stage-user-login"}`), "", "maybe")
	f.Add([]byte(`{"component":"ak-stage-captcha"}`), `{"token":"x"}`, "")
	f.Fuzz(func(t *testing.T, body []byte, value, other string) {
		c, err := Decode(body)
		if err != nil {
			return
		}
		form := FormFor(c)
		if form.Component != c.Component {
			t.Fatalf("form for %q has component %q", c.Component, form.Component)
		}
		for _, v := range Versions {
			values := map[string]string{"": value}
			for i, field := range form.Fields {
				if i%2 == 0 {
					values[field.Key] = value
				} else {
					values[field.Key] = other
				}
			}
			ans, err := BuildAnswer(form, values, v)
			if err != nil {
				continue
			}
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(ans.Body, &obj); err != nil {
				t.Fatalf("answer is not a JSON object: %q: %v", ans.Body, err)
			}
			if _, ok := obj["component"]; !ok {
				t.Fatalf("answer has no component: %s", ans.Body)
			}
		}
	})
}
