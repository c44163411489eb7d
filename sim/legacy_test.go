package sim

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

// Every challenge in these runs is checked against the 2023.10.5 schema by
// the client helper; this test adds the legacy-specific facts.
func TestLegacyModeSpeaks2023_10(t *testing.T) {
	_, ts := newSim(t, Options{Legacy: true})
	c := newClient(t, ts, true).start("default-authentication-flow", "")
	ch := c.get()
	if ch.Type != "native" || ch.Fields["flow_designation"] != nil || ch.Fields["captcha_stage"] != nil {
		t.Fatalf("legacy identification %s", ch.Raw)
	}
	c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "akadmin"})
	ch = c.post(map[string]any{"component": flow.ComponentPassword, "password": "akadmin-demo"})
	var devices []map[string]any
	_ = ch.Get("device_challenges", &devices)
	if len(devices) == 0 || devices[0]["last_used"] != nil || len(devices[0]) != 3 {
		t.Fatalf("legacy device challenges %s", ch.Raw)
	}
	ch = c.post(map[string]any{"component": flow.ComponentValidate, "code": totpNow(t, secretAkadmin)})
	wantRedirect(t, ch, "/")
	if ch.Type != "redirect" {
		t.Fatalf("legacy redirect %s", ch.Raw)
	}

	c.csrf = true
	c.start("default-provider-authorization-explicit-consent", "")
	ch = c.get()
	wantRedirect(t, c.post(map[string]any{"component": flow.ComponentConsent, "token": ch.String("token")}), "/")

	// TOTP setup in 2023.10: the code is an integer, both stages carry type.
	c.start("default-authenticator-totp-setup", "")
	ch = c.get()
	wantComponent(t, ch, flow.ComponentTOTPSetup)
	u, err := url.Parse(ch.String("config_url"))
	if err != nil || ch.Type != "native" {
		t.Fatalf("legacy TOTP setup %s", ch.Raw)
	}
	code, _ := strconv.Atoi(totpNow(t, u.Query().Get("secret")))
	ch = c.post(map[string]any{"component": flow.ComponentTOTPSetup, "code": code})
	wantComponent(t, ch, flow.ComponentStaticSetup)
	if ch.Type != "native" {
		t.Fatalf("legacy static setup %s", ch.Raw)
	}
	wantRedirect(t, c.post(map[string]any{"component": flow.ComponentStaticSetup}), "/")

	e := newClient(t, ts, true).start("default-enrollment-flow", "")
	ch = e.get()
	var fields []struct {
		Type    string `json:"type"`
		Choices []string
	}
	if err := ch.Get("fields", &fields); err != nil {
		t.Fatalf("legacy prompt choices are not strings: %v\n%s", err, ch.Raw)
	}
	wantComponent(t, e.post(validEnrollment()), flow.ComponentUserLogin)
	wantRedirect(t, e.post(map[string]any{"component": flow.ComponentUserLogin, "remember_me": false}), "/")

	b := newClient(t, ts, true).start("broken-flow", "")
	if b.get().Fields["name"] != nil {
		t.Fatal("legacy dummy challenge has a name")
	}
	ch = b.post(map[string]any{"component": flow.ComponentDummy})
	wantComponent(t, ch, flow.ComponentFlowError)
	if ch.Type != "native" {
		t.Fatalf("legacy flow error %s", ch.Raw)
	}

	wantDenied(t, newClient(t, ts, true).start("default-denied", "").get(), msgDenied)

	d := newClient(t, ts, true).start("duo-push", "")
	ch = d.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "alice", "password": "alice-demo"})
	_ = ch.Get("device_challenges", &devices)
	pk, _ := strconv.Atoi(devices[0]["device_uid"].(string))
	wantRedirect(t, d.post(map[string]any{"component": flow.ComponentValidate, "duo": pk}), "/")

	h := newClient(t, ts, true).start("hologram-flow", "")
	if h.get().Type != "native" {
		t.Fatal("legacy hologram has no type")
	}
	wantRedirect(t, h.post(map[string]any{"component": ComponentHologram}), "/")
}

func TestInspectorLastStageHasUnboundNextStage(t *testing.T) {
	s, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("hologram-flow", "")
	c.get()
	c.bearer = s.AdminToken()
	_, body := c.inspect()
	in, err := flow.DecodeInspection(body)
	if err != nil {
		t.Fatal(err)
	}
	// authentik returns FlowStageBindingSerializer().data when fewer than two
	// bindings remain: writable fields with their initial values, no stage_obj.
	if next := in.CurrentPlan.NextPlannedStage; next == nil || next.StageObj != nil || next.Pk != "" {
		t.Fatalf("next_planned_stage %s", body)
	}
	if in.CurrentPlan.CurrentStage.StageObj.Component != ComponentHologram {
		t.Fatalf("current_stage %s", body)
	}
}
