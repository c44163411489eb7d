package replay

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/transport"
)

func challengeEx(status int, body string) *transport.Exchange {
	e := &transport.Exchange{Method: "GET", Status: status, ResponseBody: []byte(body)}
	history.FillChallenge(e)
	return e
}

func paths(diffs []Diff) string {
	var p []string
	for _, d := range diffs {
		p = append(p, d.Path)
	}
	return strings.Join(p, ",")
}

func TestCompareIgnoresVolatileValuesByDefault(t *testing.T) {
	want := challengeEx(200, `{"component":"ak-stage-consent","token":"aaa","pending_user":"alice","pending_user_avatar":"/a/1.png","flow_info":{"title":"T","background":"/bg1.jpg"},"permissions":[{"id":"openid"}]}`)
	got := challengeEx(200, `{"component":"ak-stage-consent","token":"bbb","pending_user":"alice","pending_user_avatar":"/a/2.png","flow_info":{"title":"T","background":"/bg2.jpg"},"permissions":[{"id":"openid"}]}`)
	if d := compareExchanges(want, got, newMatcher(nil, nil)); len(d) != 0 {
		t.Errorf("volatile values reported as differences: %+v", d)
	}
	d := compareExchanges(want, got, newMatcher(nil, []string{"token"}))
	if paths(d) != "token" {
		t.Errorf("Compare token: diffs %+v", d)
	}
	d = compareExchanges(want, got, newMatcher([]string{"permissions"}, []string{"flow_info.background"}))
	if paths(d) != "flow_info.background" {
		t.Errorf("Compare a default-ignored path: diffs %+v", d)
	}
}

func TestCompareReportsFieldsErrorsAndStatus(t *testing.T) {
	want := challengeEx(200, `{"component":"ak-stage-password","pending_user":"alice","response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`)
	got := challengeEx(200, `{"component":"ak-stage-password","pending_user":"bob","recovery_url":"/r/"}`)
	d := compareExchanges(want, got, newMatcher(nil, nil))
	if paths(d) != "pending_user,recovery_url,response_errors" {
		t.Fatalf("diffs = %+v", d)
	}
	if d[1].Want != absent || d[2].Got != absent {
		t.Errorf("added and removed keys not marked absent: %+v", d)
	}
	d = compareExchanges(challengeEx(200, `{"component":"ak-stage-password"}`), challengeEx(500, `{"component":"ak-stage-dummy","name":"x"}`), newMatcher(nil, nil))
	if paths(d) != "component,status" {
		t.Errorf("another stage should report component and status only: %+v", d)
	}
}

func TestCompareRedirectTargetsIgnoreOAuthCodes(t *testing.T) {
	want := challengeEx(200, `{"component":"xak-flow-redirect","to":"/cb?code=one&state=s1&next=%2Fa"}`)
	same := challengeEx(200, `{"component":"xak-flow-redirect","to":"/cb?code=two&state=s2&next=%2Fa"}`)
	other := challengeEx(200, `{"component":"xak-flow-redirect","to":"/cb?code=two&state=s2&next=%2Fb"}`)
	if d := compareExchanges(want, same, newMatcher(nil, nil)); len(d) != 0 {
		t.Errorf("a new OAuth code counted as a difference: %+v", d)
	}
	if d := compareExchanges(want, other, newMatcher(nil, nil)); paths(d) != "to" {
		t.Errorf("a different next was not reported: %+v", d)
	}
}

func TestCompareSkipsRedactedRecordedValues(t *testing.T) {
	want := challengeEx(200, `{"component":"ak-stage-authenticator-totp","config_url":"`+redact.Marker("totp_secret")+`"}`)
	got := challengeEx(200, `{"component":"ak-stage-authenticator-totp","config_url":"otpauth://totp/x?secret=ABC"}`)
	if d := compareExchanges(want, got, newMatcher(nil, nil)); len(d) != 0 {
		t.Errorf("a redacted recorded value was compared: %+v", d)
	}
}

func TestPathPatterns(t *testing.T) {
	m := newMatcher([]string{"fields[*].initial_value", "**.expires"}, nil)
	for path, want := range map[string]bool{
		"device_challenges[0].challenge":         true,
		"device_challenges[3].challenge.rpId":    true,
		"device_challenges[0].device_class":      false,
		"fields[2].initial_value":                true,
		"fields.initial_value":                   false,
		"a.b.expires":                            true,
		"token":                                  true,
		"tokens":                                 false,
		"flow_info.background_themed_urls.light": true,
	} {
		if got := m.ignored(path); got != want {
			t.Errorf("ignored(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestPlanGroupsExchangesIntoClientCalls(t *testing.T) {
	rec := history.FromExchanges(history.Header{BaseURL: base, Flow: "default-authentication-flow"}, syntheticSession())
	exs, _ := rec.All()
	steps := planSteps(rec, exs)
	var got []string
	for _, s := range steps {
		got = append(got, actionOf(s)+"→"+s.Expected.Component)
	}
	want := []string{
		"start default-authentication-flow→ak-stage-identification",
		"answer identification→ak-stage-password",
		"answer password→ak-stage-password",
		"answer password→ak-stage-authenticator-validate",
		"answer authenticator-validate→ak-stage-authenticator-totp",
		"answer authenticator-totp→ak-stage-authenticator-static",
		"answer authenticator-static→xak-flow-redirect",
		"start default-provider-authorization-explicit-consent→ak-stage-consent",
		"answer consent→xak-flow-redirect",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReplayNeverSendsRecordedAnswersToAnotherHost(t *testing.T) {
	session := syntheticSession()
	session[3].URL = "http://evil.example/api/v3/flows/executor/default-authentication-flow/"
	session[3].Kind = transport.KindExecutor
	rec := history.FromExchanges(history.Header{BaseURL: base, Flow: "default-authentication-flow"}, session)
	called := false
	_, err := Replay(t.Context(), rec, ReplayOptions{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		called = true
		return nil, http.ErrServerClosed
	}), Secrets: map[string]string{"password": "x"}})
	if err == nil || !strings.Contains(err.Error(), "evil.example") || called {
		t.Fatalf("err = %v, request made: %v", err, called)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A replay diff of a body that is not JSON is cut at a character, not
// inside one.
func TestDiffPreviewCutsAtACharacter(t *testing.T) {
	for pad := 0; pad < 4; pad++ {
		body := strings.Repeat("x", 78+pad) + strings.Repeat("\u202e", 10)
		got := preview([]byte(body))
		if !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
			t.Errorf("preview cut badly: %q", got)
		}
	}
}
