package sim

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// Cookie and header names from authentik/root/settings.py.
const (
	SessionCookie = "authentik_session"
	CSRFCookie    = "authentik_csrf"
	CSRFHeader    = "X-authentik-CSRF"
)

// session is the Django session: the plan, its history and the login.
// mu serialises requests of one session; the sessionStore guards key
// changes, elem and lastUsed.
type session struct {
	mu      sync.Mutex
	key     string
	user    *account // logged-in user (django.contrib.auth.login)
	plan    *plan
	history []historyEntry // inspector plans, serialised when each stage finished

	elem     *list.Element // in sessionStore.lru; nil once expired or evicted
	lastUsed time.Time
}

// SessionCount reports how many live sessions the server holds.
func (s *Server) SessionCount() int { return s.sessions.len() }

// lookupSession returns the locked session named by the request's cookie,
// or nil. A cookie whose session was rotated away no longer matches.
func (s *Server) lookupSession(r *http.Request) *session {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	sess := s.sessions.get(c.Value, s.now())
	if sess == nil {
		return nil
	}
	sess.mu.Lock()
	if sess.key != c.Value {
		sess.mu.Unlock()
		return nil
	}
	return sess
}

// newSession creates a locked, empty session and sets its cookie.
func (s *Server) newSession(w http.ResponseWriter, r *http.Request) *session {
	sess := &session{key: randomAlnum(32)}
	sess.mu.Lock()
	s.sessions.add(sess, s.now())
	setSessionCookie(w, r, sess.key)
	return sess
}

// sessionFor returns the request's locked session, creating one if needed.
func (s *Server) sessionFor(w http.ResponseWriter, r *http.Request) *session {
	if sess := s.lookupSession(r); sess != nil {
		return sess
	}
	return s.newSession(w, r)
}

// login is django.contrib.auth.login: it cycles the session key and rotates
// the CSRF token, so both cookies change. The caller holds sess.mu.
func (s *Server) login(w http.ResponseWriter, r *http.Request, sess *session, a *account) {
	s.sessions.rekey(sess, randomAlnum(32), s.now())
	sess.user = a
	setSessionCookie(w, r, sess.key)
	setCSRFCookie(w, r, newCSRFToken())
}

// sessionID is what the inspector shows: sha256 of the session key.
func (sess *session) sessionID() string {
	sum := sha256.Sum256([]byte(sess.key))
	return hex.EncodeToString(sum[:])
}

func isTLS(r *http.Request) bool { return r.TLS != nil }

// setSessionCookie: HttpOnly; SameSite=None; Secure over TLS, Lax otherwise;
// no Max-Age (SESSION_EXPIRE_AT_BROWSER_CLOSE).
func setSessionCookie(w http.ResponseWriter, r *http.Request, key string) {
	c := &http.Cookie{Name: SessionCookie, Value: key, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if isTLS(r) {
		c.SameSite, c.Secure = http.SameSiteNoneMode, true
	}
	http.SetCookie(w, c)
}
