package transport

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinspect/akinspect/flow"
)

// flowErrorFacts are what a flow error's likely cause is inferred from:
// authentik turns every exception inside the executor (a CSRF failure, a
// bad bearer token, ...) into HTTP 200 with only a request_id for ordinary
// users, so the cause has to be inferred from what the client knows. A
// live client knows them from its request; a recording or a browser's HAR
// from the exchanges before the error (DiagnoseRecorded).
type flowErrorFacts struct {
	serverSays string // the challenge's error, shown to superusers only
	ref        string // "request_id …"
	unsafe     bool   // the request was a POST (or another unsafe method)
	badBody    bool   // its body was not JSON
	bearer     bool   // it carried a bearer token
	csrfGap    string // what the CSRF check misses on a logged-in session, "" when nothing
	mismatch   string // the answer named another stage than the one answered
}

// diagnose names the likely cause; likelyCSRF when it is a CSRF failure.
func diagnose(f flowErrorFacts) (cause string, likelyCSRF bool) {
	switch {
	case strings.Contains(f.serverSays, "CSRF"):
		cause, likelyCSRF = "a CSRF failure, the server says: "+f.serverSays+" ("+f.ref+")", true
	case f.serverSays != "":
		cause = "the server says: " + f.serverSays + " (" + f.ref + ")"
		if f.badBody {
			cause += "; " + badBodyCause
		}
	case f.bearer && !f.badBody:
		// A bearer token authenticates before the session does, so CSRF
		// is not checked: a failure here is the token's.
		cause = "the token may be invalid or expired: authentik reports a bad bearer token inside the executor as a flow error (" +
			f.ref + "); the execute endpoint answers 403 with the reason"
	case f.csrfGap != "":
		// CSRF is checked while authenticating, before the body is parsed.
		cause = "likely a CSRF failure: the session is logged in, so authentik checks the " + CSRFHeader +
			" header on every POST, and " + f.csrfGap + "; authentik hides the cause behind this flow error (" + f.ref + ")"
		likelyCSRF = true
	case f.badBody:
		cause = badBodyCause + " (" + f.ref + ")"
	default:
		cause = hiddenError(f.ref)
	}
	if f.mismatch != "" {
		cause += "; " + f.mismatch
	}
	return cause, likelyCSRF
}

func requestRef(ch *flow.Challenge) string {
	if rid := ch.String("request_id"); rid != "" {
		return "request_id " + rid
	}
	return "no request_id"
}

// diagnoseFlowError names the likely cause of a flow error this client got.
func (c *Client) diagnoseFlowError(h hop, ex *Exchange) {
	f := flowErrorFacts{
		serverSays: ex.Challenge.String("error"),
		ref:        requestRef(ex.Challenge),
		unsafe:     h.method != http.MethodGet && h.method != http.MethodHead,
		badBody:    h.posted != nil && !json.Valid(h.posted),
		bearer:     ex.RequestHeader.Get("Authorization") != "",
		mismatch:   componentMismatch(h.answered, h.posted),
	}
	if f.unsafe && !f.bearer && c.loggedIn(h) { // a token request skips the CSRF check
		f.csrfGap = c.csrfGap(h, ex)
	}
	var csrf bool
	ex.Diagnosis, csrf = diagnose(f)
	if csrf {
		ex.addFlag(FlagLikelyCSRF)
	}
}

// DiagnoseRecorded names the likely cause of a recorded flow error that
// carries none (a browser's HAR, an older recording), from the exchanges
// before it: the request that got it (a POST, or the POST a redirect
// followed), whether the session was logged in (a session cookie that
// rotated earlier, as a login rotates it, or a JWT that says so), and what
// that request's headers held. It sets Diagnosis and the likely-csrf flag.
func DiagnoseRecorded(before []*Exchange, ex *Exchange) {
	if ex.Component != flow.ComponentFlowError || ex.Diagnosis != "" || ex.Challenge == nil {
		return
	}
	req := ex
	if ex.Method != http.MethodPost { // the POST whose redirect ended here, if any
		for i := len(before) - 1; i >= 0 && before[i].Has(FlagRedirect); i-- {
			if before[i].Method == http.MethodPost {
				req = before[i]
				break
			}
		}
	}
	answered := ""
	for _, e := range before {
		if e != req && e.Component != "" && e.ID < req.ID {
			answered = e.Component
		}
	}
	f := flowErrorFacts{
		serverSays: ex.Challenge.String("error"),
		ref:        requestRef(ex.Challenge),
		unsafe:     req.Method != http.MethodGet && req.Method != http.MethodHead,
		badBody:    len(req.RequestBody) > 0 && !json.Valid(req.RequestBody),
		bearer:     req.RequestHeader.Get("Authorization") != "",
	}
	if req.Method == http.MethodPost {
		f.mismatch = componentMismatch(answered, req.RequestBody)
	}
	if f.unsafe && !f.bearer && recordedLoggedIn(before, req) {
		f.csrfGap = recordedCSRFGap(req)
	}
	var csrf bool
	ex.Diagnosis, csrf = diagnose(f)
	if csrf {
		ex.addFlag(FlagLikelyCSRF)
	}
}

// recordedLoggedIn: the session cookie the request sent says it is logged
// in (a JWT), or the session rotated before it (a login rotates it).
func recordedLoggedIn(before []*Exchange, req *Exchange) bool {
	for _, ck := range (&http.Request{Header: req.RequestHeader}).Cookies() {
		if ck.Name == SessionCookie {
			if auth, known := sessionClaimsAuthenticated(ck.Value); known {
				return auth
			}
		}
	}
	for _, e := range before {
		if e.Has(FlagSessionRotated) || rotated(e.JarChanges, SessionCookie) {
			return true
		}
	}
	return false
}

// recordedCSRFGap is csrfGap from what the request itself carried.
func recordedCSRFGap(req *Exchange) string {
	hasCookie := false
	for _, ck := range (&http.Request{Header: req.RequestHeader}).Cookies() {
		hasCookie = hasCookie || ck.Name == CSRFCookie
	}
	switch {
	case req.RequestHeader.Get(CSRFHeader) != "":
		return ""
	case !hasCookie:
		return "this POST sent neither the " + CSRFCookie + " cookie nor the " + CSRFHeader + " header"
	}
	return "this POST sent no " + CSRFHeader + " header"
}

// badBodyCause is a certain cause: DRF fails to parse the body inside the
// executor, which turns the ParseError into a flow error.
const badBodyCause = "the answer body was not valid JSON: authentik rejects it with a flow error (JSON parse error)"

// componentMismatch notes an answer whose component is not the one of the
// challenge it answered: authentik reads every answer with the current
// stage's serializer, so it was likely meant for another stage (a stale
// challenge, or a body pasted from another step). "" when they agree or
// either is unknown.
func componentMismatch(answered string, posted []byte) string {
	if answered == "" || posted == nil {
		return ""
	}
	sent, ok := flow.AnswerComponent(posted)
	if !ok || sent == answered {
		return ""
	}
	return "the answer's component " + strconv.Quote(sent) + " is not the answered challenge's " +
		strconv.Quote(answered) + ": authentik reads it with the current stage's serializer"
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
