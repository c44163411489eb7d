package transport

import (
	"net/http"
	"testing"
)

// authentik repeats its session cookie on every response. The client skips
// the jar's work for a repeat, so these check that what the jar sends next
// is still exactly what a fresh Set-Cookie would make it send.
func TestRepeatedSetCookieKeepsWhatTheJarSends(t *testing.T) {
	f := newFakeAK(t)
	// Each GET answers with the next Set-Cookie line and records the
	// Cookie header it received.
	sets := []string{
		"sid=abc; Path=/",   // 1: new
		"sid=abc; Path=/",   // 2: repeat, nothing changes
		`sid="abc"; Path=/`, // 3: same value, now quoted
		`sid="abc"; Path=/`, // 4: quoted repeat
		"sid=abc; Path=/",   // 5: unquoted again
		"sid=xyz; Path=/",   // 6: new value
		"sid=xyz; Path=/",   // 7: repeat
	}
	var got []string
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Cookie"))
		if n := len(got); n <= len(sets) {
			w.Header().Add("Set-Cookie", sets[n-1])
		}
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL)
	for range len(sets) + 1 {
		if _, err := c.Challenge(bg()); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"", "sid=abc", "sid=abc", `sid="abc"`, `sid="abc"`, "sid=abc", "sid=xyz", "sid=xyz"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d sent Cookie %q, want %q (all: %q)", i+1, got[i], want[i], got)
		}
	}
	ex := c.Recorder().Exchanges()
	if ch, _ := findChange(ex[0].JarChanges, "sid"); ch != ChangeAdded {
		t.Errorf("first set: change %q", ch)
	}
	if len(ex[1].JarChanges) != 0 {
		t.Errorf("a repeat changed the jar: %+v", ex[1].JarChanges)
	}
	if ch, _ := findChange(ex[5].JarChanges, "sid"); ch != ChangeChanged {
		t.Errorf("new value: change %q", ch)
	}
}
