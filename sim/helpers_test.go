package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/flow/schematest"
)

// fixedNow keeps TOTP codes stable within a test.
var fixedNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func newSim(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	if opts.SlowDelay == 0 {
		opts.SlowDelay = 10 * time.Millisecond
	}
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// client is one browser-like session: a cookie jar, the page query, and
// schema checks on everything sent and received.
type client struct {
	t      *testing.T
	base   string
	hc     *http.Client
	slug   string
	query  string // the page's raw query string
	csrf   bool   // send X-authentik-CSRF from the cookie
	bearer string
	origin string // sent as Origin when set
	schema *schematest.Schema
}

func newClient(t *testing.T, ts *httptest.Server, legacy bool) *client {
	jar, _ := cookiejar.New(nil)
	v := flow.Version2026_2
	if legacy {
		v = flow.Version2023_10
	}
	return &client{
		t: t, base: ts.URL, schema: schematest.Load(t, v),
		hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
	}
}

// start points the client at a flow as the page /if/flow/<slug>/?<query> would.
func (c *client) start(slug, query string) *client {
	c.slug, c.query = slug, query
	return c
}

func (c *client) executorURL() string {
	return c.base + "/api/v3/flows/executor/" + c.slug + "/?query=" + url.QueryEscape(c.query)
}

func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

func (c *client) do(method, rawURL, contentType string, body []byte) *http.Response {
	c.t.Helper()
	req, err := http.NewRequest(method, rawURL, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.csrf {
		req.Header.Set(CSRFHeader, c.cookie(CSRFCookie))
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.origin != "" {
		req.Header.Set("Origin", c.origin)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// challenge checks a 200 JSON challenge against the schema and decodes it.
func (c *client) challenge(resp *http.Response) *flow.Challenge {
	c.t.Helper()
	body := readAll(c.t, resp)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("status %d, body %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		c.t.Fatalf("content type %q", ct)
	}
	ch, err := flow.Decode(body)
	if err != nil {
		c.t.Fatalf("decode %s: %v", body, err)
	}
	if ch.Component == ComponentHologram {
		if c.schema.HasComponent(ComponentHologram) {
			c.t.Fatal("the hologram component is in the schema; pick another unknown component")
		}
	} else if err := c.schema.ValidateChallenge(body); err != nil {
		c.t.Fatalf("challenge does not match the schema: %v\n%s", err, body)
	}
	return ch
}

// get fetches the current challenge, following 302s to the same URL as a
// browser does (stages without a challenge answer a GET with one).
func (c *client) get() *flow.Challenge {
	c.t.Helper()
	for range 10 {
		resp := c.do(http.MethodGet, c.executorURL(), "", nil)
		if resp.StatusCode != http.StatusFound {
			return c.challenge(resp)
		}
		c.check302(resp, c.executorURL())
	}
	c.t.Fatal("redirect loop")
	return nil
}

// post answers with body (component added), follows a 302 like a browser
// and returns the next challenge.
func (c *client) post(fields map[string]any) *flow.Challenge {
	c.t.Helper()
	body := c.answer(fields)
	resp := c.do(http.MethodPost, c.executorURL(), "application/json", body)
	if resp.StatusCode == http.StatusFound {
		c.check302(resp, c.executorURL())
		return c.get()
	}
	return c.challenge(resp)
}

// answer encodes an answer and checks it against the request schema.
func (c *client) answer(fields map[string]any) []byte {
	c.t.Helper()
	body, _ := json.Marshal(fields)
	comp, _ := fields["component"].(string)
	if comp != ComponentHologram {
		if err := c.schema.ValidateResponse(body); err != nil {
			c.t.Fatalf("test answer does not match the schema: %v\n%s", err, body)
		}
	}
	return body
}

func (c *client) check302(resp *http.Response, requestURL string) {
	c.t.Helper()
	body := readAll(c.t, resp)
	if len(body) != 0 {
		c.t.Fatalf("302 body %q, want empty", body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		c.t.Fatalf("302 content type %q", ct)
	}
	if loc := c.base + resp.Header.Get("Location"); loc != requestURL {
		c.t.Fatalf("302 Location %q, want %q", loc, requestURL)
	}
}

func wantComponent(t *testing.T, ch *flow.Challenge, component string) {
	t.Helper()
	if ch.Component != component {
		t.Fatalf("component %q, want %q: %s", ch.Component, component, ch.Raw)
	}
}

func wantError(t *testing.T, ch *flow.Challenge, field, msg, code string) {
	t.Helper()
	for _, e := range ch.ResponseErrors[field] {
		if e.String == msg && e.Code == code {
			return
		}
	}
	t.Fatalf("no %s error %q (%s) in %s", field, msg, code, ch.Raw)
}

func wantRedirect(t *testing.T, ch *flow.Challenge, to string) {
	t.Helper()
	wantComponent(t, ch, flow.ComponentRedirect)
	if got := ch.String("to"); got != to {
		t.Fatalf("redirect to %q, want %q", got, to)
	}
}

func wantDenied(t *testing.T, ch *flow.Challenge, msg string) {
	t.Helper()
	wantComponent(t, ch, flow.ComponentAccessDenied)
	if got := ch.String("error_message"); got != msg {
		t.Fatalf("error_message %q, want %q", got, msg)
	}
}

func totpNow(t *testing.T, secret string) string {
	t.Helper()
	code, err := flow.TOTP(secret, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// login runs default-authentication-flow for a user without MFA or with a
// TOTP secret, leaving the client's session logged in.
func (c *client) login(username, password, secret string) {
	c.t.Helper()
	saved := [2]string{c.slug, c.query}
	c.start("default-authentication-flow", "")
	c.get()
	ch := c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": username})
	wantComponent(c.t, ch, flow.ComponentPassword)
	ch = c.post(map[string]any{"component": flow.ComponentPassword, "password": password})
	if ch.Component == flow.ComponentValidate {
		ch = c.post(map[string]any{"component": flow.ComponentValidate, "code": totpNow(c.t, secret)})
	}
	wantRedirect(c.t, ch, "/")
	c.slug, c.query = saved[0], saved[1]
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func withBody(req *http.Request, body []byte) *http.Request {
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	return req
}

// waitFor polls cond; it fails only if cond never holds (no timing claims).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 5000 {
		if cond() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("condition never held")
}
