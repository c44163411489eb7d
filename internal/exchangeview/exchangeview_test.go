package exchangeview

import (
	"net/http"
	"testing"
	"time"

	"github.com/akinspect/akinspect/transport"
)

func TestExchangeDetailSortsHeadersAndMarksCookieChanges(t *testing.T) {
	x := &transport.Exchange{
		ID: 7, Method: "POST", URL: "http://127.0.0.1:9/api/v3/flows/executor/login/?query=next%3D%2F", Status: 302,
		RequestHeader: http.Header{"X-Authentik-Csrf": {"c1"}, "Accept": {"application/json"}, "Cookie": {"a=1", "b=2"}},
		Jar: []transport.Cookie{
			{Name: "authentik_session", Value: "new", Domain: "127.0.0.1", Path: "/", HTTPOnly: true, SameSite: "Lax"},
			{Name: "authentik_csrf", Value: "c1", Domain: "127.0.0.1", Path: "/"},
		},
		JarChanges: []transport.CookieChange{
			{Name: "authentik_session", Domain: "127.0.0.1", Change: transport.ChangeChanged},
			{Name: "authentik_device", Domain: "127.0.0.1", Change: transport.ChangeRemoved},
		},
	}
	d := Detail(x)
	if d.Title != "#7 POST /api/v3/flows/executor/login/?query=next%3D%2F → 302" {
		t.Errorf("title = %q", d.Title)
	}
	var names []string
	for _, h := range d.RequestHeaders {
		names = append(names, h.Name+"="+h.Value)
	}
	want := []string{"Accept=application/json", "Cookie=a=1", "Cookie=b=2", "X-Authentik-Csrf=c1"}
	if len(names) != len(want) {
		t.Fatalf("headers = %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("headers = %v, want %v (sorted, one row per value)", names, want)
		}
	}
	changes := map[string]string{}
	for _, c := range d.Cookies {
		changes[c.Name] = c.Change
	}
	if changes["authentik_session"] != "changed" || changes["authentik_csrf"] != "" || changes["authentik_device"] != "removed" {
		t.Fatalf("cookie changes = %v", changes)
	}
}

func TestTimingPhasesAreConsecutive(t *testing.T) {
	ms := time.Millisecond
	phases := timingPhases(transport.Timing{DNS: 2 * ms, Connect: 3 * ms, Send: 6 * ms, FirstByte: 20 * ms, Total: 25 * ms})
	want := []struct {
		name       string
		start, dur time.Duration
	}{
		{"DNS", 0, 2 * ms}, {"Connect", 2 * ms, 3 * ms}, {"Send", 5 * ms, ms},
		{"Wait (first byte)", 6 * ms, 14 * ms}, {"Receive", 20 * ms, 5 * ms}, {"Total", 0, 25 * ms},
	}
	if len(phases) != len(want) {
		t.Fatalf("phases = %+v", phases)
	}
	for i, w := range want {
		p := phases[i]
		if p.Name != w.name || p.Start != w.start || p.Duration != w.dur {
			t.Errorf("phase %d = %+v, want %+v", i, p, w)
		}
	}
}

func FuzzDisplayPath(f *testing.F) {
	f.Add("http://127.0.0.1:9/api/v3/flows/executor/x/?query=a%3Db")
	f.Add("::not a url")
	f.Add("")
	f.Fuzz(func(t *testing.T, raw string) {
		p := DisplayPath(raw)
		if raw != "" && p == "" {
			t.Fatalf("DisplayPath(%q) is empty", raw)
		}
	})
}

// Two cookies of one name on two paths are two cookies: a change of one
// marks only that one; a change recorded without a path (older files)
// still marks the cookie by name and domain.
func TestCookieRowsTellPathsApart(t *testing.T) {
	jar := []transport.Cookie{
		{Name: "authentik_session", Value: "a", Domain: "auth.example.com", Path: "/"},
		{Name: "authentik_session", Value: "b", Domain: "auth.example.com", Path: "/if/"},
	}
	rows := cookieRows(jar, []transport.CookieChange{{Name: "authentik_session", Domain: "auth.example.com", Path: "/if/", Change: transport.ChangeChanged}})
	for _, r := range rows {
		if (r.Change != "") != (r.Path == "/if/") {
			t.Errorf("row %s%s marked %q", r.Domain, r.Path, r.Change)
		}
	}
	rows = cookieRows(jar[:1], []transport.CookieChange{{Name: "authentik_session", Domain: "auth.example.com", Change: transport.ChangeAdded}})
	if rows[0].Change == "" {
		t.Error("a change recorded without a path no longer marks its cookie")
	}
}
