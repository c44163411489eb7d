package transport

import (
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"

	"golang.org/x/net/publicsuffix"
)

// What AppliesTo says of a recorded cookie is what the client's jar did:
// for cookies set by hosts of every kind (a name, localhost, a subdomain
// of localhost, a loopback address) with and without Secure, Domain and
// Path, sent over http and https to paths in and out of the cookie's,
// AppliesTo and net/http/cookiejar agree. (A Secure cookie of localhost
// goes over http: the jar treats it as a secure origin, as browsers do.)
func TestCookieAppliesToSendsWhatTheJarSends(t *testing.T) {
	now := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	hosts := []string{"auth.example", "localhost", "app.localhost", "127.0.0.1"}
	for _, host := range hosts {
		for _, secure := range []bool{false, true} {
			for _, path := range []string{"", "/api", "/api/"} {
				for _, domain := range []string{"", host} {
					set := &http.Cookie{Name: "sid", Value: "1", Secure: secure, Path: path, Domain: domain}
					from := mustURL(t, "https://"+host+"/api/login")
					c, ok := fromSetCookie(from, set, now)
					jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
					jar.SetCookies(from, []*http.Cookie{set})
					for _, scheme := range []string{"http", "https"} {
						for _, p := range []string{"/", "/api", "/api/x", "/apifoo"} {
							to := mustURL(t, scheme+"://"+host+p)
							sent := len(jar.Cookies(to)) == 1
							if ok && c.AppliesTo(to, now) != sent {
								t.Errorf("%+v set by %s: AppliesTo(%s) = %v, the jar sends it: %v", c, from, to, !sent, sent)
							}
						}
					}
				}
			}
		}
	}
}
