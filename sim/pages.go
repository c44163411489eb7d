package sim

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
)

// notFound is authentik's if/error.html for Http404 raised outside DRF.
func (s *Server) notFound(w http.ResponseWriter) {
	writeHTML(w, http.StatusNotFound, "Not Found", "<p>The requested URL was not found on this server.</p>")
}

// serveFlowPage is FlowInterfaceView: the shell page a browser loads first.
// It sets authentik_csrf (keeping a valid existing token, as Django does).
func (s *Server) serveFlowPage(w http.ResponseWriter, r *http.Request, f *flowDef) {
	token := newCSRFToken()
	if c, err := r.Cookie(CSRFCookie); err == nil && (len(c.Value) == 32 || len(c.Value) == 64) {
		token = c.Value
	}
	setCSRFCookie(w, r, token)
	api := executorPrefix + f.slug + "/?query=" + url.QueryEscape(r.URL.RawQuery)
	writeHTML(w, http.StatusOK, f.title, fmt.Sprintf(
		`<ak-flow-executor flowSlug="%s"></ak-flow-executor>
<noscript>This simulated authentik serves the flow API only: <code>%s</code></noscript>`,
		html.EscapeString(f.slug), html.EscapeString(api)))
}

// serveRoot is the landing page finished flows redirect to.
func (s *Server) serveRoot(w http.ResponseWriter, r *http.Request) {
	who := "You are not logged in."
	if sess := s.lookupSession(r); sess != nil {
		if sess.user != nil {
			who = "Logged in as " + html.EscapeString(sess.user.username) + "."
		}
		sess.mu.Unlock()
	}
	body := "<p>" + who + "</p>\n<ul>\n"
	for _, d := range s.Flows() {
		body += fmt.Sprintf(`<li><a href="/if/flow/%s/">%s</a></li>`+"\n", html.EscapeString(d.Slug), html.EscapeString(d.Title))
	}
	writeHTML(w, http.StatusOK, "authentik (simulated)", body+"</ul>")
}

// serveCancel is CancelView: drop the plan and go to next or /.
func (s *Server) serveCancel(w http.ResponseWriter, r *http.Request) {
	if sess := s.lookupSession(r); sess != nil {
		sess.plan = nil
		sess.mu.Unlock()
	}
	next := r.URL.Query().Get("next")
	if u, err := url.Parse(next); next == "" || err != nil || u.Host != "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusFound)
}

func writeHTML(w http.ResponseWriter, status int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>%s</title></head>\n<body>\n<h1>%s</h1>\n%s\n</body>\n</html>\n",
		html.EscapeString(title), html.EscapeString(title), body)
}
