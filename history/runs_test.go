package history

import (
	"net/http"
	"testing"
	"time"

	"github.com/akinspect/akinspect/transport"
)

// Only cookies the page GET would have carried make a cookie-less page GET
// a new session; otherwise a plain restart would lose the login on replay.
func TestNewSessionNeedsCookiesThePageWouldHaveSent(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	page := func(url string, cookie string) *transport.Exchange {
		h := http.Header{}
		if cookie != "" {
			h.Set("Cookie", cookie)
		}
		return &transport.Exchange{Kind: transport.KindPage, Method: "GET", URL: url, RequestHeader: h, Start: at}
	}
	session := transport.Cookie{Name: "authentik_session", Value: "v", Domain: "auth.example", Path: "/", HostOnly: true}
	secure := session
	secure.Secure = true
	expired := session
	expired.Expires = at.Add(-time.Minute)
	other := session
	other.Domain = "elsewhere.example"
	parent := session
	parent.Domain, parent.HostOnly = "example", false
	deep := session
	deep.Path = "/api/"
	cases := []struct {
		name string
		page *transport.Exchange
		jar  []transport.Cookie
		want bool
	}{
		{"emptied jar", page("https://auth.example/if/flow/x/", ""), []transport.Cookie{session}, true},
		{"cookies sent", page("https://auth.example/if/flow/x/", "authentik_session=v"), []transport.Cookie{session}, false},
		{"empty jar before", page("https://auth.example/if/flow/x/", ""), nil, false},
		{"secure cookie over http", page("http://auth.example/if/flow/x/", ""), []transport.Cookie{secure}, false},
		{"expired cookie", page("https://auth.example/if/flow/x/", ""), []transport.Cookie{expired}, false},
		{"another host", page("https://auth.example/if/flow/x/", ""), []transport.Cookie{other}, false},
		{"domain cookie of a parent", page("https://auth.example/if/flow/x/", ""), []transport.Cookie{parent}, true},
		{"cookie for another path", page("https://auth.example/if/flow/x/", ""), []transport.Cookie{deep}, false},
	}
	for _, c := range cases {
		if got := startsNewSession(c.page, c.jar); got != c.want {
			t.Errorf("%s: new session = %v, want %v", c.name, got, c.want)
		}
	}
	notPage := page("https://auth.example/api/v3/flows/executor/x/", "")
	notPage.Kind = transport.KindExecutor
	if startsNewSession(notPage, []transport.Cookie{session}) {
		t.Error("an executor call without cookies counts as a new session")
	}
}
