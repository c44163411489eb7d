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

// Open works out which runs of an older file began in a new session from
// the page GET's Cookie header and the jar before it, reading nothing else
// of the lines; it must find what the writer recorded.
func TestOpenFindsNewSessionsOfOlderFilesAsTheWriterRecordedThem(t *testing.T) {
	want, err := Open(writeManyRuns(t, 800, false))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Open(writeManyRuns(t, 800, true))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Flows) != 100 || len(want.Flows) != 100 {
		t.Fatalf("%d and %d runs, want 100", len(got.Flows), len(want.Flows))
	}
	fresh := 0
	for k := range want.Flows {
		if got.Flows[k].NewSession != want.Flows[k].NewSession {
			t.Errorf("run %d: new session %v, the writer recorded %v", k, got.Flows[k].NewSession, want.Flows[k].NewSession)
		}
		if want.Flows[k].NewSession {
			fresh++
		}
	}
	if fresh != 25 {
		t.Errorf("%d new sessions, want 25", fresh)
	}
}

// A jar change records the cookie's path; lines written before it was
// recorded (no "path") still read.
func TestJarChangesKeepThePathAndOldLinesStillRead(t *testing.T) {
	x := syntheticSession()[0]
	x.JarChanges = []transport.CookieChange{{Name: "sid", Domain: "auth.example", Path: "/api", Change: transport.ChangeAdded}}
	path := t.TempDir() + "/p" + Extension
	w, err := Create(path, Header{BaseURL: base}, WriterOptions{NoRedact: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(x); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	back, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := back.Exchange(0)
	if err != nil || len(e.JarChanges) != 1 || e.JarChanges[0].Path != "/api" {
		t.Fatalf("read back %+v (%v), want the path /api", e.JarChanges, err)
	}
	old, err := decodeExchangeLine([]byte(`{"type":"exchange","id":1,"flow":"f","kind":"page","method":"GET","url":"http://a/","status":200,"start":"2026-11-26T13:00:00Z","timing":{},"body_size":0,"request_headers":{},"jar":[],"jar_changes":[{"name":"sid","domain":"a","change":"added"}]}`))
	if err != nil || len(old.JarChanges) != 1 || old.JarChanges[0] != (transport.CookieChange{Name: "sid", Domain: "a", Change: transport.ChangeAdded}) {
		t.Fatalf("an old line: %+v (%v)", old, err)
	}
}
