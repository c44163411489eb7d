package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// Config says which flow to run and how to reach it.
type Config struct {
	BaseURL string // scheme://host[:port][/prefix], no trailing slash
	Flow    string // flow slug
	Query   string // the /if/flow/ page's raw query string, without '?'
	// Token is an optional API bearer token. It goes where authentik's web
	// client sends one: the execute endpoint (which starts the flow with the
	// token's user as pending user) and the inspector; never the page, and
	// the executor only with TokenOnExecutor.
	Token string
	// TokenOnExecutor also sends Token on executor requests, so that the
	// flow runs as the token's user (request.user): consent passes without
	// a login and an admin sees tracebacks. No browser does this.
	TokenOnExecutor bool
	// InspectorToken, when set, is sent on inspector requests only, so the
	// plan of an anonymous flow can be read with an admin token.
	InspectorToken string
	CAFile         string        // extra PEM CA bundle
	Insecure       bool          // skip TLS verification (explicit opt-in)
	Timeout        time.Duration // per request (each redirect hop), body included; default DefaultTimeout
	BodyCap        int64         // default DefaultBodyCap, at most MaxBodyCap
	MaxRedirects   int           // default DefaultMaxRedirects
	UserAgent      string        // default DefaultUserAgent
	// Transport replaces the HTTP transport (tests, benchmarks). The
	// httptrace timings still apply.
	Transport http.RoundTripper
	// Lang is the flow interface's UI locale, which authentik's
	// LocaleMiddleware (web/src/common/api/middleware.ts) puts first in the
	// Accept-Language of every API call; authentik answers in that language.
	// A BCP 47 tag such as "de" or "zh-Hans"; default DefaultLang.
	Lang string
	// NoCSRF never sends the X-authentik-CSRF header. It exists for
	// demonstrating CSRF failures (a logged-in session's POSTs then fail
	// with a flow error); a real client always sends it.
	NoCSRF bool
}

const (
	// DefaultBodyCap is far above any flow challenge (a few KiB; an
	// xak-flow-shell page some hundred) and keeps a hostile server's body
	// from costing more than a few times this much memory.
	DefaultBodyCap = 4 << 20
	// MaxBodyCap is the largest BodyCap (a larger one is lowered to it):
	// an exchange with a body at this cap still makes a recording line
	// that akinspect reads back (history.DefaultMaxLine).
	MaxBodyCap = 16 << 20
	// MaxHeaderBytes bounds a response's header block, which a recording
	// line holds too (Go's default is 10 MB; browsers take 256 KiB).
	MaxHeaderBytes      = 1 << 20
	DefaultMaxRedirects = 10
	DefaultTimeout      = 30 * time.Second
	DefaultUserAgent    = "akinspect/dev"
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
	rec  *Recorder
	hc   *http.Client
	jar  *cookieStore
	base *url.URL

	mu             sync.Mutex
	cfg            Config // Flow and Query change with UseFlow
	sessionRotated bool   // a login (session key rotation) happened in this jar
	sessionLoaded  bool   // a session cookie came from a cookie file
	current        string // component of the flow's last challenge, "" when none
	urls           flowURLs
	acceptLang     string   // acceptLanguage(cfg.Lang), built once
	userAgent      []string // {cfg.UserAgent}, shared by every request
}

// New checks the config and builds a client with an empty cookie jar.
func New(cfg Config) (*Client, error) {
	base, err := parseBase(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = base.String()
	if !flow.ValidSlug(cfg.Flow) {
		return nil, fmt.Errorf("flow slug %q: want letters, digits, - and _", cfg.Flow)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.BodyCap <= 0 {
		cfg.BodyCap = DefaultBodyCap
	}
	cfg.BodyCap = min(cfg.BodyCap, MaxBodyCap)
	if cfg.MaxRedirects <= 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Lang == "" {
		cfg.Lang = DefaultLang
	}
	if !validLang(cfg.Lang) {
		return nil, fmt.Errorf("language %q: want a language tag such as en, de or zh-Hans", cfg.Lang)
	}
	rt, err := newTransport(cfg)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{
		Transport: rt,
		// Redirects are followed one hop at a time by the client itself,
		// so that each hop is its own recorded exchange.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Client{cfg: cfg, rec: NewRecorder(), hc: hc, jar: newCookieStore(), base: base,
		urls: newFlowURLs(base, cfg.Flow, cfg.Query), acceptLang: acceptLanguage(cfg.Lang), userAgent: []string{cfg.UserAgent}}, nil
}

func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || !validHost(u.Host) {
		return nil, fmt.Errorf("base URL %q: want http(s)://HOST[:PORT][/PREFIX]", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("base URL %q: want only scheme, host and path prefix", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// Config returns the client's current config.
func (c *Client) Config() Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg
}

// Recorder returns the recorder that keeps every exchange of this client.
func (c *Client) Recorder() *Recorder { return c.rec }

func (c *Client) endpoints() endpoints {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.urls.endpoints
}

// flowURLs are the current flow's endpoints with its executor URL built
// once: nearly every request goes there. The URL is shared by every hop
// and never modified.
type flowURLs struct {
	endpoints
	executor    *url.URL
	executorRaw string // executor.String()
}

func newFlowURLs(base *url.URL, slug, query string) flowURLs {
	fl := endpoints{base: base, slug: slug, query: browserQuery(query)}
	fl.referer = fl.page().String()
	u := fl.executor()
	return flowURLs{endpoints: fl, executor: u, executorRaw: u.String()}
}

// executorHop is a hop to the current flow's executor.
func (c *Client) executorHop(method string) hop {
	c.mu.Lock()
	urls, answered := c.urls, c.current
	c.mu.Unlock()
	h := c.newHop(KindExecutor, expectChallenge, method, urls.executor, urls.endpoints)
	h.rawURL, h.answered = urls.executorRaw, answered
	return h
}

func (c *Client) newHop(kind Kind, expect expectation, method string, u *url.URL, fl endpoints) hop {
	return hop{kind: kind, expect: expect, method: method, url: u, flow: fl,
		hopsLeft: c.cfg.MaxRedirects, maxRedirects: c.cfg.MaxRedirects}
}

// Start begins the flow as a browser would: the /if/flow/ page (for the CSRF
// cookie), the execute endpoint when a token is set, then the executor GET.
func (c *Client) Start(ctx context.Context) (*Step, error) {
	fl := c.endpoints()
	step := &Step{}
	if err := c.run(ctx, step, c.newHop(KindPage, expectPage, http.MethodGet, fl.page(), fl)); err != nil {
		return step, err
	}
	if c.cfg.Token != "" {
		if err := c.run(ctx, step, c.newHop(KindExecute, expectJSON, http.MethodGet, fl.execute(), fl)); err != nil {
			return step, err
		}
	}
	return step, c.run(ctx, step, c.executorHop(http.MethodGet))
}

// Challenge fetches the current challenge (GET executor).
func (c *Client) Challenge(ctx context.Context) (*Step, error) {
	step := &Step{}
	return step, c.run(ctx, step, c.executorHop(http.MethodGet))
}

// Submit posts an answer and follows redirects to the next challenge.
func (c *Client) Submit(ctx context.Context, a flow.Answer) (*Step, error) {
	if len(a.Body) == 0 {
		return &Step{}, errors.New("empty answer body: nothing to submit")
	}
	h := c.executorHop(http.MethodPost)
	h.body, h.secrets, h.afterPost, h.posted = a.Body, a.Secrets, true, a.Body
	step := &Step{}
	return step, c.run(ctx, step, h)
}

// Inspect reads the flow inspector for the current flow.
func (c *Client) Inspect(ctx context.Context) (*flow.Inspection, *Exchange, error) {
	fl := c.endpoints()
	step := &Step{}
	if err := c.run(ctx, step, c.newHop(KindInspector, expectInspection, http.MethodGet, fl.inspector(), fl)); err != nil {
		return nil, step.Last(), err
	}
	last := step.Last()
	in, err := flow.DecodeInspection(last.ResponseBody)
	if err != nil { // judge already checked it; kept for safety
		return nil, last, &Error{Kind: ErrNotJSON, Status: last.Status, Message: err.Error(), Err: err}
	}
	return in, last, nil
}

// run makes h and follows its redirects, appending every exchange to step.
// A redirect after POST (301/302/303) is followed with GET, as browsers and
// authentik's web client do; 307/308 repeat the method and body.
func (c *Client) run(ctx context.Context, step *Step, h hop) error {
	if h.expect != expectPage {
		h.script = c.scriptHeaders(h)
	}
	for {
		ex, err := c.exchange(ctx, h)
		step.Exchanges = append(step.Exchanges, ex)
		if err != nil {
			return err
		}
		next, ok := nextHop(h, ex)
		if !ok {
			if h.expect == expectChallenge {
				step.Challenge = ex.Challenge
				c.mu.Lock()
				c.current = ex.Component
				c.mu.Unlock()
				if ex.Component == flow.ComponentFlowError {
					step.Diagnosis = ex.Diagnosis
				}
			}
			return nil
		}
		h = next
	}
}

// nextHop is the request that follows ex: a Location hop or a continue.
func nextHop(h hop, ex *Exchange) (hop, bool) {
	var target *url.URL
	switch {
	case ex.Has(FlagRedirect):
		ref, err := url.Parse(ex.ResponseHeader.Get("Location"))
		if err != nil {
			return hop{}, false
		}
		target = h.url.ResolveReference(ref)
	case ex.Has(FlagContinue):
		target, _ = continueTarget(h, ex.Challenge)
	default:
		return hop{}, false
	}
	next := h
	next.kind, next.url, next.rawURL, next.hopsLeft = KindRedirect, target, "", h.hopsLeft-1
	next.site = fartherSite(h.site, siteOf(h.flow, h.url)) // the URL list grows
	keep := ex.Status == http.StatusTemporaryRedirect || ex.Status == http.StatusPermanentRedirect
	if !keep || ex.Has(FlagContinue) {
		next.method, next.body, next.secrets = http.MethodGet, nil, nil
		if next.script != nil { // fetch drops the body's headers with the body
			next.script = next.script.Clone()
			next.script.Del("Content-Type")
		}
	}
	return next, true
}

// UseFlow switches to another flow (slug and query), keeping the jar.
func (c *Client) UseFlow(slug, query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.Flow, c.cfg.Query, c.current = slug, query, ""
	c.urls = newFlowURLs(c.base, slug, query)
}

// ResetJar empties the cookie jar.
func (c *Client) ResetJar() {
	c.jar.reset()
	c.mu.Lock()
	c.sessionRotated, c.sessionLoaded, c.current = false, false, ""
	c.mu.Unlock()
}

// Cookies is the jar as it is now.
func (c *Client) Cookies() []Cookie { return c.jar.snapshot(time.Now()) }
