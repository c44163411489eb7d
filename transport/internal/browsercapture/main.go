// Command browsercapture records the request headers a real browser sends
// when it runs authentik's flow interface against the embedded simulator,
// and writes them as the fixture transport/browser_capture_test.go compares
// akinspect's requests with (transport/testdata/browser/).
//
// It serves the simulator behind a handler that records every request, but
// answers /if/flow/<slug>/ with a page whose inline script makes the calls
// authentik's web flow interface makes, with the same fetch options (each
// option cites the authentik file it follows). Everything else in a
// request (Origin, Referer, Sec-Fetch-*, sec-ch-ua*, User-Agent,
// Accept-Encoding, Cookie, the navigation's Accept...) is the browser's own.
//
// Run from the repository root (needs Chromium, e.g. apt-get install chromium):
//
//	go run ./transport/internal/browsercapture -chromium /usr/bin/chromium
//
// It writes transport/testdata/browser/chromium-<major>.json.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/akinspect/akinspect/sim"
)

const (
	slug  = "default-authentication-flow"
	query = "next=/if/user/" // the page's location.search, without '?'
	user  = "akadmin"
)

// Fixture is the file format of transport/testdata/browser/*.json.
type Fixture struct {
	Browser  string `json:"browser"`  // chromium --version
	Recorded string `json:"recorded"` // date (UTC)
	Command  string `json:"command"`  // how the browser was started
	Flow     string `json:"flow"`
	Query    string `json:"query"` // the flow page's query string
	// Placeholders says what each {name} in a value stands for.
	Placeholders map[string]string `json:"placeholders"`
	Requests     []Request         `json:"requests"`
}

// Request is one request as the server received it.
type Request struct {
	Kind     string `json:"kind"` // page, executor GET, executor POST, executor GET after 302, inspector GET
	Method   string `json:"method"`
	Path     string `json:"path"`
	RawQuery string `json:"raw_query"`
	// Headers are every header received (Host included), names
	// canonicalized as Go's net/http does, repeated values joined with ", ".
	Headers map[string]string `json:"headers"`
}

type recorded struct {
	method, path, rawQuery, host string
	header                       http.Header
}

func main() {
	chromium := flag.String("chromium", "chromium", "Chromium binary")
	outDir := flag.String("out", "transport/testdata/browser", "fixture directory")
	budget := flag.Int("budget", 10000, "--virtual-time-budget in ms")
	flag.Parse()
	if err := run(*chromium, *outDir, *budget); err != nil {
		log.Fatal(err)
	}
}

func run(chromium, outDir string, budget int) error {
	version, err := exec.Command(chromium, "--version").Output()
	if err != nil {
		return fmt.Errorf("%s --version: %v", chromium, err)
	}
	ver := strings.TrimSpace(string(version))
	major := regexp.MustCompile(`\b(\d+)\.\d+\.\d+\.\d+\b`).FindStringSubmatch(ver)
	if major == nil {
		return fmt.Errorf("no version number in %q", ver)
	}

	s := sim.New(sim.Options{})
	var mu sync.Mutex
	var got []recorded
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Host, r.Header.Clone()})
		mu.Unlock()
		if r.URL.Path == "/if/flow/"+slug+"/" {
			servePage(w, r, s)
			return
		}
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()

	profile, err := os.MkdirTemp("", "browsercapture-profile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	pageURL := srv.URL + "/if/flow/" + slug + "/?" + query
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile, "--dump-dom", fmt.Sprintf("--virtual-time-budget=%d", budget)}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, append(flags, pageURL)...)
	cmd.Stderr = os.Stderr
	dom, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("chromium: %v", err)
	}
	m := regexp.MustCompile(`(?s)<pre id="result">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil || !strings.HasPrefix(string(m[1]), "done") {
		return fmt.Errorf("the page script did not finish; its DOM:\n%s", dom)
	}
	log.Printf("page script: %s", html.UnescapeString(string(m[1])))

	mu.Lock()
	reqs := append([]recorded(nil), got...)
	mu.Unlock()
	fx := Fixture{
		Browser:  ver + ", headless",
		Recorded: time.Now().UTC().Format("2006-01-02"),
		Command:  "chromium " + strings.Join(flags[:8], " ") + " --user-data-dir=<new empty dir> --dump-dom --virtual-time-budget=N {page}",
		Flow:     slug,
		Query:    query,
		Placeholders: map[string]string{
			"{origin}":  "scheme://host:port of the server (random port)",
			"{host}":    "host:port of the server",
			"{page}":    "{origin}/if/flow/" + slug + "/?" + query,
			"{csrf}":    "the authentik_csrf cookie's value",
			"{session}": "the authentik_session cookie's value",
		},
	}
	for _, r := range reqs {
		k := kind(r)
		if k == "" {
			continue // favicon and the like: not authentik's flow
		}
		fx.Requests = append(fx.Requests, Request{Kind: k, Method: r.method, Path: r.path, RawQuery: r.rawQuery,
			Headers: normalize(r, srv.URL, pageURL)})
	}
	markRedirects(fx.Requests)
	b, err := json.MarshalIndent(fx, "", "  ")
	if err != nil {
		return err
	}
	out := filepath.Join(outDir, "chromium-"+major[1]+".json")
	if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
		return err
	}
	log.Printf("%d requests written to %s", len(fx.Requests), out)
	return nil
}

// servePage lets the simulator answer the flow page (its authentik_csrf
// cookie and response headers, Referrer-Policy among them, matter to the
// browser) but replaces the body with the capture script.
func servePage(w http.ResponseWriter, r *http.Request, s *sim.Server) {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(rec.Code)
	_, _ = w.Write([]byte(strings.ReplaceAll(pageHTML, "{{user}}", user)))
}

// kind names a request as transport's browser tests do.
func kind(r recorded) string {
	switch {
	case strings.HasPrefix(r.path, "/if/flow/"):
		return "page"
	case strings.HasPrefix(r.path, "/api/v3/flows/executor/"):
		return "executor " + r.method
	case strings.HasPrefix(r.path, "/api/v3/flows/inspector/"):
		return "inspector " + r.method
	case strings.HasSuffix(r.path, "/execute/"):
		return "execute " + r.method
	}
	return ""
}

// markRedirects names the GET fetch follows after the POST's 302.
func markRedirects(reqs []Request) {
	for i := 1; i < len(reqs); i++ {
		if reqs[i].Kind == "executor GET" && reqs[i-1].Kind == "executor POST" {
			reqs[i].Kind = "executor GET after 302"
		}
	}
}

// normalize replaces the volatile parts of header values by placeholders.
func normalize(r recorded, origin, page string) map[string]string {
	h := map[string]string{"Host": "{host}"}
	host := strings.TrimPrefix(origin, "http://")
	var repl []string
	for _, c := range (&http.Request{Header: r.header}).Cookies() {
		switch c.Name {
		case sim.CSRFCookie:
			repl = append(repl, c.Value, "{csrf}")
		case sim.SessionCookie:
			repl = append(repl, c.Value, "{session}")
		}
	}
	repl = append(repl, page, "{page}", origin, "{origin}", host, "{host}")
	rp := strings.NewReplacer(repl...)
	names := make([]string, 0, len(r.header))
	for name := range r.header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		h[name] = rp.Replace(strings.Join(r.header[name], ", "))
	}
	if r.host != host {
		h["Host"] = r.host
	}
	return h
}

// pageHTML stands in for authentik's flow interface (web/src/flow/): its
// script makes the same API calls with the same fetch options. authentik
// versions differ in which middlewares run; this follows main as of the
// recording (web/src/common/api/client.ts aki(), the generated client
// @goauthentik/api, goauthentik/client-ts src/runtime.ts).
const pageHTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>browsercapture</title></head>
<body><pre id="result">running</pre>
<script>
"use strict";
// web/src/common/api/client.ts: basePath ` + "`${api.base}api/v3`" + `, api.base "/".
const basePath = "/api/v3";
// web/src/flow/FlowExecutor.ts: flowSlug is the third path segment, query
// is window.location.search.substring(1).
const flowSlug = window.location.pathname.split("/")[3];
const query = window.location.search.substring(1);

// web/src/common/utils.ts getCookie / web/src/common/api/csrf.ts.
function getCookie(name) {
  for (const part of document.cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return "";
}

// web/src/common/ui/locale/utils.ts formatAcceptLanguageHeader, with the
// source locale "en" as the hint (globalAK().locale of an English install).
function formatAcceptLanguageHeader(languageTag) {
  const [preferred, ...tags] = new Set([languageTag, ...(navigator.languages || []), "en", "*"]);
  const n = tags.length;
  return [preferred, ...tags.map((tag, i) => tag + ";q=" + ((n - i) / (n + 1)).toFixed(n > 9 ? 2 : 1))].join(", ");
}

// The generated client's BaseAPI.request (client-ts src/runtime.ts):
// createFetchParams builds {method, headers, body, credentials:
// configuration.credentials (undefined: fetch's default "same-origin")},
// then each middleware's pre() in the order of client.ts.
async function request(method, path, queryParams, headers, body) {
  let url = basePath + path;
  const qs = Object.keys(queryParams).map((k) => encodeURIComponent(k) + "=" + encodeURIComponent(String(queryParams[k]))).join("&");
  if (qs) url += "?" + qs; // runtime.ts querystring()
  const init = { method, headers: { ...headers }, body, credentials: undefined };
  // CSRFMiddleware (web/src/common/api/middleware.ts).
  init.headers = { ...init.headers, "X-authentik-CSRF": getCookie("authentik_csrf") };
  // EventMiddleware, LoggingMiddleware: post() only, no headers.
  // SentryMiddleware (web/src/common/sentry/middleware.ts): getTraceData()
  // is {} without a Sentry client, so both headers go out empty.
  init.headers = { ...init.headers, "baggage": "", "sentry-trace": "" };
  // LocaleMiddleware (web/src/common/api/middleware.ts).
  init.headers = { ...init.headers, "Accept-Language": formatAcceptLanguageHeader("en") };
  const resp = await fetch(url, init);
  const text = await resp.text();
  return resp.status + " " + (resp.redirected ? "(redirected) " : "") + text.slice(0, 80);
}

(async () => {
  const out = [];
  try {
    // FlowExecutor.ts firstUpdated: FlowsApi.flowsExecutorGet({flowSlug, query});
    // client-ts FlowsApi.flowsExecutorGetRequestOpts: no header parameters.
    out.push("executor GET " + await request("GET", "/flows/executor/" + encodeURIComponent(flowSlug) + "/", { query }, {}, undefined));
    // FlowExecutor.ts submit: flowsExecutorSolve({flowSlug, query,
    // flowChallengeResponseRequest}); flowsExecutorSolveRequestOpts sets
    // Content-Type application/json and the body is JSON.stringify'd.
    out.push("executor POST " + await request("POST", "/flows/executor/" + encodeURIComponent(flowSlug) + "/", { query },
      { "Content-Type": "application/json" }, JSON.stringify({ component: "ak-stage-identification", uid_field: "{{user}}" })));
    // web/src/flow/inspector/FlowInspector.ts: flowsInspectorGet({flowSlug})
    // on each flow advance while the inspector is open.
    out.push("inspector GET " + await request("GET", "/flows/inspector/" + encodeURIComponent(flowSlug) + "/", {}, {}, undefined));
    document.getElementById("result").textContent = "done\n" + out.join("\n");
  } catch (e) {
    document.getElementById("result").textContent = "error " + e + "\n" + out.join("\n");
  }
})();
</script>
</body></html>
`
