package transport

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// hop is one request of a chain (a call and the redirects it follows).
type hop struct {
	kind         Kind
	expect       expectation
	method       string
	url          *url.URL
	rawURL       string // url.String() when already known, else ""
	body         []byte
	secrets      []string
	flow         endpoints
	hopsLeft     int  // redirects still allowed after this one
	maxRedirects int  // the limit, for messages
	afterPost    bool // the chain started with an unsafe request
	// posted is the answer body the chain started with, and answered the
	// component of the challenge it answered ("" when unknown); both stay
	// when a redirect turns the chain into GETs, for the diagnosis.
	posted   []byte
	answered string
	// script holds the headers the web client set when the chain started
	// (see scriptHeaders); redirects carry them on.
	script http.Header
	// site is the farthest Sec-Fetch-Site relation of the chain's earlier
	// URLs ("" on its first request); see setFetchMetadata.
	site string
}

// browserAccept is a navigation's Accept: the Fetch standard's value for a
// document request ("fetch", step "If request's header list does not
// contain `Accept`"). Chromium appends its image formats and signed
// exchanges (transport/testdata/browser/chromium-148.json); authentik
// renders the same page for both.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// fetchAccept is the Accept of the web client's API calls: fetch's default
// `*/*` (Fetch standard), since goauthentik/client-ts sets none (src/runtime.ts
// createFetchParams; src/apis/FlowsApi.ts flowsExecutorGetRequestOpts and
// friends add only Content-Type and Authorization) and neither do
// authentik's middlewares (web/src/common/api/client.ts). Recorded:
// transport/testdata/browser/chromium-148.json.
const fetchAccept = "*/*"

func (e *Exchange) addFlag(f string) {
	if !e.Has(f) {
		e.Flags = append(e.Flags, f)
	}
}

// exchange makes one request, records it and returns it. The exchange is
// recorded (and observers are told) whether or not it failed.
func (c *Client) exchange(ctx context.Context, h hop) (*Exchange, *Error) {
	raw := h.rawURL
	if raw == "" {
		raw = h.url.String()
	}
	ex := &Exchange{
		ID: c.rec.reserve(), Flow: h.flow.slug, Kind: h.kind,
		Method: h.method, URL: raw, Secrets: h.secrets, Start: time.Now(),
	}
	before := c.jar.snapshot(ex.Start)
	err := c.send(ctx, h, ex)
	if err == nil {
		err = judge(h, ex)
	}
	ex.Jar = c.jar.snapshot(time.Now())
	ex.JarChanges = DiffJar(before, ex.Jar)
	if rotated(ex.JarChanges, CSRFCookie) {
		ex.addFlag(FlagCSRFRotated)
	}
	if rotated(ex.JarChanges, SessionCookie) {
		ex.addFlag(FlagSessionRotated)
		c.mu.Lock()
		c.sessionRotated = true
		c.mu.Unlock()
	}
	if err == nil && ex.Challenge != nil && h.expect == expectChallenge {
		err = c.explainChallenge(h, ex)
	}
	if err != nil {
		ex.Error = err.Error()
		ex.addFlag(FlagError)
		switch err.Kind {
		case ErrCancelled:
			ex.addFlag(FlagCancelled)
		case ErrTimeout:
			ex.addFlag(FlagTimeout)
		}
	}
	c.rec.Add(ex)
	return ex, err
}

// explainChallenge marks a continue redirect and diagnoses a flow error.
func (c *Client) explainChallenge(h hop, ex *Exchange) *Error {
	switch ex.Component {
	case flow.ComponentRedirect:
		if target, ok := continueTarget(h, ex.Challenge); ok {
			ex.addFlag(FlagContinue)
			ex.Diagnosis = "the server re-encoded query: it answered with xak-flow-redirect to this flow's executor (" +
				target.String() + ") instead of a 302, because its Django-urlencoded URL differs from the one requested; followed as a continue"
			if h.hopsLeft <= 0 {
				return tooManyRedirects(h, ex.Status)
			}
		}
	case flow.ComponentFlowError:
		c.diagnoseFlowError(h, ex)
	}
	return nil
}

// continueTarget is the `to` of a redirect challenge when it points back at
// this flow's executor.
func continueTarget(h hop, ch *flow.Challenge) (*url.URL, bool) {
	to := ch.String("to")
	if to == "" {
		return nil, false
	}
	ref, err := url.Parse(to)
	if err != nil {
		return nil, false
	}
	target := h.url.ResolveReference(ref)
	return target, h.flow.isExecutor(target)
}

// send does the HTTP round trip and fills the request and response parts.
func (c *Client) send(parent context.Context, h hop, ex *Exchange) *Error {
	ctx, cancel := context.WithTimeout(parent, c.cfg.Timeout)
	defer cancel()
	tr := newTracer(ex.Start)
	ctx = httptrace.WithClientTrace(ctx, tr.clientTrace())
	var body io.Reader
	if h.body != nil {
		body = bytes.NewReader(h.body)
	}
	req, err := http.NewRequestWithContext(ctx, h.method, "", body)
	if err != nil {
		return &Error{Kind: ErrHTTP, Message: "cannot build the request: " + err.Error(), Err: err}
	}
	req.URL, req.Host = h.url, h.url.Host // already parsed: skip a re-parse of ex.URL
	c.setHeaders(req, h)
	ex.RequestHeader = req.Header // not changed after this: the transport copies what it adds
	ex.RequestBody = h.body
	resp, err := c.hc.Do(req)
	if err != nil {
		ex.Timing = tr.done()
		return networkError(parent, err, h.url.Host, c.cfg.Timeout)
	}
	defer resp.Body.Close()
	ex.Status, ex.Proto = resp.StatusCode, resp.Proto
	ex.ResponseHeader = resp.Header
	cookies := resp.Cookies()
	c.jar.setFromResponse(h.url, cookies, time.Now())
	if n := len(resp.Header["Set-Cookie"]); n > 0 && len(cookies) == 0 {
		// net/http drops every cookie of a response with more than 3000
		// Set-Cookie headers (GODEBUG httpcookiemaxnum), the session
		// cookie among them, and says nothing.
		ex.addFlag(FlagCookiesDropped)
		ex.Diagnosis = fmt.Sprintf("none of the %d Set-Cookie headers was kept (Go keeps no cookie of a response with more than 3000, nor malformed ones): the cookie jar did not change", n)
	}
	b, size, truncated, err := readCapped(resp.Body, c.cfg.BodyCap, resp.ContentLength)
	ex.Timing = tr.done()
	ex.ResponseBody, ex.BodySize, ex.Truncated = b, size, truncated
	if err != nil {
		e := networkError(parent, err, h.url.Host, c.cfg.Timeout)
		e.Status = resp.StatusCode
		e.Message += " while reading the response body"
		return e
	}
	return nil
}

// bearerFor picks the token a request carries: the execute endpoint and the
// inspector (which may have its own, an admin token beside an anonymous
// flow); the executor only when asked; never the page, a navigation.
func (c *Client) bearerFor(h hop) string {
	switch h.kind {
	case KindInspector:
		if c.cfg.InspectorToken != "" {
			return c.cfg.InspectorToken
		}
		return c.cfg.Token
	case KindExecute:
		return c.cfg.Token
	case KindExecutor:
		if c.cfg.TokenOnExecutor {
			return c.cfg.Token
		}
	}
	return ""
}

// scriptHeaders are the headers authentik's web client puts on a fetch:
// the X-authentik-CSRF header from the authentik_csrf cookie on every
// request (web/src/common/api/middleware.ts CSRFMiddleware), Accept-Language
// with the UI locale (same file, LocaleMiddleware; see acceptLanguage),
// Content-Type on a body (the generated client, goauthentik/client-ts
// runtime.ts), and the bearer token where one belongs. fetch keeps these
// headers across redirects (the recorded GET after the POST's 302,
// transport/testdata/browser/chromium-148.json), so they are taken once per
// chain. SentryMiddleware's baggage and sentry-trace are not sent: without
// a Sentry client they go out empty (docs/authentik-wire.md §5).
func (c *Client) scriptHeaders(h hop) http.Header {
	hd := http.Header{}
	hd.Set("Accept-Language", c.acceptLang)
	if !h.flow.sameOrigin(h.url) {
		return hd
	}
	if v, ok := cookieValue(c.jar.forURL(h.url), CSRFCookie); ok && !c.cfg.NoCSRF {
		hd.Set(CSRFHeader, v)
	}
	if token := c.bearerFor(h); token != "" {
		hd.Set("Authorization", "Bearer "+token)
	}
	if h.body != nil {
		hd.Set("Content-Type", "application/json")
	}
	return hd
}

// setHeaders sets what a browser sends. The /if/flow/ page is a navigation:
// Accept text/html, the navigation's fetch metadata, cookies, nothing else.
// Every other request is the flow interface's fetch: Accept */*, the
// script's headers, Referer = the flow page (same origin), Origin on unsafe
// methods (the Fetch standard), the fetch's metadata, and cookies. CSRF and
// token values never leave authentik's origin.
func (c *Client) setHeaders(req *http.Request, h hop) {
	hd := req.Header
	if h.expect == expectPage {
		hd["Accept"] = headerBrowserAccept
	} else {
		hd["Accept"] = headerFetchAccept
		for k, v := range h.script {
			hd[k] = v
		}
		if !h.flow.sameOrigin(h.url) { // a redirect that left authentik
			hd.Del(CSRFHeader)
			hd.Del("Authorization")
		}
		hd.Set("Referer", h.flow.pageString())
		if h.method != http.MethodGet && h.method != http.MethodHead {
			hd.Set("Origin", h.flow.origin())
		}
	}
	setFetchMetadata(hd, h)
	hd["User-Agent"] = c.userAgent
	for _, ck := range c.jar.forURL(h.url) {
		req.AddCookie(ck)
	}
}
