package transport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/akinspect/akinspect/flow"
)

// expectation is what the chain of hops should end in.
type expectation int

const (
	expectPage       expectation = iota // the HTML interface page
	expectChallenge                     // an executor challenge
	expectJSON                          // execute endpoint: any JSON
	expectInspection                    // inspector: FlowInspection
)

// judge decodes a response and decides whether it is what the hop
// expected, setting Challenge, Component and flags on ex.
func judge(h hop, ex *Exchange) *Error {
	st := ex.Status
	if ex.Truncated {
		ex.addFlag(FlagTruncated)
	}
	if st >= 300 && st < 400 && st != http.StatusNotModified {
		ex.addFlag(FlagRedirect)
		loc := ex.ResponseHeader.Get("Location")
		if loc == "" {
			return errorf(ErrHTTP, st, "", "%s answered %d without a Location header", h.url.Path, st)
		}
		if _, err := url.Parse(loc); err != nil {
			return errorf(ErrHTTP, st, "", "%s answered %d with a Location that is not a URL: %q", h.url.Path, st, loc)
		}
		if h.hopsLeft <= 0 {
			return tooManyRedirects(h, st)
		}
		return nil
	}
	if st < 200 || st > 299 {
		return httpProblem(h, ex)
	}
	switch h.expect {
	case expectChallenge:
		return decodeChallenge(h, ex)
	case expectJSON, expectInspection:
		if err := checkJSON(h, ex); err != nil {
			return err
		}
		if h.expect == expectInspection {
			if _, err := flow.DecodeInspection(ex.ResponseBody); err != nil {
				return &Error{Kind: ErrNotJSON, Status: st, Err: err,
					Message: "the inspector answer is not a flow inspection: " + err.Error()}
			}
		}
	}
	return nil
}

func tooManyRedirects(h hop, status int) *Error {
	return errorf(ErrRedirects, status,
		"a proxy or login gateway may be redirecting in a loop; raise --max-redirects only if the chain is expected",
		"stopped after %d redirects (limit %d) at %s", h.maxRedirects, h.maxRedirects, withoutQuery(h.url))
}

// withoutQuery is u for a message: its query may hold a flow_token, and
// messages never carry secrets.
func withoutQuery(u *url.URL) string {
	short := *u
	short.RawQuery, short.ForceQuery, short.Fragment, short.User = "", false, "", nil
	return short.String()
}

func decodeChallenge(h hop, ex *Exchange) *Error {
	ch, err := flow.Decode(ex.ResponseBody)
	if err == nil {
		ex.Challenge, ex.Component = ch, ch.Component
		if len(ch.Raw) == len(ex.ResponseBody) {
			// Decode copied the body byte for byte: keep one copy.
			ex.ResponseBody = ch.Raw
		}
		if ch.Rejected() { // an email stage's "email-sent" is news, not a rejection
			ex.addFlag(FlagValidation)
		}
		return nil
	}
	if errors.Is(err, flow.ErrNoComponent) {
		return &Error{Kind: ErrNotJSON, Status: ex.Status, Err: err,
			Message: "JSON from " + h.url.Path + " has no component: it is not a flow challenge",
			Hint:    "check that the base URL points at authentik"}
	}
	return checkJSON(h, ex)
}

// checkJSON fails unless the body is complete JSON.
func checkJSON(h hop, ex *Exchange) *Error {
	body := ex.ResponseBody
	if ex.Truncated {
		return errorf(ErrTruncatedJSON, ex.Status, "raise --max-body if the response really is this large",
			"the response from %s (%d bytes or more, decoded) is over the body cap and was cut at %d bytes", h.url.Path, ex.BodySize, len(body))
	}
	var v any
	err := json.NewDecoder(bytes.NewReader(body)).Decode(&v)
	if err == nil {
		return nil
	}
	trimmed := bytes.TrimSpace(body)
	if errors.Is(err, io.ErrUnexpectedEOF) && len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return &Error{Kind: ErrTruncatedJSON, Status: ex.Status, Err: err,
			Message: fmt.Sprintf("the JSON from %s ends early, after %d bytes", h.url.Path, len(body)),
			Hint:    "the server or a proxy cut the response: check proxy buffering, body limits and timeouts"}
	}
	what := describeBody(ex)
	return &Error{Kind: ErrNotJSON, Status: ex.Status, Err: err,
		Message: fmt.Sprintf("expected JSON from %s, got %s", h.url.Path, what),
		Hint:    "check the base URL: a login proxy or another site may have answered instead of authentik"}
}

// describeBody names a body for an error: content type and HTML title.
func describeBody(ex *Exchange) string {
	ct := ex.ResponseHeader.Get("Content-Type")
	if ct == "" {
		ct = "no content type"
	}
	if ex.BodySize == 0 {
		return "an empty body (" + ct + ")"
	}
	if t := htmlTitle(ex.ResponseBody); t != "" {
		return fmt.Sprintf("%s titled %q", ct, t)
	}
	return fmt.Sprintf("%s starting %q", ct, preview(ex.ResponseBody, 60))
}

// htmlTitle is an HTML error page's title ("Not Found"), "" for others.
func htmlTitle(body []byte) string { return flow.HTMLTitle(body) }

func preview(b []byte, n int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// jsonDetail is DRF's {"detail": ...}, or "" when the body has none.
func jsonDetail(body []byte) string {
	var v struct {
		Detail any `json:"detail"`
	}
	if json.Unmarshal(body, &v) != nil || v.Detail == nil {
		return ""
	}
	if s, ok := v.Detail.(string); ok {
		return s
	}
	b, _ := json.Marshal(v.Detail)
	return string(b)
}

// httpProblem explains a non-2xx, non-redirect answer.
func httpProblem(h hop, ex *Exchange) *Error {
	st, path := ex.Status, h.url.Path
	status := fmt.Sprintf("%d %s", st, http.StatusText(st))
	detail := jsonDetail(ex.ResponseBody)
	withDetail := func(msg string) string {
		if detail != "" {
			return msg + ": " + detail
		}
		if t := htmlTitle(ex.ResponseBody); t != "" {
			return fmt.Sprintf("%s (page title %q)", msg, t)
		}
		return msg
	}
	switch {
	case st == http.StatusNotFound:
		return notFound(h, ex)
	case st == http.StatusForbidden || st == http.StatusUnauthorized:
		hint := "log in first in the same cookie jar, or use a token of a user allowed to do this"
		switch {
		case strings.Contains(detail, "CSRF"):
			hint = "Django's CSRF check refused it: a logged-in unsafe request needs the " + CSRFHeader + " header equal to the " +
				CSRFCookie + " cookie (load the /if/flow/ page first to get one), and an Origin (or over HTTPS a Referer) of authentik's own origin"
		case h.kind == KindExecute:
			hint = "check the token: it needs intent API, must not be expired, and its user must be allowed to see the flow"
		case h.kind == KindInspector:
			hint = "the inspector needs a superuser session or the permission authentik_flows.inspect_flow"
		}
		return errorf(ErrForbidden, st, hint, "%s", withDetail("authentik refused "+path+" with "+status))
	case st == http.StatusBadRequest && h.kind == KindInspector:
		return errorf(ErrHTTP, st, "start the flow first: the inspector reads the plan from the same session",
			"the inspector has no flow plan in this session yet (400)")
	case st == http.StatusTooManyRequests:
		return errorf(ErrHTTP, st, "authentik throttles anonymous API calls: wait a moment and retry",
			"%s", withDetail(path+" answered "+status))
	case st >= 500:
		return errorf(ErrServer, st, "check the authentik server log; a proxy error page means authentik itself may be down or restarting",
			"%s", withDetail("the server (or a proxy before it) answered "+path+" with "+status))
	}
	msg := withDetail(path + " answered " + status)
	if detail == "" && htmlTitle(ex.ResponseBody) == "" && len(ex.ResponseBody) > 0 {
		msg += ": " + preview(ex.ResponseBody, 200)
	}
	return errorf(ErrHTTP, st, "", "%s", msg)
}

// notFound says which of the usual causes a 404 has: a wrong slug, a
// missing trailing slash (authentik runs with APPEND_SLASH off), a missing
// inspector permission, or a wrong base URL prefix.
func notFound(h hop, ex *Exchange) *Error {
	path := h.url.Path
	if !strings.HasSuffix(path, "/") {
		return errorf(ErrNotFound, 404, "check the URL path ends with /",
			"authentik answered 404 for %s: the path has no trailing slash, which authentik requires", path)
	}
	switch h.kind {
	case KindInspector:
		return errorf(ErrNotFound, 404, "the inspector needs a superuser session or the permission authentik_flows.inspect_flow (or DEBUG); log in first in the same cookie jar",
			"the flow inspector for %q is not available to this session (404)", h.flow.slug)
	case KindRedirect:
		return errorf(ErrNotFound, 404, "the redirect points outside authentik's API or at a removed flow",
			"the redirect target %s answered 404", withoutQuery(h.url))
	}
	hint := "check the flow slug (Admin interface → Flows) and that the base URL includes any path prefix authentik is served under"
	if h.kind == KindExecute {
		hint = "check the flow slug, and that the token's user may see the flow"
	}
	return errorf(ErrNotFound, 404, hint, "no flow %q at %s: authentik answered 404 for %s", h.flow.slug, h.flow.base.String(), path)
}
