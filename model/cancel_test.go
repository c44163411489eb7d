package model

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// blockingServer answers nothing until the request is cancelled.
func blockingServer(t *testing.T) *transport.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// startBusy starts the flow against a server that never answers.
func startBusy(t *testing.T) (*Model, *cmdRunner) {
	t.Helper()
	m := sized(t, Options{Client: blockingServer(t)}, 120, 40)
	r := newRunner()
	t.Cleanup(func() { m.quitNow() })
	r.run(m.Init())
	if !m.busy() || m.state() != "sending" {
		t.Fatalf("Init should start a request: busy=%v state=%q", m.busy(), m.state())
	}
	return m, r
}

func TestEscCancelsInFlightRequest(t *testing.T) {
	m, r := startBusy(t)
	m.update(keyMsg("esc"))
	if m.busy() {
		t.Fatal("esc did not cancel the request in flight")
	}
	if m.state() == "sending" {
		t.Fatal("the header still says sending after esc")
	}
	if m.status != "request cancelled" {
		t.Fatalf("status = %q, want it to say the request was cancelled", m.status)
	}
	// The aborted call comes back; it no longer changes the state, but its
	// exchange reaches the timeline as failed.
	done := waitFor[stepDoneMsg](t, m, r)
	if done.err == nil {
		t.Fatal("a cancelled request should end with an error")
	}
	m.update(done)
	if m.busy() || m.status != "request cancelled" {
		t.Fatalf("the late answer of a cancelled request changed the state: busy=%v status=%q", m.busy(), m.status)
	}
	if m.session.len() == 0 {
		t.Fatal("the cancelled exchange is missing from the timeline")
	}
	if last := sessionExchanges(m)[m.session.len()-1]; !exchangeRow(last).Error {
		t.Fatalf("the cancelled exchange is not marked failed: %+v", last)
	}
	// The session stays usable: R starts again.
	r.run(m.update(keyMsg("R")))
	if !m.busy() {
		t.Fatal("R after a cancel should send again")
	}
}

func TestQuitAsksWhileBusy(t *testing.T) {
	m, _ := startBusy(t)
	m.update(keyMsg("tab")) // away from the (empty) form
	m.update(keyMsg("q"))
	if m.quitting {
		t.Fatal("q quit at once while a request was in flight")
	}
	if m.overlay.kind != overlayQuit {
		t.Fatal("q while busy should ask first")
	}
	m.update(keyMsg("n"))
	if m.overlay.kind != overlayNone || m.quitting {
		t.Fatal("n should keep the session running")
	}
	m.update(keyMsg("ctrl+c"))
	if m.overlay.kind != overlayQuit {
		t.Fatal("ctrl+c while busy should ask first too")
	}
	m.update(keyMsg("y"))
	if !m.quitting {
		t.Fatal("y should quit")
	}
}

func TestQuitAtOnceWhenIdle(t *testing.T) {
	m := sized(t, Options{Client: idleClient(t)}, 120, 40)
	m.update(keyMsg("tab"))
	m.update(keyMsg("q"))
	if !m.quitting {
		t.Fatal("q when idle should quit without asking")
	}
}

func TestTransportErrorShowsInStatusAndTUIKeepsRunning(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more: connection refused
	c, err := transport.New(transport.Config{BaseURL: url, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	m := sized(t, Options{Client: c}, 120, 40)
	t.Cleanup(func() { m.quitNow() })
	r := newRunner()
	r.run(m.Init())
	m.update(waitFor[stepDoneMsg](t, m, r))
	if m.busy() {
		t.Fatal("still busy after the request failed")
	}
	if !m.statusErr || !strings.Contains(m.status, "refused") {
		t.Fatalf("status = %q, want a readable connection error", m.status)
	}
	if !strings.Contains(m.status, "—") {
		t.Fatalf("status = %q, want the transport's hint after the message", m.status)
	}
	if !strings.Contains(m.View(), "refused") {
		t.Fatal("the status line on screen does not show the error")
	}
	r.run(m.update(keyMsg("R")))
	if !m.busy() {
		t.Fatal("after an error the session should still restart")
	}
}
