package sim

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func (c *client) inspect() (int, []byte) {
	c.t.Helper()
	resp := c.do(http.MethodGet, c.base+"/api/v3/flows/inspector/"+c.slug+"/", "", nil)
	return resp.StatusCode, readAll(c.t, resp)
}

func wantDetail(t *testing.T, status int, body []byte, wantStatus int, detail string) {
	t.Helper()
	var m map[string]string
	_ = json.Unmarshal(body, &m)
	if status != wantStatus || m["detail"] != detail {
		t.Fatalf("status %d body %s, want %d %q", status, body, wantStatus, detail)
	}
}

func TestInspectorPermissions(t *testing.T) {
	s, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	c.get()
	status, body := c.inspect()
	wantDetail(t, status, body, http.StatusForbidden, detailNotAuthenticated)

	c.bearer = s.tokenFor("alice")
	status, body = c.inspect()
	wantDetail(t, status, body, http.StatusForbidden, detailNoPermission)

	c.bearer = "wrong"
	status, body = c.inspect()
	wantDetail(t, status, body, http.StatusForbidden, "Token invalid/expired")

	fresh := newClient(t, ts, false).start("default-authentication-flow", "")
	fresh.bearer = s.AdminToken()
	if status, body := fresh.inspect(); status != http.StatusBadRequest || len(body) != 0 {
		t.Fatalf("no plan: %d %q, want 400 empty", status, body)
	}
}

func TestInspectorFollowsThePlan(t *testing.T) {
	s, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authentication-flow", "")
	c.get()
	c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "alice"})
	c.bearer = s.AdminToken()
	status, body := c.inspect()
	if status != http.StatusOK {
		t.Fatalf("status %d %s", status, body)
	}
	if err := c.schema.ValidateInspection(body); err != nil {
		t.Fatalf("inspection does not match the schema: %v\n%s", err, body)
	}
	in, err := flow.DecodeInspection(body)
	if err != nil {
		t.Fatal(err)
	}
	if in.IsCompleted || len(in.Plans) != 1 || in.CurrentPlan.CurrentStage.StageObj.Component != flow.ComponentPassword ||
		in.CurrentPlan.NextPlannedStage.StageObj.Component != flow.ComponentValidate {
		t.Fatalf("inspection %s", body)
	}
	var pending struct{ Username string }
	_ = json.Unmarshal(in.CurrentPlan.PlanContext["pending_user"], &pending)
	if pending.Username != "alice" || len(in.CurrentPlan.SessionID) != 64 {
		t.Fatalf("plan context %s", body)
	}

	c.bearer = ""
	c.post(map[string]any{"component": flow.ComponentPassword, "password": "alice-demo"})
	wantRedirect(t, c.post(map[string]any{"component": flow.ComponentValidate, "code": totpNow(t, secretAlice)}), "/")
	// akadmin's session could inspect; here the admin token inspects alice's finished session.
	c.bearer = s.AdminToken()
	_, body = c.inspect()
	in, _ = flow.DecodeInspection(body)
	if !in.IsCompleted || len(in.Plans) != 4 || in.CurrentPlan.CurrentStage.StageObj.Component != flow.ComponentUserLogin {
		t.Fatalf("completed inspection %s", body)
	}
}

func TestSuperuserSessionMayInspect(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false)
	c.login("akadmin", "akadmin-demo", secretAkadmin)
	c.start("default-authentication-flow", "")
	if status, body := c.inspect(); status != http.StatusOK {
		t.Fatalf("status %d %s", status, body)
	}
}

func TestExecuteEndpointPlansForTheTokenUser(t *testing.T) {
	s, ts := newSim(t, Options{})
	jar, _ := cookiejar.New(nil)
	c := newClient(t, ts, false).start("default-provider-authorization-explicit-consent", "")
	c.hc.Jar = jar
	url := ts.URL + "/api/v3/flows/instances/default-provider-authorization-explicit-consent/execute/"

	resp := c.do(http.MethodGet, url, "", nil)
	wantDetail(t, resp.StatusCode, readAll(t, resp), http.StatusForbidden, detailNotAuthenticated)
	c.bearer = "wrong"
	resp = c.do(http.MethodGet, url, "", nil)
	wantDetail(t, resp.StatusCode, readAll(t, resp), http.StatusForbidden, "Token invalid/expired")

	c.bearer = s.AdminToken()
	resp = c.do(http.MethodGet, url, "", nil)
	body := readAll(t, resp)
	var link struct{ Link string }
	_ = json.Unmarshal(body, &link)
	if resp.StatusCode != http.StatusOK || link.Link != ts.URL+"/if/flow/default-provider-authorization-explicit-consent/" {
		t.Fatalf("execute: %d %s", resp.StatusCode, body)
	}
	if c.cookie(SessionCookie) == "" {
		t.Fatal("execute set no authentik_session")
	}
	// Without the token the session is not logged in, but the plan exists.
	c.bearer = ""
	ch := c.get()
	wantComponent(t, ch, flow.ComponentConsent)
	if ch.PendingUser != "akadmin" {
		t.Fatalf("pending_user %q", ch.PendingUser)
	}
}
