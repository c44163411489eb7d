package transport

import (
	"net/http"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// Kind says what an exchange was for.
type Kind string

const (
	KindPage      Kind = "page"      // GET /if/flow/<slug>/ (sets authentik_csrf)
	KindExecute   Kind = "execute"   // GET /api/v3/flows/instances/<slug>/execute/ (token start)
	KindExecutor  Kind = "executor"  // GET/POST /api/v3/flows/executor/<slug>/
	KindRedirect  Kind = "redirect"  // a followed Location hop
	KindInspector Kind = "inspector" // GET /api/v3/flows/inspector/<slug>/
)

// Flags mark what is worth seeing about an exchange in a timeline.
const (
	FlagRedirect        = "redirect"         // response was a 3xx
	FlagContinue        = "continue"         // xak-flow-redirect to this executor, followed
	FlagSessionRotated  = "session-rotated"  // authentik_session changed value
	FlagCSRFRotated     = "csrf-rotated"     // authentik_csrf changed value
	FlagError           = "error"            // transport error or non-JSON/unexpected response
	FlagValidation      = "validation-error" // challenge came back with response_errors
	FlagTruncated       = "truncated"        // body over the cap
	FlagLikelyCSRF      = "likely-csrf"      // flow error after a session-authenticated POST
	FlagCancelled       = "cancelled"        // the context was cancelled
	FlagTimeout         = "timeout"          // no answer within the request timeout
	FlagSecretsRedacted = "redacted"         // written with secrets replaced
	FlagCookiesDropped  = "cookies-dropped"  // Set-Cookie headers that Go's cookie parser threw away
)

// Timing is the httptrace breakdown of one round trip. Zero means the phase
// did not happen (a reused connection has no DNS or connect).
type Timing struct {
	DNS       time.Duration `json:"dns"`
	Connect   time.Duration `json:"connect"`
	TLS       time.Duration `json:"tls"`
	Send      time.Duration `json:"send"`       // request written (from start)
	FirstByte time.Duration `json:"first_byte"` // time to first response byte (from start)
	Total     time.Duration `json:"total"`      // until the body was read
}

// Cookie is one cookie of the jar as the client knows it.
type Cookie struct {
	Name     string    `json:"name"`
	Value    string    `json:"value"`
	Domain   string    `json:"domain"`
	Path     string    `json:"path"`
	Expires  time.Time `json:"expires,omitzero"`
	Secure   bool      `json:"secure,omitempty"`
	HTTPOnly bool      `json:"http_only,omitempty"`
	SameSite string    `json:"same_site,omitempty"`
	// HostOnly: set without a Domain attribute, so sent to Domain exactly
	// and not to its subdomains (Netscape "include subdomains" FALSE).
	HostOnly bool `json:"host_only,omitempty"`
}

// Change says how a cookie differs from the jar before the exchange.
type Change string

const (
	ChangeAdded   Change = "added"
	ChangeChanged Change = "changed"
	ChangeRemoved Change = "removed"
)

// CookieChange is one difference between the jar before and after. Name,
// Domain and Path identify the cookie (DiffJar). Path is empty in
// recordings written before it was recorded.
type CookieChange struct {
	Name   string `json:"name"`
	Domain string `json:"domain,omitempty"`
	Change Change `json:"change"`
	Path   string `json:"path,omitempty"`
}

// Exchange is one HTTP request and its response, as recorded. Exchanges are
// immutable once delivered to observers.
type Exchange struct {
	ID   int    `json:"id"` // 1-based, in order of start within a recorder
	Flow string `json:"flow"`
	Kind Kind   `json:"kind"`

	Method        string      `json:"method"`
	URL           string      `json:"url"`
	RequestHeader http.Header `json:"request_headers"`
	RequestBody   []byte      `json:"request_body,omitempty"`
	// Secrets lists answer-body keys whose values are secret (from flow.Answer).
	Secrets []string `json:"secrets,omitempty"`

	Status         int         `json:"status"` // 0 when no response arrived
	Proto          string      `json:"proto,omitempty"`
	ResponseHeader http.Header `json:"response_headers,omitempty"`
	ResponseBody   []byte      `json:"response_body,omitempty"`
	Truncated      bool        `json:"truncated,omitempty"` // body cut at the cap
	BodySize       int64       `json:"body_size"`           // decoded size as received; a lower bound past twice the body cap

	Start  time.Time `json:"start"`
	Timing Timing    `json:"timing"`

	Component string          `json:"component,omitempty"` // decoded component, if any
	Challenge *flow.Challenge `json:"-"`                   // decoded challenge, nil when none

	// Jar is the jar after the exchange. Consecutive exchanges that left
	// the jar unchanged share one slice: copy it before changing anything.
	Jar        []Cookie       `json:"jar"`
	JarChanges []CookieChange `json:"jar_changes,omitempty"`

	Error     string   `json:"error,omitempty"`     // what went wrong, for a person
	Diagnosis string   `json:"diagnosis,omitempty"` // the likely cause (e.g. CSRF)
	Flags     []string `json:"flags,omitempty"`
}

// Has reports whether the exchange carries a flag.
func (e *Exchange) Has(flag string) bool {
	for _, f := range e.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// Failed reports whether the exchange ended without a usable response.
func (e *Exchange) Failed() bool { return e.Error != "" }
