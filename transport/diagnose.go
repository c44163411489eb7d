package transport

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
)

// diagnoseFlowError names the likely cause of an ak-stage-flow-error.
// authentik turns every exception inside the executor (a CSRF failure, a
// bad bearer token, ...) into HTTP 200 with only a request_id for ordinary
// users, so the cause has to be inferred from what the client knows.
func (c *Client) diagnoseFlowError(h hop, ex *Exchange) {
	ch := ex.Challenge
	rid := ch.String("request_id")
	ref := "request_id " + rid
	if rid == "" {
		ref = "no request_id"
	}
	serverSays := ch.String("error")
	unsafe := h.method != http.MethodGet && h.method != http.MethodHead
	switch {
	case strings.Contains(serverSays, "CSRF"):
		ex.Diagnosis = "a CSRF failure, the server says: " + serverSays + " (" + ref + ")"
		ex.addFlag(FlagLikelyCSRF)
	case serverSays != "":
		ex.Diagnosis = "the server says: " + serverSays + " (" + ref + ")"
	case ex.RequestHeader.Get("Authorization") != "":
		// A bearer token authenticates before the session does, so CSRF
		// is not checked: a failure here is the token's.
		ex.Diagnosis = "the token may be invalid or expired: authentik reports a bad bearer token inside the executor as a flow error (" +
			ref + "); the execute endpoint answers 403 with the reason"
	case unsafe && c.loggedIn(h):
		reason := c.csrfGap(h, ex)
		if reason == "" {
			ex.Diagnosis = hiddenError(ref)
			break
		}
		ex.Diagnosis = "likely a CSRF failure: the session is logged in, so authentik checks the " + CSRFHeader +
			" header on every POST, and " + reason + "; authentik hides the cause behind this flow error (" + ref + ")"
		ex.addFlag(FlagLikelyCSRF)
	default:
		ex.Diagnosis = hiddenError(ref)
	}
}

func hiddenError(ref string) string {
	return "the server hid the error; a superuser or the server log sees it (" + ref + ")"
}

// csrfGap says what is missing for the CSRF check, "" when nothing is.
func (c *Client) csrfGap(h hop, ex *Exchange) string {
	if _, ok := c.jar.value(h.url, CSRFCookie); !ok {
		return "there is no " + CSRFCookie + " cookie to copy into it (a browser gets one by loading /if/flow/" + h.flow.slug + "/ first)"
	}
	if ex.RequestHeader.Get(CSRFHeader) == "" {
		return "this POST sent no " + CSRFHeader + " header"
	}
	return ""
}

// loggedIn reports whether the session is (probably) logged in: the
// session cookie, a JWT in newer authentik, says so; or it rotated during
// this client's life (login rotates it); or it came from a cookie file,
// which people save after a login.
func (c *Client) loggedIn(h hop) bool {
	v, ok := c.jar.value(h.url, SessionCookie)
	if !ok {
		return false
	}
	if auth, known := sessionClaimsAuthenticated(v); known {
		return auth
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sessionRotated || c.sessionLoaded
}

// sessionClaimsAuthenticated reads the "authenticated" claim of a JWT
// session cookie without verifying it (it is only a hint for a diagnosis).
func sessionClaimsAuthenticated(cookie string) (authenticated, known bool) {
	parts := strings.Split(cookie, ".")
	if len(parts) != 3 {
		return false, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return false, false
	}
	var claims struct {
		Authenticated *bool `json:"authenticated"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Authenticated == nil {
		return false, false
	}
	return *claims.Authenticated, true
}
