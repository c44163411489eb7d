package history

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/transport"
)

// Secrets typed or received in the synthetic session; none may leak into a
// redacted file.
const (
	secretPassword = "Tr0ub4dor&3-horse"
	secretTOTP     = "918273"
	secretConsent  = "consent-tok-5f2e9a7c1b"
	secretSession  = "sess-8c1f0e2d9a7b6c5d"
	secretSession2 = "sess-rotated-44aa99bb"
	secretCSRF     = "csrf-77e1a2b3c4d5e6f7"
	secretTOTPSeed = "JBSWY3DPEHPK3PXPJBSWY3DP"
	secretStatic   = "static-code-x9y8z7"
)

var allSecrets = []string{secretPassword, secretTOTP, secretConsent, secretSession, secretSession2, secretCSRF, secretTOTPSeed, secretStatic}

const base = "http://127.0.0.1:9000"

func executorURL(slug string) string {
	return base + "/api/v3/flows/executor/" + slug + "/?query=next%3D%252F"
}

// syntheticSession is a login (identification, password, TOTP validate,
// redirect) followed by a consent flow in the same jar.
func syntheticSession() []*transport.Exchange {
	t0 := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	login, consent := "default-authentication-flow", "default-provider-authorization-explicit-consent"
	jar1 := []transport.Cookie{{Name: "authentik_session", Value: secretSession, Domain: "127.0.0.1", Path: "/", HTTPOnly: true},
		{Name: "authentik_csrf", Value: secretCSRF, Domain: "127.0.0.1", Path: "/"}}
	jar2 := []transport.Cookie{{Name: "authentik_session", Value: secretSession2, Domain: "127.0.0.1", Path: "/", HTTPOnly: true},
		{Name: "authentik_csrf", Value: secretCSRF, Domain: "127.0.0.1", Path: "/"}}
	cookieHdr := func(sess string) http.Header {
		return http.Header{"Accept": {"application/json"}, "Cookie": {"authentik_session=" + sess + "; authentik_csrf=" + secretCSRF}, "X-Authentik-Csrf": {secretCSRF}}
	}
	post := func(sess string) http.Header {
		h := cookieHdr(sess)
		h.Set("Content-Type", "application/json")
		return h
	}
	jsonResp := func(extra ...string) http.Header {
		h := http.Header{"Content-Type": {"application/json"}}
		for _, c := range extra {
			h.Add("Set-Cookie", c)
		}
		return h
	}
	var out []*transport.Exchange
	add := func(flowSlug string, kind transport.Kind, method, u string, reqH http.Header, reqBody string, secrets []string, status int, respH http.Header, respBody, component string, jar []transport.Cookie, flags ...string) {
		id := len(out) + 1
		e := &transport.Exchange{
			ID: id, Flow: flowSlug, Kind: kind, Method: method, URL: u,
			RequestHeader: reqH, Secrets: secrets, Status: status, Proto: "HTTP/1.1",
			ResponseHeader: respH, BodySize: int64(len(respBody)),
			Start:     t0.Add(time.Duration(id) * 100 * time.Millisecond),
			Timing:    transport.Timing{Send: time.Millisecond, FirstByte: 4 * time.Millisecond, Total: 5 * time.Millisecond},
			Component: component, Jar: jar, Flags: flags,
		}
		if reqBody != "" {
			e.RequestBody = []byte(reqBody)
		}
		if respBody != "" {
			e.ResponseBody = []byte(respBody)
		}
		out = append(out, e)
	}
	ident := `{"component":"ak-stage-identification","flow_info":{"title":"Welcome","background":"/static/bg.jpg","cancel_url":"/flows/-/cancel/","layout":"stacked"},"user_fields":["username"],"password_fields":false,"primary_action":"Log in"}`
	pw := `{"component":"ak-stage-password","flow_info":{"title":"Welcome"},"pending_user":"akadmin","pending_user_avatar":"/avatar/1.png"}`
	pwBad := `{"component":"ak-stage-password","flow_info":{"title":"Welcome"},"pending_user":"akadmin","pending_user_avatar":"/avatar/1.png","response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`
	validate := `{"component":"ak-stage-authenticator-validate","pending_user":"akadmin","device_challenges":[{"device_class":"totp","device_uid":"1","challenge":{}}],"configuration_stages":[]}`
	totpSetup := `{"component":"ak-stage-authenticator-totp","config_url":"otpauth://totp/authentik:akadmin?secret=` + secretTOTPSeed + `&algorithm=SHA1&digits=6&period=30&issuer=authentik"}`
	staticSetup := `{"component":"ak-stage-authenticator-static","codes":["` + secretStatic + `","other-code-123456"],"expires":1234567890123}`
	done := `{"component":"xak-flow-redirect","to":"/"}`
	consentCh := `{"component":"ak-stage-consent","pending_user":"akadmin","header_text":"Grant access?","permissions":[{"id":"openid","name":"OpenID"}],"token":"` + secretConsent + `"}`
	doneConsent := `{"component":"xak-flow-redirect","to":"/application/o/callback?code=oauthcode123456789&state=xyz"}`

	add(login, transport.KindPage, "GET", base+"/if/flow/"+login+"/?next=%2F", http.Header{}, "", nil, 200,
		jsonResp("authentik_csrf="+secretCSRF+"; Path=/; SameSite=Lax"), "<html>flow</html>", "", jar1[1:], "")
	out[0].ResponseHeader.Set("Content-Type", "text/html")
	out[0].Flags = nil
	add(login, transport.KindExecutor, "GET", executorURL(login), cookieHdr(secretSession), "", nil, 200,
		jsonResp("authentik_session="+secretSession+"; Path=/; HttpOnly"), ident, "ak-stage-identification", jar1)
	add(login, transport.KindExecutor, "POST", executorURL(login), post(secretSession), `{"component":"ak-stage-identification","uid_field":"akadmin"}`, nil, 302,
		http.Header{"Location": {executorURL(login)}}, "", "", jar1, transport.FlagRedirect)
	add(login, transport.KindRedirect, "GET", executorURL(login), cookieHdr(secretSession), "", nil, 200, jsonResp(), pw, "ak-stage-password", jar1)
	add(login, transport.KindExecutor, "POST", executorURL(login), post(secretSession), `{"component":"ak-stage-password","password":"wrong-password-1"}`, []string{"password"}, 200, jsonResp(), pwBad, "ak-stage-password", jar1, transport.FlagValidation)
	add(login, transport.KindExecutor, "POST", executorURL(login), post(secretSession), `{"component":"ak-stage-password","password":"`+secretPassword+`"}`, []string{"password"}, 302,
		http.Header{"Location": {executorURL(login)}}, "", "", jar1, transport.FlagRedirect)
	add(login, transport.KindRedirect, "GET", executorURL(login), cookieHdr(secretSession), "", nil, 200, jsonResp(), validate, "ak-stage-authenticator-validate", jar1)
	add(login, transport.KindExecutor, "POST", executorURL(login), post(secretSession), `{"component":"ak-stage-authenticator-validate","code":"`+secretTOTP+`"}`, []string{"code"}, 302,
		http.Header{"Location": {executorURL(login)}}, "", "", jar1, transport.FlagRedirect)
	add(login, transport.KindRedirect, "GET", executorURL(login), cookieHdr(secretSession), "", nil, 200, jsonResp(), totpSetup, "ak-stage-authenticator-totp", jar1)
	add(login, transport.KindExecutor, "POST", executorURL(login), post(secretSession), `{"component":"ak-stage-authenticator-totp","code":`+secretTOTP+`}`, nil, 302,
		http.Header{"Location": {executorURL(login)}}, "", "", jar1, transport.FlagRedirect)
	add(login, transport.KindRedirect, "GET", executorURL(login), cookieHdr(secretSession), "", nil, 200, jsonResp(), staticSetup, "ak-stage-authenticator-static", jar1)
	add(login, transport.KindExecutor, "POST", executorURL(login), post(secretSession), `{"component":"ak-stage-authenticator-static"}`, nil, 302,
		http.Header{"Location": {executorURL(login)}}, "", "", jar1, transport.FlagRedirect)
	add(login, transport.KindRedirect, "GET", executorURL(login), cookieHdr(secretSession), "", nil, 200,
		jsonResp("authentik_session="+secretSession2+"; Path=/; HttpOnly"), done, "xak-flow-redirect", jar2, transport.FlagSessionRotated)
	add(consent, transport.KindExecutor, "GET", executorURL(consent), cookieHdr(secretSession2), "", nil, 200, jsonResp(), consentCh, "ak-stage-consent", jar2)
	add(consent, transport.KindExecutor, "POST", executorURL(consent), post(secretSession2), `{"component":"ak-stage-consent","token":"`+secretConsent+`"}`, nil, 200, jsonResp(), doneConsent, "xak-flow-redirect", jar2)
	return out
}

// assertNoSecrets fails for every secret found in data.
func assertNoSecrets(t *testing.T, what string, data []byte) {
	t.Helper()
	for _, s := range allSecrets {
		if strings.Contains(string(data), s) {
			t.Errorf("%s contains the secret %q", what, s)
		}
	}
	if strings.Contains(string(data), "oauthcode123456789") {
		t.Errorf("%s contains the OAuth code of the redirect", what)
	}
}

func describe(e *transport.Exchange) string {
	return fmt.Sprintf("#%d %s %s %d %s", e.ID, e.Method, e.URL, e.Status, e.Component)
}
