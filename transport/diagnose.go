package transport

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinspect/akinspect/flow"
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
	badBody := h.posted != nil && !json.Valid(h.posted)
	bearer := ex.RequestHeader.Get("Authorization") != ""
	gap := ""
	if unsafe && !bearer && c.loggedIn(h) { // a token request skips the CSRF check
		gap = c.csrfGap(h, ex)
	}
	switch {
	case strings.Contains(serverSays, "CSRF"):
		ex.Diagnosis = "a CSRF failure, the server says: " + serverSays + " (" + ref + ")"
		ex.addFlag(FlagLikelyCSRF)
	case serverSays != "":
		ex.Diagnosis = "the server says: " + serverSays + " (" + ref + ")"
		if badBody {
			ex.Diagnosis += "; " + badBodyCause
		}
	case bearer && !badBody:
		// A bearer token authenticates before the session does, so CSRF
		// is not checked: a failure here is the token's.
		ex.Diagnosis = "the token may be invalid or expired: authentik reports a bad bearer token inside the executor as a flow error (" +
			ref + "); the execute endpoint answers 403 with the reason"
	case gap != "":
		// CSRF is checked while authenticating, before the body is parsed.
		ex.Diagnosis = "likely a CSRF failure: the session is logged in, so authentik checks the " + CSRFHeader +
			" header on every POST, and " + gap + "; authentik hides the cause behind this flow error (" + ref + ")"
		ex.addFlag(FlagLikelyCSRF)
	case badBody:
		ex.Diagnosis = badBodyCause + " (" + ref + ")"
	default:
		ex.Diagnosis = hiddenError(ref)
	}
	if note := componentMismatch(h); note != "" {
		ex.Diagnosis += "; " + note
	}
}

// badBodyCause is a certain cause: DRF fails to parse the body inside the
// executor, which turns the ParseError into a flow error.
const badBodyCause = "the answer body was not valid JSON: authentik rejects it with a flow error (JSON parse error)"

// componentMismatch notes an answer whose component is not the one of the
// challenge it answered: authentik reads every answer with the current
// stage's serializer, so it was likely meant for another stage (a stale
// challenge, or a body pasted from another step). "" when they agree or
// either is unknown.
func componentMismatch(h hop) string {
	if h.answered == "" || h.posted == nil {
		return ""
	}
	sent, ok := flow.AnswerComponent(h.posted)
	if !ok || sent == h.answered {
		return ""
	}
	return "the answer's component " + strconv.Quote(sent) + " is not the answered challenge's " +
		strconv.Quote(h.answered) + ": authentik reads it with the current stage's serializer"
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
