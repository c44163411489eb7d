// Package sim is an embedded, in-memory executor that speaks authentik's flow
// executor API (see docs/authentik-wire.md): the HTML flow page, the
// executor, the inspector and the execute endpoint, with demo users and flows.
// It serves `akinspect demo` and is an httptest peer for tests.
//
// Choices where authentik allows several behaviours:
//   - default-authentication-flow and duo-push log in on the user-login GET
//     (remember_me_offset 0, authentik's default), so no ak-stage-user-login
//     challenge is shown there; default-enrollment-flow's user-login shows the
//     challenge and logs in on POST (remember_me_offset > 0). Both rotate the
//     authentik_session and authentik_csrf cookies.
//   - default-authenticator-totp-setup (TOTP then static codes) and the
//     consent flow need a logged-in session (or a Bearer token user);
//     anonymous → access denied "Flow does not apply to current user.".
//   - xak-flow-redirect and ak-stage-flow-error carry no flow_info: authentik
//     builds them in the executor, outside ChallengeStageView.
//   - The inspector's next_planned_stage at the last stage is the unbound
//     serializer data authentik sends, which its own schema does not accept.
//   - Sessions idle for a day expire (authentik's unauthenticated session
//     age, applied to logged-in sessions too); beyond 10,000 the least
//     recently used is dropped.
package sim

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a simulator.
type Options struct {
	Legacy    bool             // speak the 2023.10 shapes (`type`, string choices, integer TOTP code)
	SlowDelay time.Duration    // duo-push delay; 0 → 4s
	Now       func() time.Time // clock for TOTP and session expiry; nil → time.Now
	// Variant is test-only: "dummy-before-password" inserts an ak-stage-dummy
	// stage (name "Changed stage") before the password stage of
	// default-authentication-flow.
	Variant string
	// Debug mirrors authentik's DEBUG for the inspector only: it is open to
	// everyone. (Stage crashes stay flow errors rather than 500s.)
	Debug bool
	// LoadUsers adds accounts load1…loadN for load tests (LoadUser): each
	// with its own password and TOTP device, so that virtual users do not
	// share one account. 0 adds none; at most MaxLoadUsers.
	LoadUsers int
}

// VariantDummyBeforePassword is the Options.Variant that changes the
// authentication flow.
const VariantDummyBeforePassword = "dummy-before-password"

// Server is the simulator; it implements http.Handler.
type Server struct {
	opts Options

	sessions *sessionStore

	dataMu   sync.Mutex // guards accounts, tokens and their devices
	accounts []*account
	tokens   map[string]*account
	nextPK   int

	waiting atomic.Int32 // requests blocked in a slow stage (tests watch it)
	noPause bool         // skip identification's anti-enumeration sleep (fuzzing)
	panics  atomic.Int32 // stage panics turned into flow errors (fuzzing watches it)

	flows      map[string]*flowDef
	flowOrder  []string
	adminToken string
}

// New builds a simulator with the demo users and flows.
func New(opts Options) *Server {
	if opts.SlowDelay <= 0 {
		opts.SlowDelay = 4 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:     opts,
		sessions: newSessionStore(),
		accounts: demoAccounts(),
		tokens:   map[string]*account{},
		nextPK:   100,
	}
	s.accounts = append(s.accounts, loadAccounts(opts.LoadUsers)...)
	s.adminToken = "ak-admin-" + randomHex(20)
	s.tokens[s.adminToken] = s.accounts[0]
	s.tokens["ak-alice-"+randomHex(20)] = s.accounts[1]
	s.installFlows()
	return s
}

// AdminToken is an API token (intent api) of the superuser akadmin.
func (s *Server) AdminToken() string { return s.adminToken }

// tokenFor returns the API token of a user (tests use alice's).
func (s *Server) tokenFor(username string) string {
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	for k, a := range s.tokens {
		if a.username == username {
			return k
		}
	}
	return ""
}

func (s *Server) now() time.Time { return s.opts.Now() }

// flowRoutes are the per-flow endpoints: prefix, slug, suffix.
var flowRoutes = []struct {
	prefix, suffix string
	serve          func(*Server, http.ResponseWriter, *http.Request, *flowDef)
}{
	{"/if/flow/", "", (*Server).serveFlowPage},
	{"/api/v3/flows/executor/", "", (*Server).serveExecutor},
	{"/api/v3/flows/inspector/", "", (*Server).serveInspector},
	{"/api/v3/flows/instances/", "execute/", (*Server).serveExecute},
}

// ServeHTTP routes like authentik's URLconf (APPEND_SLASH is off: every
// route needs its trailing slash).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	p := r.URL.Path
	switch {
	case p == "/":
		s.serveRoot(w, r)
	case p == "/flows/-/cancel/":
		s.serveCancel(w, r)
	default:
		for _, rt := range flowRoutes {
			if strings.HasPrefix(p, rt.prefix) {
				if f := s.flowFromPath(p, rt.prefix, rt.suffix); f != nil {
					rt.serve(s, w, r, f)
					return
				}
				break
			}
		}
		s.notFound(w)
	}
}

// HeaderRequestID carries the request's id on every response, the id a flow
// error names as request_id (authentik/core/middleware.py
// RequestIDMiddleware, RESPONSE_HEADER_ID).
const HeaderRequestID = "X-authentik-id"

// securityHeaders are what authentik's middleware puts on every response:
// its request id, and Django's SecurityMiddleware and XFrameOptionsMiddleware
// defaults (SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY "same-origin",
// X_FRAME_OPTIONS "DENY").
func securityHeaders(h http.Header) {
	h.Set(HeaderRequestID, randomHex(16)) // uuid4().hex: 32 hex digits
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
}

// flowFromPath matches prefix + <slug> + "/" + suffix exactly.
func (s *Server) flowFromPath(path, prefix, suffix string) *flowDef {
	rest := strings.TrimPrefix(path, prefix)
	slug, tail, ok := strings.Cut(rest, "/")
	if !ok || tail != suffix {
		return nil
	}
	return s.flows[slug]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// randomAlnum is Django's get_random_string alphabet.
func randomAlnum(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
