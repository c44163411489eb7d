package transport

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// Config says which flow to run and how to reach it.
type Config struct {
	BaseURL      string // scheme://host[:port][/prefix], no trailing slash
	Flow         string // flow slug
	Query        string // the /if/flow/ page's raw query string, without '?'
	Token        string // optional API bearer token: start through the execute endpoint
	CAFile       string // extra PEM CA bundle
	Insecure     bool   // skip TLS verification (explicit opt-in)
	Timeout      time.Duration
	BodyCap      int64 // default DefaultBodyCap
	MaxRedirects int   // default DefaultMaxRedirects
	UserAgent    string
	// Transport replaces the HTTP transport (tests, benchmarks). The
	// httptrace timings still apply.
	Transport http.RoundTripper
}

const (
	DefaultBodyCap      = 32 << 20
	DefaultMaxRedirects = 10
	DefaultTimeout      = 30 * time.Second
)

// Step is what one client call produced: the exchanges it made, in order,
// and the challenge it reached.
type Step struct {
	Exchanges []*Exchange
	Challenge *flow.Challenge // nil when the step failed
	// Diagnosis names the likely cause when the step reached a flow error
	// (for example a missing CSRF header), "" otherwise.
	Diagnosis string
}

// Last is the final exchange of the step, nil when there were none.
func (s *Step) Last() *Exchange {
	if s == nil || len(s.Exchanges) == 0 {
		return nil
	}
	return s.Exchanges[len(s.Exchanges)-1]
}

// Client drives one authentik flow over the executor API, recording every
// exchange. It is safe for concurrent use.
type Client struct {
	cfg Config
	rec *Recorder
}

// ErrNotImplemented marks the parts still being written.
var ErrNotImplemented = errors.New("not implemented")

// New checks the config and builds a client with an empty cookie jar.
func New(cfg Config) (*Client, error) {
	return &Client{cfg: cfg, rec: NewRecorder()}, nil
}

// Config returns the client's current config.
func (c *Client) Config() Config { return c.cfg }

// Recorder returns the recorder that keeps every exchange of this client.
func (c *Client) Recorder() *Recorder { return c.rec }

// Start begins the flow as a browser would: the /if/flow/ page (for the CSRF
// cookie), the execute endpoint when a token is set, then the executor GET.
func (c *Client) Start(ctx context.Context) (*Step, error) { return nil, ErrNotImplemented }

// Challenge fetches the current challenge (GET executor).
func (c *Client) Challenge(ctx context.Context) (*Step, error) { return nil, ErrNotImplemented }

// Submit posts an answer and follows redirects to the next challenge.
func (c *Client) Submit(ctx context.Context, a flow.Answer) (*Step, error) {
	return nil, ErrNotImplemented
}

// Inspect reads the flow inspector for the current flow.
func (c *Client) Inspect(ctx context.Context) (*flow.Inspection, *Exchange, error) {
	return nil, nil, ErrNotImplemented
}

// UseFlow switches to another flow (slug and query), keeping the jar.
func (c *Client) UseFlow(slug, query string) {}

// ResetJar empties the cookie jar.
func (c *Client) ResetJar() {}

// Cookies is the jar as it is now.
func (c *Client) Cookies() []Cookie { return nil }

// LoadCookies reads a Netscape cookie file (curl -b / Hurl) into the jar.
func (c *Client) LoadCookies(path string) error { return ErrNotImplemented }

// SaveCookies writes the jar as a Netscape cookie file, mode 0600.
func (c *Client) SaveCookies(path string) error { return ErrNotImplemented }
