package model

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// liveSession is a live model on the simulator over real HTTP, recorded
// by the real writer, which is also the model's archive.
type liveSession struct {
	m      *Model
	client *transport.Client
	writer *history.Writer
	bodies int64 // bytes of the bodies the session sent and received
}

func startLiveSession(t *testing.T, opts ...func(*Options)) *liveSession {
	t.Helper()
	srv := httptest.NewServer(sim.New(sim.Options{Now: func() time.Time { return simClock }}))
	t.Cleanup(srv.Close)
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "long"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: srv.URL, Flow: "default-authentication-flow"}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	w.Observe(c.Recorder())
	t.Cleanup(func() { w.Close() })
	o := Options{Client: c, Archive: w}
	for _, f := range opts {
		f(&o)
	}
	m := New(o)
	m.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return &liveSession{m: m, client: c, writer: w}
}

// runUntil restarts the login and identifies as akadmin, as a person
// going back and forth between the first two stages would, until the
// session has n exchanges; the model takes each batch as its feed
// delivers it. (An unknown user would do, but the simulator pauses
// 90–210 ms on it, as authentik does.)
func (s *liveSession) runUntil(t *testing.T, n int) {
	t.Helper()
	ctx := context.Background()
	ident := flow.Answer{Component: flow.ComponentIdentify,
		Body: []byte(`{"component":"` + flow.ComponentIdentify + `","uid_field":"akadmin"}`)}
	for s.m.session.len() < n {
		for _, call := range []func() (*transport.Step, error){
			func() (*transport.Step, error) { return s.client.Start(ctx) },
			func() (*transport.Step, error) { return s.client.Submit(ctx, ident) },
		} {
			step, err := call()
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range step.Exchanges {
				s.bodies += int64(len(x.RequestBody) + len(x.ResponseBody))
			}
		}
		s.m.update(exchangesMsg{xs: s.m.src.drain()})
	}
}

func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// A live session of 20,000 exchanges holds summaries, not bodies: its heap
// grows from 2,000 to 20,000 exchanges by less than a fixed bound (a
// generous one; holding every exchange whole costs several times more),
// and every exchange can still be opened, read back from the recording.
func TestLiveSessionMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 exchanges over HTTP")
	}
	s := startLiveSession(t)
	s.runUntil(t, 2_000)
	before, bodiesBefore := heapAfterGC(), s.bodies
	s.runUntil(t, 20_000)
	after := heapAfterGC()
	grown, bodies := int64(after)-int64(before), s.bodies-bodiesBefore
	t.Logf("heap %d MiB at 2,000 exchanges, %d MiB at %d; the 18,000 between sent and received %d MiB of bodies",
		before>>20, after>>20, s.m.session.len(), bodies>>20)
	const bound = 16 << 20
	if grown > bound {
		t.Errorf("the heap grew by %d MiB over 18,000 exchanges, more than %d MiB: the session keeps what it should read back", grown>>20, bound>>20)
	}
	if whole := s.m.session.whole; whole < s.m.session.len()-2*keepWhole {
		t.Errorf("only %d of %d exchanges were let go to the archive", whole, s.m.session.len())
	}
	s.openEvery(t)
}

// openEvery loads every exchange of the session as the details pane, d and
// Y do, and checks it is the one its timeline row names.
func (s *liveSession) openEvery(t *testing.T) {
	t.Helper()
	for _, e := range s.m.session.entries {
		load, ok := s.m.session.loader(e.id)
		if !ok {
			t.Fatalf("exchange #%d has no loader", e.id)
		}
		x, err := load()
		if err != nil {
			t.Fatalf("exchange #%d: %v", e.id, err)
		}
		if x.ID != e.id || x.Component != e.component || x.Status != e.row.Status || (x.Status == 200 && len(x.ResponseBody) == 0) {
			t.Fatalf("exchange #%d read back as #%d %s %d (%d body bytes), want %s %d",
				e.id, x.ID, x.Component, x.Status, len(x.ResponseBody), e.component, e.row.Status)
		}
	}
}

// An exchange the model no longer holds is shown, copied as curl and
// compared as it is in the recording: read back in a command, with the
// recording's redaction, and the status line says where it came from.
func TestOldExchangesAreReadBackFromTheRecording(t *testing.T) {
	var clip []string
	s := startLiveSession(t, func(o *Options) {
		o.ClipboardFallback = func(text string) error { clip = append(clip, text); return nil }
	})
	s.m.session.keep = 4
	s.runUntil(t, 40)
	for deadline := time.Now().Add(10 * time.Second); !s.writer.Stored(s.m.session.entries[s.m.session.len()-1].sid); {
		if time.Now().After(deadline) { // a hang guard, not a speed check
			t.Fatal("the writer never stored the newest exchange")
		}
		time.Sleep(time.Millisecond) // the writer goroutine is behind
	}
	s.runUntil(t, s.m.session.len()+1) // the next batch lets the old ones go
	const old = 2                      // the first executor GET: identification
	if s.m.session.get(old) != nil {
		t.Fatalf("exchange #%d is still held whole (%d of %d let go)", old, s.m.session.whole, s.m.session.len())
	}

	s.m.timeline.Select(old)
	cmd := s.m.timeTravel(old)
	if body, _ := s.m.details.Shown(); s.m.shownID != old || len(body) != 0 {
		t.Fatalf("while #%d is read back, #%d is shown with %d body bytes: want its row's placeholder, no body",
			old, s.m.shownID, len(body))
	}
	collectMsgs(cmd, func(msg tea.Msg) { s.m.update(msg) })
	body, _ := s.m.details.Shown()
	if s.m.shownID != old || !strings.Contains(string(body), flow.ComponentIdentify) {
		t.Fatalf("after the read, #%d is shown with %q", s.m.shownID, body)
	}
	if !strings.Contains(s.m.status, "read back from the recording") {
		t.Errorf("status %q does not say where the exchange came from", s.m.status)
	}

	collectMsgs(s.m.copyCurl(), func(msg tea.Msg) { s.m.update(msg) })
	if len(clip) != 1 || !strings.Contains(clip[0], "/api/v3/flows/executor/default-authentication-flow/") ||
		!strings.Contains(clip[0], "authentik_csrf=") {
		t.Fatalf("curl of the archived exchange = %q", clip)
	}
	if strings.Contains(clip[0], s.client.Cookies()[0].Value) {
		t.Error("the curl of a read-back exchange carries a live cookie value: the recording is redacted")
	}
}

// A read that comes back after the person moved on is dropped.
func TestStaleReadBackIsDropped(t *testing.T) {
	s := startLiveSession(t)
	s.m.session.keep = 4
	s.runUntil(t, 20)
	s.m.followNewest = false
	s.m.timeline.Select(5)
	s.m.update(readBackMsg{id: 2, x: &transport.Exchange{ID: 2}})
	if s.m.shownID == 2 {
		t.Error("a read for #2 replaced what is shown although #5 is selected")
	}
}
