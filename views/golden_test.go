package views

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/akinspect/akinspect/flow"
)

// sized is what the golden helper needs of a pane.
type sized interface {
	SetSize(w, h int)
	View() string
}

// framedGolden draws a pane inside its frame at w×h, checks the size and
// compares with the golden file.
func framedGolden(t *testing.T, th *Theme, title string, p sized, w, h int) {
	t.Helper()
	p.SetSize(w-2, h-2)
	inner := p.View()
	requireSize(t, inner, w-2, h-2)
	out := PaneFrame(th, title, true, inner, w, h)
	requireSize(t, out, w, h)
	golden.RequireEqual(t, []byte(out))
}

func TestGoldenForm(t *testing.T) {
	for _, c := range challengeBodies {
		for _, sz := range termSizes {
			t.Run(c.name+"/"+sz.name, func(t *testing.T) {
				th := NewTheme()
				ch, form := challenge(t, c.body)
				s := FormState{Form: form, Challenge: ch}
				if c.name == "flow_error" {
					s.Diagnosis = diagnosis
				}
				f := NewForm(th)
				f.SetState(s)
				f.Focus()
				framedGolden(t, th, f.Title(), f, sz.w, sz.h)
			})
		}
	}
}

func TestGoldenFormReadOnly(t *testing.T) {
	th := NewTheme()
	ch, form := challenge(t, bodyOf("prompt"))
	f := NewForm(th)
	f.SetState(FormState{Form: form, Challenge: ch, ReadOnly: true,
		Values: map[string]string{"username": "ada", "name": "Ada Lovelace", "email": "ada@example.com", "password": "hunter2", "tos": "true", "plan": "team"}})
	f.Focus()
	framedGolden(t, th, f.Title()+" (recorded)", f, 80, 40)
}

func TestGoldenFormRaw(t *testing.T) {
	th := NewTheme()
	ch, form := challenge(t, `{"component":"ak-stage-captcha",`+pendingUser+`,"site_key":"6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI","js_url":"https://www.google.com/recaptcha/api.js","interactive":true}`)
	f := NewForm(th)
	f.SetState(FormState{Form: form, Challenge: ch})
	f.SetRaw(true, "{\n  \"component\": \"ak-stage-captcha\",\n  \"token\": \"\"\n}")
	f.Focus()
	framedGolden(t, th, f.Title(), f, 80, 24)
}

// sampleRows is a realistic run: a login flow with a redirect, a failed
// password, MFA, a rotated session and a pending request, then filler.
// sampleRows is a session that can happen, repeated: a login with a
// wrong password first, the inspector refused, then a consent whose POST
// fails CSRF and a retry that finds the server gone; the next round is a
// new session (S) that logs in again.
func sampleRows(n int) []ExchangeRow {
	const login, consent = "default-authentication-flow", "default-provider-authorization-explicit-consent"
	exec := func(slug string) string { return "/api/v3/flows/executor/" + slug + "/?query=" }
	base := []ExchangeRow{
		{Flow: login, Method: "GET", Path: "/if/flow/" + login + "/", Status: 200, Duration: 41 * time.Millisecond, Note: "flow page"},
		{Flow: login, Method: "GET", Path: exec(login), Status: 200, Component: flow.ComponentIdentify, Duration: 87 * time.Millisecond},
		{Flow: login, Method: "POST", Path: exec(login), Status: 302, Duration: 212 * time.Millisecond, Redirect: true, Note: "→ identification"},
		{Flow: login, Method: "GET", Path: exec(login), Status: 200, Component: flow.ComponentPassword, Duration: 35 * time.Millisecond},
		{Flow: login, Method: "POST", Path: exec(login), Status: 200, Component: flow.ComponentPassword, Duration: 1400 * time.Millisecond, Invalid: true},
		{Flow: login, Method: "POST", Path: exec(login), Status: 302, Duration: 640 * time.Millisecond, Redirect: true, Note: "→ password"},
		{Flow: login, Method: "GET", Path: exec(login), Status: 200, Component: flow.ComponentValidate, Duration: 52 * time.Millisecond},
		{Flow: login, Method: "POST", Path: exec(login), Status: 302, Duration: 130 * time.Millisecond, Redirect: true, Note: "→ authenticator-validate"},
		{Flow: login, Method: "GET", Path: exec(login), Status: 200, Component: flow.ComponentRedirect, Duration: 600 * time.Microsecond, Redirect: true, Rotated: true},
		{Flow: login, Method: "GET", Path: "/api/v3/flows/inspector/" + login + "/", Status: 403, Duration: 9 * time.Millisecond, Error: true, Aside: true, Dim: true, Note: "inspector"},
		{Flow: consent, Method: "GET", Path: "/if/flow/" + consent + "/", Status: 200, Duration: 30 * time.Millisecond, Note: "flow page"},
		{Flow: consent, Method: "GET", Path: exec(consent), Status: 200, Component: flow.ComponentConsent, Duration: 44 * time.Millisecond},
		{Flow: consent, Method: "POST", Path: exec(consent), Status: 200, Component: flow.ComponentFlowError, Duration: 18 * time.Millisecond, Error: true},
		{Flow: consent, Method: "POST", Path: exec(consent), Error: true, Note: "connection refused"},
	}
	rows := make([]ExchangeRow, n)
	for i := range rows {
		r := base[i%len(base)]
		r.ID = i + 1
		rows[i] = r
	}
	if n > 0 {
		rows[n-1].Pending = true
		rows[n-1].Status = 0
		rows[n-1].Component = ""
	}
	return rows
}

func TestGoldenTimeline(t *testing.T) {
	for _, sz := range termSizes {
		t.Run("live/"+sz.name, func(t *testing.T) {
			th := NewTheme()
			tl := NewTimeline(th)
			tl.SetRows(sampleRows(40))
			framedGolden(t, th, tl.Title(), tl, sz.w, sz.h)
		})
		t.Run("selected/"+sz.name, func(t *testing.T) {
			th := NewTheme()
			tl := NewTimeline(th)
			tl.SetRows(sampleRows(40))
			tl.Select(5)
			framedGolden(t, th, tl.Title(), tl, sz.w, sz.h)
		})
	}
	t.Run("narrow", func(t *testing.T) {
		th := NewTheme()
		tl := NewTimeline(th)
		tl.SetRows(sampleRows(12))
		tl.Select(3)
		framedGolden(t, th, tl.Title(), tl, 40, 16)
	})
	t.Run("empty", func(t *testing.T) {
		th := NewTheme()
		tl := NewTimeline(th)
		framedGolden(t, th, tl.Title(), tl, 40, 6)
	})
}

// sampleExchange is a password POST that came back with a validation error.
func sampleExchange() ExchangeDetail {
	return ExchangeDetail{
		ID:     5,
		Title:  "POST /api/v3/flows/executor/default-authentication-flow/ → 200",
		Method: "POST", Status: 200, Proto: "HTTP/1.1",
		URL:         "https://auth.example.com/api/v3/flows/executor/default-authentication-flow/?query=next%3D%252Fapplication%252Fo%252Fauthorize%252F%253Fclient_id%253Dgrafana%2526response_type%253Dcode",
		RequestBody: []byte(`{"component":"ak-stage-password","password":"hunter2"}`),
		ResponseBody: []byte(`{"component":"ak-stage-password","flow_info":{"title":"Welcome to authentik!","background":"/static/dist/assets/images/flow_background.jpg","cancel_url":"/flows/-/cancel/","layout":"stacked"},` +
			`"pending_user":"akadmin","pending_user_avatar":"/static/dist/assets/images/user_default.png","recovery_url":"/if/flow/default-recovery-flow/","allow_show_password":false,` +
			`"response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`),
		RequestHeaders: []Header{
			{"Accept", "application/json"}, {"Content-Type", "application/json"},
			{"X-authentik-CSRF", "REDACTED"}, {"Cookie", "authentik_session=REDACTED; authentik_csrf=REDACTED"},
		},
		ResponseHeaders: []Header{
			{"Content-Type", "application/json"}, {"Vary", "Accept, Cookie"},
			{"Set-Cookie", "authentik_session=REDACTED; HttpOnly; Path=/; SameSite=None; Secure"},
		},
		Cookies: []CookieRow{
			{Name: "authentik_session", Value: "k2d9x7e8f1…", Domain: "auth.example.com", Path: "/", Flags: "HttpOnly Secure SameSite=None", Change: "changed"},
			{Name: "authentik_csrf", Value: "Vd1yq0…", Domain: "auth.example.com", Path: "/", Expires: "2027-11-25 13:12:00", Flags: "Secure SameSite=Lax", Change: "added"},
			{Name: "authentik_device", Value: "old", Domain: "auth.example.com", Path: "/", Flags: "HttpOnly", Change: "removed"},
			{Name: "theme", Value: "dark", Domain: "auth.example.com", Path: "/"},
		},
		Phases: []Phase{
			{Name: "DNS", Start: 0, Duration: 4 * time.Millisecond},
			{Name: "Connect", Start: 4 * time.Millisecond, Duration: 11 * time.Millisecond},
			{Name: "TLS", Start: 15 * time.Millisecond, Duration: 23 * time.Millisecond},
			{Name: "Send", Start: 38 * time.Millisecond, Duration: 300 * time.Microsecond},
			{Name: "Wait (first byte)", Start: 39 * time.Millisecond, Duration: 1310 * time.Millisecond},
			{Name: "Receive", Start: 1349 * time.Millisecond, Duration: 2 * time.Millisecond},
			{Name: "Total", Start: 0, Duration: 1351 * time.Millisecond},
		},
	}
}

func TestGoldenDetails(t *testing.T) {
	for _, sz := range termSizes {
		for _, tab := range []string{TabResponse, TabRequest, TabReqHeaders, TabRespHeaders, TabCookies, TabTiming, TabInspector, TabURL} {
			t.Run(strings.ReplaceAll(tab, " ", "_")+"/"+sz.name, func(t *testing.T) {
				th := NewTheme()
				d := NewDetails(th)
				d.SetSize(sz.w-2, sz.h-2)
				d.SetExchange(sampleExchange())
				d.SetInspector(RenderInspection(sampleInspection(), "", sz.w-2))
				d.SetTab(tab)
				d.Focus()
				framedGolden(t, th, d.Title(), d, sz.w, sz.h)
			})
		}
	}
	t.Run("search/80x24", func(t *testing.T) {
		th := NewTheme()
		d := NewDetails(th)
		d.SetSize(78, 22)
		d.SetExchange(sampleExchange())
		d.Focus()
		typeKeys(d, "/authentik")
		d.Update(keyMsg("enter"))
		d.Update(keyMsg("n"))
		framedGolden(t, th, d.Title(), d, 80, 24)
	})
	t.Run("html_and_error/80x24", func(t *testing.T) {
		th := NewTheme()
		d := NewDetails(th)
		x := ExchangeDetail{ID: 1, Title: "GET /api/v3/flows/executor/nope/ → 404",
			ResponseBody: []byte("<!DOCTYPE html>\n<html><head><title>Not Found</title></head>\n<body>\t<h1>Not Found</h1>\x1b[31m</body></html>\n"),
			Error:        "HTTP 404: the flow slug does not exist (HTML error page)",
			Diagnosis:    "Check the slug; the executor URL needs its trailing slash."}
		d.SetSize(78, 22)
		d.SetExchange(x)
		framedGolden(t, th, d.Title(), d, 80, 24)
	})
	t.Run("empty/80x24", func(t *testing.T) {
		th := NewTheme()
		d := NewDetails(th)
		framedGolden(t, th, d.Title(), d, 80, 24)
	})
}

func sampleInspection() *flow.Inspection {
	binding := func(name, comp, verbose string) *flow.StageBinding {
		return &flow.StageBinding{Pk: "b-" + name, Order: 10, StageObj: &flow.StageObj{Name: name, Component: comp, VerboseName: verbose}}
	}
	user, _ := json.Marshal(map[string]any{"pk": 1, "username": "akadmin", "name": "authentik Default Admin", "email": "admin@example.com", "attributes": map[string]any{"settings": map[string]string{"locale": "en"}}})
	return &flow.Inspection{
		Plans: []flow.InspectorPlan{
			{CurrentStage: binding("default-authentication-identification", flow.ComponentIdentify, "Identification Stage")},
			{CurrentStage: binding("default-authentication-password", flow.ComponentPassword, "Password Stage")},
		},
		CurrentPlan: &flow.InspectorPlan{
			CurrentStage:     binding("default-authentication-mfa-validation", flow.ComponentValidate, "Authenticator Validation Stage"),
			NextPlannedStage: binding("default-authentication-login", flow.ComponentUserLogin, "User Login Stage"),
			PlanContext: map[string]json.RawMessage{
				"pending_user":            user,
				"auth_method":             json.RawMessage(`"password"`),
				"auth_method_args":        json.RawMessage(`{"mfa_devices": []}`),
				"redirect":                json.RawMessage(`"/if/user/"`),
				"is_restored":             json.RawMessage(`false`),
				"flow_plan_context_items": json.RawMessage(`3`),
			},
			SessionID: "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
		},
	}
}

func TestGoldenInspector(t *testing.T) {
	for _, sz := range termSizes {
		t.Run(sz.name, func(t *testing.T) {
			out := RenderInspection(sampleInspection(), "", sz.w)
			golden.RequireEqual(t, []byte(out))
		})
	}
	t.Run("error", func(t *testing.T) {
		golden.RequireEqual(t, []byte(RenderInspection(nil, "403 Forbidden: You do not have permission to perform this action.", 80)))
	})
}

func TestGoldenChrome(t *testing.T) {
	th := NewTheme()
	for _, sz := range termSizes {
		t.Run("header_status/"+sz.name, func(t *testing.T) {
			h := RenderHeader(th, HeaderState{Host: "auth.example.com", Flow: "default-authentication-flow", Step: 4,
				State: "sending", Spinner: "⠋", Elapsed: 1200 * time.Millisecond, Recording: "runs/2026-11-26-login.akrec"}, sz.w)
			requireSize(t, h, sz.w, 1)
			s1 := RenderStatus(th, "tab next pane · ? help · q quit", false, sz.w)
			s2 := RenderStatus(th, "POST failed: dial tcp 127.0.0.1:9000: connect: connection refused", true, sz.w)
			requireSize(t, s1, sz.w, 1)
			requireSize(t, s2, sz.w, 1)
			golden.RequireEqual(t, []byte(h+"\n"+s1+"\n"+s2))
		})
		t.Run("help/"+sz.name, func(t *testing.T) {
			var groups [][]key.Binding
			groups = append(groups, NewTimeline(th).FullHelp()...)
			groups = append(groups, NewDetails(th).FullHelp()...)
			groups = append(groups, NewForm(th).FullHelp()...)
			out := RenderHelp(th, groups, sz.w, sz.h, 0)
			requireSize(t, out, sz.w, sz.h)
			golden.RequireEqual(t, []byte(out))
		})
	}
	t.Run("overlay/80x24", func(t *testing.T) {
		out := RenderOverlay(th, "Quit?", "A request is in flight.\nq again quits, esc stays.", 80, 24)
		requireSize(t, out, 80, 24)
		golden.RequireEqual(t, []byte(out))
	})
	t.Run("frame_tiny", func(t *testing.T) {
		for _, wh := range [][2]int{{2, 2}, {3, 3}, {6, 3}, {10, 4}} {
			out := PaneFrame(th, "A very long title", false, "content\nmore", wh[0], wh[1])
			requireSize(t, out, wh[0], wh[1])
		}
		golden.RequireEqual(t, []byte(PaneFrame(th, "A very long title that does not fit", false, "content that is too wide for the box\nline 2\nline 3\nline 4", 20, 4)))
	})
}
