package schematest_test

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/flow/schematest"
)

func TestComponentCountsMatchTheSchemaReadme(t *testing.T) {
	want := map[flow.Version][2]int{
		flow.Version2023_10: {23, 19},
		flow.Version2024_12: {26, 22},
		flow.Version2025_10: {29, 25},
		flow.Version2026_2:  {30, 26},
	}
	for _, v := range flow.Versions {
		s := schematest.Load(t, v)
		got := [2]int{len(s.Components()), len(s.ResponseComponents())}
		if got != want[v] {
			t.Errorf("%s: %d challenge / %d response components, want %v", v, got[0], got[1], want[v])
		}
	}
}

func TestValidateResponse(t *testing.T) {
	s := schematest.Load(t, flow.Version2026_2)
	cases := []struct {
		name, body, wantErr string
	}{
		{"valid password", `{"component":"ak-stage-password","password":"hunter2"}`, ""},
		{"prompt allows its dynamic keys", `{"component":"ak-stage-prompt","email":"a@b.c","n":3}`, ""},
		{"extra top-level property", `{"component":"ak-stage-password","password":"x","passwrd":"y"}`, "passwrd"},
		{"wrong type", `{"component":"ak-stage-user-login","remember_me":"yes"}`, "remember_me"},
		{"missing required", `{"component":"ak-stage-password"}`, "password"},
		{"unknown component", `{"component":"ak-stage-nope"}`, "ak-stage-nope"},
		{"terminal component has no answer", `{"component":"ak-stage-access-denied"}`, "ak-stage-access-denied"},
		{"no component", `{"password":"x"}`, "component"},
		{"not an object", `[1]`, "object"},
		{"not JSON", `<html>`, "JSON"},
		{"nested undeclared key", `{"component":"ak-stage-authenticator-validate","selected_challenge":{"device_class":"totp","device_uid":"1","challenge":{},"last_used":null,"extra":1}}`, "extra"},
		{"nested open object", `{"component":"ak-stage-authenticator-validate","webauthn":{"anything":1}}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := s.ValidateResponse([]byte(tc.body))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("want an error naming %q, got %v", tc.wantErr, err)
			}
		})
	}
}

func TestResponseTypesDifferByVersion(t *testing.T) {
	asString := []byte(`{"component":"ak-stage-authenticator-totp","code":"123456"}`)
	asInt := []byte(`{"component":"ak-stage-authenticator-totp","code":123456}`)
	old := schematest.Load(t, flow.Version2023_10)
	latest := schematest.Load(t, flow.Version2026_2)
	if old.ValidateResponse(asString) == nil || old.ValidateResponse(asInt) != nil {
		t.Error("2023.10 types the TOTP setup code as an integer")
	}
	if latest.ValidateResponse(asInt) == nil || latest.ValidateResponse(asString) != nil {
		t.Error("2026.2 types the TOTP setup code as a string")
	}
}

func TestValidateChallengeFollowsVersion(t *testing.T) {
	old := schematest.Load(t, flow.Version2023_10)
	latest := schematest.Load(t, flow.Version2026_2)
	legacy := `{"type":"redirect","component":"xak-flow-redirect","to":"/"}`
	modern := `{"component":"xak-flow-redirect","to":"/"}`
	if err := old.ValidateChallenge([]byte(legacy)); err != nil {
		t.Errorf("2023.10 redirect with type: %v", err)
	}
	if err := old.ValidateChallenge([]byte(modern)); err == nil {
		t.Error("2023.10 requires type; a redirect without it passed")
	}
	if err := latest.ValidateChallenge([]byte(legacy)); err == nil {
		t.Error("2026.2 has no type property; a redirect with it passed")
	}
	if err := old.ValidateChallenge([]byte(`{"type":"native","component":"ak-stage-endpoint-agent","challenge":"x","challenge_idle_timeout":1}`)); err == nil {
		t.Error("endpoint agent is not in 2023.10, but validated")
	}
	// Nested discriminated union: a source's login challenge.
	ident := `{"component":"ak-stage-identification","user_fields":["username"],"password_fields":false,
	  "flow_designation":"authentication","primary_action":"Log in","show_source_labels":false,
	  "sources":[{"name":"Plex","challenge":{"component":"ak-source-plex","client_id":"c","slug":"plex","bogus":1}}]}`
	if err := latest.ValidateChallenge([]byte(ident)); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("undeclared key inside a source challenge: got %v", err)
	}
}

func TestMinimalChallengesValidate(t *testing.T) {
	for _, v := range flow.Versions {
		s := schematest.Load(t, v)
		for _, c := range s.Components() {
			body, err := s.MinimalChallenge(c)
			if err != nil {
				t.Fatalf("%s %s: %v", v, c, err)
			}
			if err := s.ValidateChallenge(body); err != nil {
				t.Errorf("%s %s: synthesised %s does not validate: %v", v, c, body, err)
			}
		}
	}
}

func TestValidateInspection(t *testing.T) {
	s := schematest.Load(t, flow.VersionLatest)
	binding := `{"pk":"3fa85f64-5717-4562-b3fc-2c963f66afa6","policybindingmodel_ptr_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6",
	 "target":"3fa85f64-5717-4562-b3fc-2c963f66afa6","stage":"3fa85f64-5717-4562-b3fc-2c963f66afa6","order":10,
	 "stage_obj":{"pk":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"id","component":"ak-stage-identification",
	   "verbose_name":"Identification Stage","verbose_name_plural":"Identification Stages","meta_model_name":"authentik_stages_identification.identificationstage","flow_set":[]}}`
	plan := `{"current_stage":` + binding + `,"next_planned_stage":` + binding + `,"plan_context":{},"session_id":"abc"}`
	if err := s.ValidateInspection([]byte(`{"plans":[],"current_plan":` + plan + `,"is_completed":false}`)); err != nil {
		t.Errorf("valid inspection: %v", err)
	}
	if err := s.ValidateInspection([]byte(`{"plans":[],"is_completed":"no"}`)); err == nil {
		t.Error("is_completed as a string passed")
	}
	if err := s.ValidateInspection([]byte(`{"plans":[],"is_completed":false,"surprise":1}`)); err == nil {
		t.Error("undeclared inspection key passed")
	}
}
