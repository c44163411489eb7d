package dashboard

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// realSnapshot runs 20 load users × 5 iterations of a recorded login
// against the simulator, one account per login (an account takes one TOTP
// code per 30 s step), virtual user 3's with a wrong password, and fixes what
// depends on the clock (latencies, elapsed time, the port) so that the
// picture is the same on every run: the stages, counts, errors and
// messages are the real run's.
func realSnapshot(t *testing.T) load.Snapshot {
	t.Helper()
	s := sim.New(sim.Options{LoadUsers: 100})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	path := recordLogin(t, ts.URL)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	users := make([]load.User, 100)
	for i := range users {
		u := sim.LoadUser(i + 1)
		users[i] = load.User{Username: u.Username, Password: u.Password, TOTPSecret: u.TOTPSecret}
	}
	for k := range 5 {
		users[2+20*k].Password = "wrong" // virtual user 3's iteration k+1
	}
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
	real := s.Target
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
		s.RecentErrors[i].Exchange = fixExchange(s.RecentErrors[i].Exchange, real, s.Target)
	}
	s.Recordings = nil
	return s
}

// fixExchange puts the fixed target's port where the test server's was,
// and fixes the time and timings.
func fixExchange(e *transport.Exchange, from, to string) *transport.Exchange {
	if e == nil || from == "" {
		return e
	}
	from, to = strings.TrimPrefix(from, "http://"), strings.TrimPrefix(to, "http://")
	c := *e
	c.URL = strings.ReplaceAll(c.URL, from, to)
	fix := func(h http.Header) http.Header {
		out := http.Header{}
		for k, vs := range h {
			for _, v := range vs {
				out[k] = append(out[k], strings.ReplaceAll(v, from, to))
			}
		}
		if _, ok := out["Date"]; ok {
			out["Date"] = []string{"Thu, 26 Nov 2026 12:00:00 GMT"}
		}
		return out
	}
	c.RequestHeader, c.ResponseHeader = fix(c.RequestHeader), fix(c.ResponseHeader)
	c.RequestBody = []byte(strings.ReplaceAll(string(c.RequestBody), from, to))
	c.ResponseBody = []byte(strings.ReplaceAll(string(c.ResponseBody), from, to))
	c.Start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	c.Timing = transport.Timing{Send: 100 * time.Microsecond, FirstByte: 2 * time.Millisecond, Total: 2100 * time.Microsecond}
	return &c
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

// view drives the dashboard as a user does: a window size, then keys.
func view(snap load.Snapshot, w, h int, keys ...tea.KeyMsg) (Model, string) {
	var m tea.Model = New(func() load.Snapshot { return snap }, func() {})
	m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	for _, k := range keys {
		m, _ = m.Update(k)
	}
	return m.(Model), m.View()
}

var (
	keyDown  = tea.KeyMsg{Type: tea.KeyDown}
	keyUp    = tea.KeyMsg{Type: tea.KeyUp}
	keyTab   = tea.KeyMsg{Type: tea.KeyTab}
	keyEnter = tea.KeyMsg{Type: tea.KeyEnter}
	keyEsc   = tea.KeyMsg{Type: tea.KeyEsc}
)

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func TestDashboardGolden(t *testing.T) {
	snap := realSnapshot(t)
	if snap.Failed != 5 || len(snap.Stages) != 4 || len(snap.RecentErrors) != 5 || snap.RecentErrors[0].Exchange == nil {
		t.Fatalf("the run behind the golden changed: %d failed, %d stages, %d errors", snap.Failed, len(snap.Stages), len(snap.RecentErrors))
	}
	for _, c := range []struct {
		name string
		w, h int
		keys []tea.KeyMsg
	}{
		{"80x24", 80, 24, []tea.KeyMsg{keyDown, keyDown}},
		{"120x40", 120, 40, []tea.KeyMsg{keyDown, keyDown, keyDown, keyDown}},
		// The error list has the focus, the one before the newest selected.
		{"80x24-errors", 80, 24, []tea.KeyMsg{keyDown, keyDown, keyTab, keyUp}},
		{"120x40-errors", 120, 40, []tea.KeyMsg{keyTab, keyUp, keyUp, keyUp, keyUp}},
		// An error opened: its exchange in the details pane, the response
		// at 80x24, the request headers at 120x40.
		{"80x24-exchange", 80, 24, []tea.KeyMsg{keyTab, keyEnter}},
		{"120x40-exchange", 120, 40, []tea.KeyMsg{keyTab, keyUp, keyEnter, runes("3")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, out := view(snap, c.w, c.h, c.keys...)
			lines := strings.Split(out, "\n")
			if len(lines) != c.h {
				t.Errorf("%d lines, want %d", len(lines), c.h)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > c.w {
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
	if got := m.(Model).stage; got != 1 {
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

// failedLogin is a snapshot with two errors, each with the exchange it
// failed on.
func failedLogin() load.Snapshot {
	ex := func(id int, user string) *transport.Exchange {
		return &transport.Exchange{ID: id, Method: "POST", URL: "http://127.0.0.1:9000/api/v3/flows/executor/login/", Status: 200,
			RequestHeader:  http.Header{"Content-Type": {"application/json"}},
			RequestBody:    []byte(`{"component":"ak-stage-password","password":"«redacted:password»"}`),
			ResponseHeader: http.Header{"X-Served-For": {user}},
			ResponseBody:   []byte(`{"component":"ak-stage-password","response_errors":{"password":[{"string":"Invalid password for ` + user + `"}]}}`)}
	}
	return load.Snapshot{Flow: "login", Stages: []load.StageStats{{Name: "start"}, {Name: "password", Errors: 2}}, Failed: 2,
		RecentErrors: []load.ErrorEvent{
			{VU: 3, User: "load3", Iteration: 1, Stage: "password", Kind: load.ErrValidation, Message: "Invalid password", Exchange: ex(4, "load3")},
			{VU: 5, User: "load5", Iteration: 1, Stage: "password", Kind: load.ErrValidation, Message: "Invalid password", Exchange: ex(4, "load5")},
		}}
}

// An error is selected in the error list and opens in the details pane:
// the failed exchange's status, headers and body; esc goes back.
func TestDashboardOpensAnErrorsExchange(t *testing.T) {
	snap := failedLogin()
	m, out := view(snap, 100, 30, keyEnter)
	if m.details != nil {
		t.Fatal("enter opened an error while the stages had the focus")
	}
	if !strings.Contains(out, "tab errors") {
		t.Errorf("the help line does not say how to reach the errors:\n%s", out)
	}
	m, out = view(snap, 100, 30, keyTab)
	if !strings.Contains(out, "enter open its exchange") || !strings.Contains(out, "› ") {
		t.Errorf("the error list has the focus but the help or the selection does not show it:\n%s", out)
	}
	// The newest error is selected first; up selects the one before it.
	_, out = view(snap, 100, 30, keyTab, keyUp, keyEnter)
	for _, want := range []string{"#4 POST /api/v3/flows/executor/login/ → 200", "Invalid password for load3", "esc back"} {
		if !strings.Contains(out, want) {
			t.Errorf("the opened exchange lacks %q:\n%s", want, out)
		}
	}
	_, out = view(snap, 100, 30, keyTab, keyEnter, runes("4"))
	if !strings.Contains(out, "X-Served-For") || !strings.Contains(out, "load5") {
		t.Errorf("the response headers tab of the newest error:\n%s", out)
	}
	m, out = view(snap, 100, 30, keyTab, keyEnter, keyEsc)
	if m.details != nil || !strings.Contains(out, "errors (2 failed iterations)") || m.stopping {
		t.Errorf("esc did not go back to the dashboard (stopping %v):\n%s", m.stopping, out)
	}
}

// The run ending while an exchange is open does not take it away: the
// dashboard quits when the reader leaves it.
func TestDashboardWaitsForTheReaderAtTheEnd(t *testing.T) {
	snap := failedLogin()
	m, _ := view(snap, 100, 30, keyTab, keyEnter)
	final := snap
	final.Done = true
	next, cmd := m.Update(doneMsg{final})
	if cmd != nil {
		t.Fatal("the end of the run closed the opened exchange")
	}
	if !strings.Contains(next.View(), "the run is over") {
		t.Errorf("the end of the run is not shown:\n%s", next.View())
	}
	if _, cmd = next.Update(keyEsc); cmd == nil {
		t.Error("leaving the exchange after the end does not show the report")
	}
}

// Iterations waiting for a TOTP step are not running: the header says
// they wait, so a run that seems to stall explains itself.
func TestDashboardSaysWhoWaitsForATOTPStep(t *testing.T) {
	snap := fixClock(load.Snapshot{Flow: "f", Stages: []load.StageStats{{Name: "start"}}, TOTPWaiting: 10})
	var m tea.Model = New(func() load.Snapshot { return snap }, func() {})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m, _ = m.Update(tickMsg{})
	if v := m.View(); !strings.Contains(v, "10 waiting for a TOTP step") {
		t.Errorf("the header does not say who waits:\n%s", v)
	}
}

// esc only goes back: out of the opened exchange, then out of the error
// list, and pressed again on the dashboard it does not stop the run; q
// on the dashboard does.
func TestDashboardEscNeverStopsTheRun(t *testing.T) {
	snap := failedLogin()
	stopped := 0
	var m tea.Model = New(func() load.Snapshot { return snap }, func() { stopped++ })
	for _, k := range []tea.KeyMsg{keyTab, keyEnter, keyEsc, keyEsc, keyEsc} {
		m, _ = m.Update(k)
	}
	if d := m.(Model); stopped != 0 || d.stopping || d.details != nil || d.errorsFocused {
		t.Fatalf("esc×3 after opening an exchange: stop called %d times, view:\n%s", stopped, m.View())
	}
	if !strings.Contains(m.View(), "q stop and report") {
		t.Errorf("the help line does not say how to stop:\n%s", m.View())
	}
	m, _ = m.Update(runes("q"))
	if stopped != 1 || !strings.Contains(m.View(), "stopping") {
		t.Errorf("q on the dashboard: stop called %d times", stopped)
	}
}

// The error line above an opened exchange stays that exchange's error
// when the event leaves the ring of recent errors while it is read.
func TestOpenedExchangeKeepsItsErrorLine(t *testing.T) {
	snap := failedLogin()
	snap.RecentErrors = snap.RecentErrors[:1]
	var m tea.Model = New(func() load.Snapshot { return snap }, func() {})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, k := range []tea.KeyMsg{keyTab, keyEnter} {
		m, _ = m.Update(k)
	}
	if !strings.Contains(m.View(), "vu3 load3") {
		t.Fatalf("the opened exchange does not name its error:\n%s", m.View())
	}
	later := failedLogin()
	later.RecentErrors = later.RecentErrors[1:] // vu3's event left the ring
	snap = later
	m, _ = m.Update(tickMsg{})
	head := strings.SplitN(m.View(), "\n", 2)[0]
	if !strings.Contains(head, "vu3 load3") || strings.Contains(head, "load5") {
		t.Errorf("the opened exchange's error line now names another error: %q", head)
	}
}
