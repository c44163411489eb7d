package transport

import (
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"
)

// authentik's cookie names (authentik/root/settings.py).
const (
	SessionCookie = "authentik_session"
	CSRFCookie    = "authentik_csrf"
	CSRFHeader    = "X-authentik-CSRF"
)

// cookieStore is the client's cookie jar. net/http/cookiejar decides which
// cookies a request carries, but it does not expose their attributes, so the
// store also keeps every cookie as set (domain, path, expiry, flags) for
// snapshots and cookie files.
type cookieStore struct {
	mu   sync.Mutex
	jar  *cookiejar.Jar
	kept map[CookieKey]Cookie
	// cached is the last snapshot, shared (read-only) by every exchange
	// until the store changes or its first cookie expires (staleAt).
	cached  []Cookie
	staleAt time.Time
	// quoted holds the keys whose value the jar keeps quoted (Set-Cookie
	// sent it in double quotes); our Cookie does not record quoting.
	quoted map[CookieKey]bool
}

// CookieKey is what identifies a cookie in a jar: its name, domain and
// path (RFC 6265 section 5.3, step 11). Two cookies that differ in any of
// them are two cookies.
type CookieKey struct{ Name, Domain, Path string }

// Key is c's CookieKey.
func (c Cookie) Key() CookieKey { return CookieKey{c.Name, c.Domain, c.Path} }

// Key is the CookieKey of the cookie ch is about.
func (ch CookieChange) Key() CookieKey { return CookieKey{ch.Name, ch.Domain, ch.Path} }

func newCookieStore() *cookieStore {
	s := &cookieStore{}
	s.reset()
	return s
}

func (s *cookieStore) reset() {
	jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jar, s.kept, s.cached, s.quoted = jar, map[CookieKey]Cookie{}, nil, nil
}

// forURL lists the cookies a request to u carries.
func (s *cookieStore) forURL(u *url.URL) []*http.Cookie {
	s.mu.Lock()
	jar := s.jar
	s.mu.Unlock()
	return jar.Cookies(u)
}

// value is the value of the named cookie a request to u would carry.
func (s *cookieStore) value(u *url.URL, name string) (string, bool) {
	return cookieValue(s.forURL(u), name)
}

func cookieValue(cs []*http.Cookie, name string) (string, bool) {
	for _, c := range cs {
		if c.Name == name {
			return c.Value, true
		}
	}
	return "", false
}

// setFromResponse stores the Set-Cookie headers of a response to u.
func (s *cookieStore) setFromResponse(u *url.URL, set []*http.Cookie, now time.Time) {
	if len(set) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.allUnchanged(u, set, now) {
		return
	}
	s.jar.SetCookies(u, set)
	for _, hc := range set {
		c, ok := fromSetCookie(u, hc, now)
		if !ok {
			continue
		}
		k := c.Key()
		if hc.Quoted {
			if s.quoted == nil {
				s.quoted = map[CookieKey]bool{}
			}
			s.quoted[k] = true
		} else {
			delete(s.quoted, k)
		}
		if !c.Expires.IsZero() && !c.Expires.After(now) {
			if _, had := s.kept[k]; had {
				delete(s.kept, k)
				s.cached = nil
			}
			continue
		}
		if old, had := s.kept[k]; !had || old != c {
			s.kept[k] = c
			s.cached = nil
		}
	}
}

// allUnchanged reports whether every cookie of set is a session cookie the
// jar already holds exactly as set (authentik repeats its session cookie on
// every response). Setting it again would change nothing the jar uses to
// pick or send cookies, so the jar's work is skipped. Cookies with an expiry
// always go to the jar: Max-Age moves their expiry forward.
func (s *cookieStore) allUnchanged(u *url.URL, set []*http.Cookie, now time.Time) bool {
	for _, hc := range set {
		c, ok := fromSetCookie(u, hc, now)
		if !ok || !c.Expires.IsZero() || hc.Quoted {
			return false
		}
		k := c.Key()
		if old, had := s.kept[k]; !had || old != c || s.quoted[k] {
			return false
		}
	}
	return true
}

// fromSetCookie applies RFC 6265's storage rules that decide domain, path
// and expiry; ok is false where the jar rejects the cookie too.
func fromSetCookie(u *url.URL, hc *http.Cookie, now time.Time) (Cookie, bool) {
	host := strings.ToLower(u.Hostname())
	c := Cookie{
		Name: hc.Name, Value: hc.Value, Path: hc.Path,
		Secure: hc.Secure, HTTPOnly: hc.HttpOnly, SameSite: sameSiteName(hc.SameSite),
	}
	domain := strings.TrimPrefix(strings.ToLower(hc.Domain), ".")
	switch {
	case domain == "" || domain == host:
		c.Domain, c.HostOnly = host, true
	case net.ParseIP(host) != nil:
		return Cookie{}, false // an IP host only takes host cookies
	case !strings.HasSuffix(host, "."+domain):
		return Cookie{}, false // not a domain of this host
	default:
		if ps, _ := publicsuffix.PublicSuffix(domain); ps == domain {
			return Cookie{}, false // a cookie for a whole TLD
		}
		c.Domain = domain
	}
	if c.Path == "" || c.Path[0] != '/' {
		c.Path = defaultPath(u.Path)
	}
	switch {
	case hc.MaxAge < 0:
		c.Expires = now.Add(-time.Second)
	case hc.MaxAge > 0:
		c.Expires = now.Add(time.Duration(hc.MaxAge) * time.Second)
	case !hc.Expires.IsZero():
		c.Expires = hc.Expires
	}
	return c, true
}

// defaultPath is RFC 6265 section 5.1.4: the request path up to its last /.
func defaultPath(p string) string {
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

func sameSiteName(m http.SameSite) string {
	switch m {
	case http.SameSiteLaxMode:
		return "Lax"
	case http.SameSiteStrictMode:
		return "Strict"
	case http.SameSiteNoneMode:
		return "None"
	}
	return ""
}

func sameSiteMode(s string) http.SameSite {
	switch strings.ToLower(s) {
	case "lax":
		return http.SameSiteLaxMode
	case "strict":
		return http.SameSiteStrictMode
	case "none":
		return http.SameSiteNoneMode
	}
	return http.SameSiteDefaultMode
}

// load puts cookies (from a cookie file) into the jar and the store.
func (s *cookieStore) load(cookies []Cookie, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cached = nil
	for _, c := range cookies {
		if !c.Expires.IsZero() && !c.Expires.After(now) {
			continue
		}
		scheme := "http"
		if c.Secure {
			scheme = "https"
		}
		u := &url.URL{Scheme: scheme, Host: c.Domain, Path: c.Path}
		hc := &http.Cookie{
			Name: c.Name, Value: c.Value, Path: c.Path, Expires: c.Expires,
			Secure: c.Secure, HttpOnly: c.HTTPOnly, SameSite: sameSiteMode(c.SameSite),
		}
		if !c.HostOnly {
			hc.Domain = c.Domain
		}
		s.jar.SetCookies(u, []*http.Cookie{hc})
		s.kept[c.Key()] = c
		delete(s.quoted, c.Key())
	}
}

// snapshot lists the cookies that have not expired, sorted by name, domain
// and path. The slice is shared: callers must not modify it.
func (s *cookieStore) snapshot(now time.Time) []Cookie {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached != nil && (s.staleAt.IsZero() || now.Before(s.staleAt)) {
		return s.cached
	}
	out := make([]Cookie, 0, len(s.kept))
	s.staleAt = time.Time{}
	for k, c := range s.kept {
		if !c.Expires.IsZero() && !c.Expires.After(now) {
			delete(s.kept, k)
			continue
		}
		if !c.Expires.IsZero() && (s.staleAt.IsZero() || c.Expires.Before(s.staleAt)) {
			s.staleAt = c.Expires
		}
		out = append(out, c)
	}
	sortCookies(out)
	s.cached = out
	return out
}

func sortCookies(cs []Cookie) {
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Domain != b.Domain {
			return a.Domain < b.Domain
		}
		return a.Path < b.Path
	})
}

// The jar as data: snapshots ([]Cookie, as Exchange.Jar holds them) and
// what the client, recordings and HAR import ask of them. A cookie is
// identified by its CookieKey.

// AppliesTo reports whether a browser would send c with a request to u at
// time at (RFC 6265 domain, path, Secure and expiry rules; a zero at does
// not expire anything), as the client's net/http/cookiejar does: a
// Secure cookie of localhost or a loopback address goes over http too,
// these being secure origins to browsers.
func (c Cookie) AppliesTo(u *url.URL, at time.Time) bool {
	host := strings.ToLower(u.Hostname())
	domain := strings.ToLower(strings.TrimPrefix(c.Domain, "."))
	if c.Secure && u.Scheme != "https" && !loopback(domain) {
		return false
	}
	if !c.Expires.IsZero() && !at.IsZero() && !c.Expires.After(at) {
		return false
	}
	if domain != "" && host != domain && (c.HostOnly || !strings.HasSuffix(host, "."+domain)) {
		return false
	}
	p := c.Path
	if p == "" || p == "/" {
		return true
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	return path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/")
}

// loopback: a cookie domain that is a secure origin over http, as
// net/http/cookiejar tells it (localhost, *.localhost, a loopback address).
func loopback(domain string) bool {
	d := strings.TrimSuffix(domain, ".")
	if d == "localhost" || strings.HasSuffix(d, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(domain)
	return err == nil && ip.IsLoopback()
}

// JarWith returns a new snapshot: jar with c in place of the cookie of the
// same name, domain and path, or with c added at the end. jar is not
// changed, so earlier snapshots stay as they were.
func JarWith(jar []Cookie, c Cookie) []Cookie {
	out := make([]Cookie, 0, len(jar)+1)
	out = append(out, jar...)
	for i := range out {
		if out[i].Key() == c.Key() {
			out[i] = c
			return out
		}
	}
	return append(out, c)
}

// JarWithout returns a new snapshot: jar without the cookie of c's name,
// domain and path.
func JarWithout(jar []Cookie, c Cookie) []Cookie {
	out := make([]Cookie, 0, len(jar))
	for _, old := range jar {
		if old.Key() != c.Key() {
			out = append(out, old)
		}
	}
	return out
}

// JarCookie is the cookie of jar that ch names.
func JarCookie(jar []Cookie, ch CookieChange) (Cookie, bool) {
	for _, c := range jar {
		if c.Key() == ch.Key() {
			return c, true
		}
	}
	return Cookie{}, false
}

// DiffJar lists what changed between two snapshots, in the order of after
// (added, changed), then removed cookies.
func DiffJar(before, after []Cookie) []CookieChange {
	if len(before) == len(after) && (len(after) == 0 || &before[0] == &after[0]) {
		return nil // the same snapshot: nothing changed
	}
	old := make(map[CookieKey]Cookie, len(before))
	for _, c := range before {
		old[c.Key()] = c
	}
	change := func(c Cookie, ch Change) CookieChange {
		return CookieChange{Name: c.Name, Domain: c.Domain, Path: c.Path, Change: ch}
	}
	var out []CookieChange
	seen := make(map[CookieKey]bool, len(after))
	for _, c := range after {
		k := c.Key()
		seen[k] = true
		prev, ok := old[k]
		switch {
		case !ok:
			out = append(out, change(c, ChangeAdded))
		case prev.Value != c.Value:
			out = append(out, change(c, ChangeChanged))
		}
	}
	for _, c := range before {
		if !seen[c.Key()] {
			out = append(out, change(c, ChangeRemoved))
		}
	}
	return out
}

// rotated reports whether the named cookie changed value in changes.
func rotated(changes []CookieChange, name string) bool {
	for _, ch := range changes {
		if ch.Name == name && ch.Change == ChangeChanged {
			return true
		}
	}
	return false
}
