package flow_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/flow/schematest"
)

// plausibleRaw is what a person would paste for each browser stage.
var plausibleRaw = map[string]string{
	flow.ComponentCaptcha:       `{"token":"P1_eyJhbGciOi"}`,
	flow.ComponentWebAuthnSetup: `{"response":{"id":"cred","rawId":"cred","type":"public-key","response":{}}}`,
	flow.ComponentTelegram:      `{"id":42,"first_name":"Ada","username":"ada","auth_date":1700000000,"hash":"abc123"}`,
	flow.ComponentEndpointAgent: `{"response":"eyJhbGciOiJFUzI1NiJ9.signed"}`,
}

// plausibleValues fills every field the way a person would.
func plausibleValues(form flow.Form) map[string]string {
	if form.Raw {
		body, ok := plausibleRaw[form.Component]
		if !ok {
			body = "{}"
		}
		return map[string]string{"": body}
	}
	values := map[string]string{}
	for _, f := range form.Fields {
		switch f.Kind {
		case flow.KindText, flow.KindTextArea:
			values[f.Key] = "akadmin"
		case flow.KindSecret:
			values[f.Key] = "hunter2"
		case flow.KindCode:
			values[f.Key] = "123456"
		case flow.KindNumber:
			values[f.Key] = "42"
		case flow.KindBool:
			values[f.Key] = "yes"
		case flow.KindChoice:
			if len(f.Choices) > 0 {
				values[f.Key] = f.Choices[0].Value
			}
		case flow.KindDate:
			values[f.Key] = "2026-11-26"
		case flow.KindDateTime:
			values[f.Key] = "2026-11-26T13:00:00Z"
		case flow.KindJSON:
			values[f.Key] = `{"id":"cred"}`
		case flow.KindFile:
			values[f.Key] = "data:text/plain;base64,aGk="
		}
	}
	return values
}

func TestCatalogCoversEverySchemaVersion(t *testing.T) {
	inSchemas := map[string]bool{}
	for _, v := range flow.Versions {
		for _, c := range schematest.Load(t, v).Components() {
			inSchemas[c] = true
			if _, ok := flow.Lookup(c); !ok {
				t.Errorf("%s: component %s is not in the catalog", v, c)
			}
		}
	}
	for _, c := range flow.Components() {
		if !inSchemas[c] {
			t.Errorf("catalog has %s, which no schema version knows", c)
		}
		s, _ := flow.Lookup(c)
		if s.Name == "" || s.Description == "" || s.Component != c {
			t.Errorf("catalog entry %s is incomplete: %+v", c, s)
		}
	}
}

// For every component of every version: a schema-valid challenge decodes,
// is catalogued, gets a form, and (unless terminal) a plausible answer that
// the same version's schema accepts.
func TestEveryComponentRoundTripsAgainstItsSchema(t *testing.T) {
	for _, v := range flow.Versions {
		s := schematest.Load(t, v)
		for _, component := range s.Components() {
			t.Run(string(v)+"/"+component, func(t *testing.T) {
				body, err := s.MinimalChallenge(component)
				if err != nil {
					t.Fatal(err)
				}
				c, err := flow.Decode(body)
				if err != nil {
					t.Fatalf("Decode(%s): %v", body, err)
				}
				stage, ok := flow.Lookup(c.Component)
				if !ok {
					t.Fatalf("%s not in catalog", component)
				}
				form := flow.FormFor(c)
				if form.Unknown || form.Title == "" || form.Component != component {
					t.Fatalf("form %+v is not a catalogued form", form)
				}
				if stage.Terminal {
					if !form.Terminal || form.Result == nil || form.Result.Headline == "" {
						t.Fatalf("terminal %s: form has no result: %+v", component, form)
					}
					if _, err := flow.BuildAnswer(form, nil, v); err == nil {
						t.Fatalf("BuildAnswer on terminal %s did not refuse", component)
					}
					return
				}
				if form.Raw && !strings.Contains(form.Hint, "{") {
					t.Errorf("raw form hint %q shows no JSON to paste", form.Hint)
				}
				if !s.HasResponse(component) {
					t.Fatalf("%s is answerable but %s has no response schema for it", component, v)
				}
				ans, err := flow.BuildAnswer(form, plausibleValues(form), v)
				if err != nil {
					t.Fatalf("BuildAnswer: %v", err)
				}
				if err := s.ValidateResponse(ans.Body); err != nil {
					t.Fatalf("answer %s rejected: %v", ans.Body, err)
				}
			})
		}
	}
}

// Each realistic fixture must itself be schema-valid, and every single way
// of answering it must produce a body the schema accepts.
func TestFixturesAnswersValidate(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			s := schematest.Load(t, fx.version)
			if err := s.ValidateChallenge([]byte(fx.body)); err != nil {
				t.Fatalf("fixture is not a valid %s challenge: %v", fx.version, err)
			}
			c, err := flow.Decode([]byte(fx.body))
			if err != nil {
				t.Fatal(err)
			}
			if got := flow.DetectVersion(c); got != fx.detect {
				t.Errorf("DetectVersion = %s, want %s", got, fx.detect)
			}
			form := flow.FormFor(c)
			for i, values := range fx.answers {
				ans, err := flow.BuildAnswer(form, values, fx.version)
				if err != nil {
					t.Fatalf("answer %d %v: %v", i, values, err)
				}
				if err := s.ValidateResponse(ans.Body); err != nil {
					t.Errorf("answer %d %s rejected: %v", i, ans.Body, err)
				}
				var obj map[string]any
				if err := json.Unmarshal(ans.Body, &obj); err != nil || obj["component"] != c.Component {
					t.Errorf("answer %d %s does not carry component %s", i, ans.Body, c.Component)
				}
			}
		})
	}
}
