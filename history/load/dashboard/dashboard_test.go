package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// realSnapshot runs 20 load users × 5 iterations of a recorded login
// against the simulator, load3 with a wrong password, and fixes what
// depends on the clock (latencies, elapsed time, the port) so that the
// picture is the same on every run: the stages, counts, errors and
// messages are the real run's.
func realSnapshot(t *testing.T) load.Snapshot {
	t.Helper()
	s := sim.New(sim.Options{LoadUsers: 20})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	path := recordLogin(t, ts.URL)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	users := make([]load.User, 20)
	for i := range users {
		u := sim.LoadUser(i + 1)
		users[i] = load.User{Username: u.Username, Password: u.Password, TOTPSecret: u.TOTPSecret}
	}
	users[2].Password = "wrong"
	r, err := load.New(rec, load.Options{VUs: 20, Iterations: 5, Users: users, FailureDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	snap := r.Run(context.Background())
	return fixClock(snap)
}

// fixClock replaces every measured time with a fixed one derived from the
// stage's position.
func fixClock(s load.Snapshot) load.Snapshot {
	s.Target = "http://127.0.0.1:9000"
	s.Elapsed = 4200 * time.Millisecond
	fix := func(st *load.StageStats, k int) {
		base := time.Duration(k+2) * 700 * time.Microsecond
		st.Latency = load.Percentiles{P50: base, P90: base * 2, P95: base * 5 / 2, P99: base * 4, Max: base * 6, Mean: base * 3 / 2}
		st.TTFB = load.Percentiles{P50: base * 9 / 10, P90: base * 18 / 10, P95: base * 2, P99: base * 3, Max: base * 5, Mean: base}
		st.Transfer = load.Percentiles{P50: base / 20, P95: base / 10, P99: base / 8, Max: base / 5}
		st.Throughput = float64(st.Count) / s.Elapsed.Seconds()
		st.Series = nil
		for i := range 60 {
			st.Series = append(st.Series, base+time.Duration((i*7+k*3)%11)*base/10)
		}
		st.Buckets = nil
		for i := range 16 {
			n := int64(256 - (i-6)*(i-6)*7)
			st.Buckets = append(st.Buckets, load.Bucket{Upper: base / 4 * time.Duration(i+1), Count: max(n, 0) * st.Count / 256})
		}
	}
	for i := range s.Stages {
		fix(&s.Stages[i], i)
	}
	fix(&s.Iteration, len(s.Stages)+2)
	for i := range s.RecentErrors {
		s.RecentErrors[i].At = time.Duration(s.RecentErrors[i].Iteration) * 800 * time.Millisecond
		s.RecentErrors[i].Recording = filepath.Base(s.RecentErrors[i].Recording)
	}
	s.Recordings = nil
	return s
}

func recordLogin(t *testing.T, base string) string {
	t.Helper()
	c, err := transport.New(transport.Config{BaseURL: base, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "login.akinspect.jsonl")
	w, err := history.Create(path, history.Header{BaseURL: base, Flow: "default-authentication-flow"}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	ctx := context.Background()
	alice := sim.New(sim.Options{}).Users()[1]
	submit := func(component string, fields map[string]any, secrets ...string) {
		fields["component"] = component
		body, _ := json.Marshal(fields)
		if _, err := c.Submit(ctx, flow.Answer{Component: component, Body: body, Secrets: secrets}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	submit(flow.ComponentIdentify, map[string]any{"uid_field": alice.Username})
	submit(flow.ComponentPassword, map[string]any{"password": alice.Password}, "password")
	code, _ := flow.TOTP(alice.TOTPSecret, time.Now())
	submit(flow.ComponentValidate, map[string]any{"code": code}, "code")
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDashboardGolden(t *testing.T) {
	snap := realSnapshot(t)
	if snap.Failed != 5 || len(snap.Stages) != 4 {
		t.Fatalf("the run behind the golden changed: %d failed, %d stages", snap.Failed, len(snap.Stages))
	}
	for _, size := range []struct{ w, h, sel int }{{80, 24, 2}, {120, 40, 4}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			out := Render(snap, size.w, size.h, size.sel, "↑/↓ select a stage · ctrl+c stop and report")
			lines := strings.Split(out, "\n")
			if len(lines) != size.h {
				t.Errorf("%d lines, want %d", len(lines), size.h)
			}
			for i, l := range lines {
				if w := len([]rune(l)); w > size.w {
					t.Errorf("line %d is %d wide: %q", i+1, w, l)
				}
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

func TestDashboardKeysSelectAndStop(t *testing.T) {
	snap := fixClock(load.Snapshot{Flow: "f", Stages: []load.StageStats{{Name: "start"}, {Name: "password"}}})
	stopped := 0
	var m tea.Model = New(func() load.Snapshot { return snap }, func() { stopped++ })
	for _, k := range []tea.KeyType{tea.KeyDown, tea.KeyDown, tea.KeyDown, tea.KeyUp} {
		m, _ = m.Update(tea.KeyMsg{Type: k})
	}
	if got := m.(Model).selected; got != 1 {
		t.Errorf("selected %d after down×3, up, want 1", got)
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	if stopped != 1 || !strings.Contains(m.View(), "stopping") {
		t.Errorf("ctrl+c: stop called %d times, view %q", stopped, m.View())
	}
	final := snap
	final.Done = true
	if _, cmd := m.Update(doneMsg{final}); cmd == nil {
		t.Error("the end of the run does not quit the dashboard")
	}
}
