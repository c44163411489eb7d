package flow

import (
	"encoding/json"
	"sort"
	"strings"
)

// Terminal components: nothing is posted back; the form explains the end.
func init() {
	register(
		Stage{Component: ComponentRedirect, Name: "Redirect", Terminal: true,
			Description: "The flow is done: the browser goes to `to`.",
			form: func(c *Challenge, f *Form) {
				f.Result = &Result{Outcome: OutcomeSuccess, Headline: "Flow finished", Message: c.String("to")}
			}},
		Stage{Component: ComponentAccessDenied, Name: "Access denied", Terminal: true,
			Description: "The flow stopped: a policy or stage denied access.",
			form: func(c *Challenge, f *Form) {
				f.Result = &Result{Outcome: OutcomeDenied, Headline: "Access denied", Message: c.String("error_message")}
			}},
		Stage{Component: ComponentFlowError, Name: "Flow error", Terminal: true,
			Description: "The server failed inside the flow (or refused the request: CSRF, token, media type).",
			form: func(c *Challenge, f *Form) {
				f.Result = &Result{Outcome: OutcomeError, Headline: "Flow error", Message: c.String("error"),
					Detail: c.String("traceback"), RequestID: c.String("request_id")}
				f.addContext("Request ID", c.String("request_id"))
			}},
		Stage{Component: ComponentSessionEnd, Name: "Session ended", Terminal: true,
			Description: "The user logged out of an application (provider end-session).",
			form:        sessionEndForm},
		Stage{Component: ComponentShell, Name: "HTML page", Terminal: true,
			Description: "The server answered with an HTML page instead of a challenge.",
			form: func(c *Challenge, f *Form) {
				f.Result = &Result{Outcome: OutcomeShell, Headline: "Server sent a page",
					Message: htmlTitle(c.String("body")), Detail: HTMLText(c.String("body"))}
			}},
		Stage{Component: ComponentAutosubmit, Name: "Auto-submit", Terminal: true,
			Description: "The browser posts a hidden form (SAML or OAuth form_post) to another URL.",
			form:        autosubmitForm},
		Stage{Component: ComponentDeviceDone, Name: "Device authorized", Terminal: true,
			Description: "The OAuth device-code login is complete; the device continues on its own.",
			form: func(c *Challenge, f *Form) {
				f.Result = &Result{Outcome: OutcomeSuccess, Headline: "Device authorized",
					Message: "The device can now fetch its token; this page may be closed."}
			}},
	)
}

func sessionEndForm(c *Challenge, f *Form) {
	app := c.String("application_name")
	msg := "You have been logged out"
	if app != "" {
		msg += " of " + app
	}
	var detail []string
	for _, kv := range [][2]string{
		{"Brand", c.String("brand_name")},
		{"Application URL", c.String("application_launch_url")},
		{"Log out of authentik", c.String("invalidation_flow_url")},
	} {
		if kv[1] != "" {
			detail = append(detail, kv[0]+": "+kv[1])
		}
	}
	f.Result = &Result{Outcome: OutcomeSessionEnd, Headline: "Session ended", Message: msg,
		Detail: strings.Join(detail, "\n")}
}

func autosubmitForm(c *Challenge, f *Form) {
	var attrs map[string]json.RawMessage
	_ = c.Get("attrs", &attrs)
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, 0, len(keys))
	for _, k := range keys {
		var s string
		if json.Unmarshal(attrs[k], &s) != nil {
			s = string(attrs[k])
		}
		lines = append(lines, k+"="+s)
	}
	f.addContext("Title", c.String("title"))
	f.Result = &Result{Outcome: OutcomeAutosubmit, Headline: "Browser form post",
		Message: c.String("url"), Detail: strings.Join(lines, "\n")}
}
