package sim

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// fakeClock is an Options.Now that tests move forward by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// atPassword starts the login flow and names the user, so the session
// holds a plan waiting at the password stage.
func atPassword(t *testing.T, c *client, username string) {
	t.Helper()
	c.start("default-authentication-flow", "")
	c.get()
	wantComponent(t, c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": username}), flow.ComponentPassword)
}

func TestIdleSessionExpiresAfterADay(t *testing.T) {
	clock := &fakeClock{now: fixedNow}
	s, ts := newSim(t, Options{Now: clock.Now})
	c := newClient(t, ts, false)
	atPassword(t, c, "bob")
	cookie := c.cookie(SessionCookie)

	// Each request restarts the idle clock: two 23-hour gaps keep the plan.
	for range 2 {
		clock.advance(23 * time.Hour)
		wantComponent(t, c.get(), flow.ComponentPassword)
	}
	if c.cookie(SessionCookie) != cookie {
		t.Fatal("a used session got a new cookie")
	}

	clock.advance(24*time.Hour + time.Second)
	wantComponent(t, c.get(), flow.ComponentIdentify) // the plan went with the session
	if c.cookie(SessionCookie) == cookie {
		t.Fatal("an expired session kept its cookie")
	}
	if n := s.SessionCount(); n != 1 {
		t.Fatalf("%d sessions, want only the fresh one", n)
	}
}

func TestIdleAnonymousSessionsDoNotAccumulate(t *testing.T) {
	clock := &fakeClock{now: fixedNow}
	s, ts := newSim(t, Options{Now: clock.Now})
	// Cookieless GETs, as a health check or a curl loop makes them.
	for range 5 {
		resp, err := http.Get(ts.URL + "/api/v3/flows/executor/default-authentication-flow/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if n := s.SessionCount(); n != 5 {
		t.Fatalf("%d sessions after 5 cookieless GETs", n)
	}
	clock.advance(25 * time.Hour)
	newClient(t, ts, false).start("default-authentication-flow", "").get()
	if n := s.SessionCount(); n != 1 {
		t.Fatalf("%d sessions a day later, want 1 (the idle ones expire)", n)
	}
}

func TestSessionCapEvictsTheLeastRecentlyUsed(t *testing.T) {
	clock := &fakeClock{now: fixedNow}
	s, ts := newSim(t, Options{Now: clock.Now})
	s.sessions.maxCount = 3
	tick := func() { clock.advance(time.Minute) }

	oldest, middle, newest := newClient(t, ts, false), newClient(t, ts, false), newClient(t, ts, false)
	for _, c := range []*client{oldest, middle, newest} {
		atPassword(t, c, "bob")
		tick()
	}
	wantComponent(t, oldest.get(), flow.ComponentPassword) // now middle is least recently used
	tick()
	newClient(t, ts, false).start("default-authentication-flow", "").get()

	if n := s.SessionCount(); n != 3 {
		t.Fatalf("%d sessions, want the cap of 3", n)
	}
	wantComponent(t, oldest.get(), flow.ComponentPassword)
	wantComponent(t, newest.get(), flow.ComponentPassword)
	wantComponent(t, middle.get(), flow.ComponentIdentify) // evicted: its plan is gone
}

func TestDefaultSessionCapIsTenThousand(t *testing.T) {
	s := New(Options{Now: func() time.Time { return fixedNow }})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	for range 10_001 {
		s.newSession(httptest.NewRecorder(), req).mu.Unlock()
	}
	if n := s.SessionCount(); n != 10_000 {
		t.Fatalf("%d sessions, want 10000", n)
	}
}

func TestLoginKeepsASessionEvictedWhileItsRequestRan(t *testing.T) {
	clock := &fakeClock{now: fixedNow}
	s, ts := newSim(t, Options{Now: clock.Now})
	s.sessions.maxCount = 1
	c := newClient(t, ts, false)
	atPassword(t, c, "bob")
	sess := s.sessions.get(c.cookie(SessionCookie), clock.Now())
	// Another client's session pushes this one out mid-request …
	newClient(t, ts, false).start("default-authentication-flow", "").get()
	// … and the login that request performs brings it back under its new key.
	sess.mu.Lock()
	s.login(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil), sess, s.accounts[0])
	sess.mu.Unlock()
	if got := s.sessions.get(sess.key, clock.Now()); got != sess {
		t.Fatal("the logged-in session is not reachable by its new key")
	}
	if n := s.SessionCount(); n != 1 {
		t.Fatalf("%d sessions, want 1", n)
	}
}
