package flow_test

import (
	"testing"

	"github.com/akinspect/akinspect/flow"
)

// A debugger sends what it is told: values BuildAnswer refuses go as typed,
// with the refusal as a warning, so that authentik's own errors show.
func TestBuildAnswerAsTypedSendsWhatWasTyped(t *testing.T) {
	form := flow.FormFor(mustDecode(t, `{"component":"ak-stage-prompt","fields":[`+
		prompt("age", "number", true, 0, `null`)+`,`+
		prompt("born", "date", true, 1, `null`)+`,`+
		prompt("name", "text", true, 2, `null`)+`]}`))
	values := map[string]string{"age": "abc", "born": "2000-02-31", "name": ""}
	if _, err := flow.BuildAnswer(form, values, flow.VersionLatest); err == nil {
		t.Fatal("BuildAnswer accepted abc for a number: the strict path should refuse")
	}
	ans, warnings, err := flow.BuildAnswerAsTyped(form, values, flow.VersionLatest)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"component":"ak-stage-prompt","age":"abc","born":"2000-02-31","name":""}`
	if string(ans.Body) != want {
		t.Errorf("body %s\nwant %s", ans.Body, want)
	}
	if len(warnings) != 3 {
		t.Fatalf("warnings %v: want one per refused field", warnings)
	}
	for i, key := range []string{"age", "born", "name"} {
		if warnings[i].Key != key {
			t.Errorf("warning %d names %q, want %q", i, warnings[i].Key, key)
		}
	}
	// Values that are fine are sent as BuildAnswer sends them.
	ans, warnings, _ = flow.BuildAnswerAsTyped(form, map[string]string{"age": "42", "born": "2000-02-29", "name": "x"}, flow.VersionLatest)
	if string(ans.Body) != `{"component":"ak-stage-prompt","age":42,"born":"2000-02-29","name":"x"}` || len(warnings) != 0 {
		t.Errorf("valid values: %s, warnings %v", ans.Body, warnings)
	}
}

func TestAnswerComponent(t *testing.T) {
	for body, want := range map[string]string{
		`{"component":"ak-stage-password","password":"x"}`: "ak-stage-password",
		` {"password":"x","component":"ak-stage-dummy"}`:   "ak-stage-dummy",
		`{"component":3}`:  "",
		`{"password":"x"}`: "",
		`not json`:         "",
		`["component"]`:    "",
		``:                 "",
	} {
		got, ok := flow.AnswerComponent([]byte(body))
		if got != want || ok != (want != "") {
			t.Errorf("AnswerComponent(%q) = %q, %v; want %q", body, got, ok, want)
		}
	}
}

// ValuesFromAnswer is BuildAnswer's inverse: the values it reads back build
// the same body again, for every fixture answer of every stage.
func TestValuesFromAnswerRoundTrips(t *testing.T) {
	for _, fx := range fixtures {
		form := flow.FormFor(mustDecode(t, fx.body))
		if form.Terminal || form.Raw {
			continue
		}
		for _, answer := range fx.answers {
			first, err := flow.BuildAnswer(form, answer, fx.version)
			if err != nil {
				continue // fixtures that show an error are checked elsewhere
			}
			values, ok := flow.ValuesFromAnswer(form, first.Body)
			if !ok {
				t.Fatalf("%s: the answer %s does not read back", fx.name, first.Body)
			}
			again, err := flow.BuildAnswer(form, values, fx.version)
			if err != nil || string(again.Body) != string(first.Body) {
				t.Errorf("%s: %s read back as %v builds %s (%v)", fx.name, first.Body, values, again.Body, err)
			}
		}
	}
}

func TestRawTemplate(t *testing.T) {
	form := flow.FormFor(mustDecode(t, `{"component":"ak-stage-password","pending_user":"a","pending_user_avatar":""}`))
	if got := string(flow.RawTemplate(form, map[string]string{"password": "x"}, flow.VersionLatest)); got != `{"component":"ak-stage-password","password":"x"}` {
		t.Errorf("filled form: %s", got)
	}
	if got := string(flow.RawTemplate(form, nil, flow.VersionLatest)); got != `{"component":"ak-stage-password"}` {
		t.Errorf("empty form: %s", got)
	}
}

// An email stage's "email-sent" is news: the challenge is not a rejection.
func TestEmailSentIsNotARejection(t *testing.T) {
	sent := mustDecode(t, `{"component":"ak-stage-email","response_errors":{"non_field_errors":[{"string":"Email sent.","code":"email-sent"}]}}`)
	if sent.Rejected() {
		t.Error("email-sent counted as a rejection")
	}
	wrong := mustDecode(t, `{"component":"ak-stage-password","pending_user":"a","pending_user_avatar":"","response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`)
	if !wrong.Rejected() {
		t.Error("an invalid password is not a rejection")
	}
	if mustDecode(t, `{"component":"ak-stage-dummy"}`).Rejected() {
		t.Error("a challenge without errors is a rejection")
	}
}
