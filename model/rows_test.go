package model

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

func inspectorExchange(id int) *transport.Exchange {
	x := fakeExchange(id, "GET", "", `{"plan":{"current_stage":{"name":"p"}},"is_completed":false}`, 200, "")
	x.Kind = transport.KindInspector
	x.URL = "http://127.0.0.1:9/api/v3/flows/inspector/default-authentication-flow/"
	return x
}

// With the inspector on, its read arrives after each step; the live
// timeline and the details must stay on the challenge just received.
func TestLiveSelectionSkipsInspectorReads(t *testing.T) {
	// #1 page, #2 identification, #3 inspector; #4 POST, #5 password, #6
	// inspector.
	run := loadSimRun(t, "login-inspected")
	m := run.model(t, Options{Inspector: true}, 120, 40)
	run.deliver(m, 0)
	m.update(exchangesMsg{xs: run.aside[0]})
	if id := m.timeline.SelectedID(); id != 2 || !m.timeline.Live() {
		t.Fatalf("live cursor on #%d (live %v), want the challenge #2", id, m.timeline.Live())
	}
	if m.shownID != 2 || !strings.Contains(m.details.View(), `"user_fields"`) {
		t.Fatalf("details show #%d:\n%s", m.shownID, m.details.View())
	}
	if !strings.Contains(m.timeline.View(), "inspector") {
		t.Fatalf("the inspector row is not listed as such:\n%s", m.timeline.View())
	}
	run.deliver(m, 1)
	m.update(exchangesMsg{xs: run.aside[1]})
	if id := m.timeline.SelectedID(); id != 5 || m.shownID != 5 {
		t.Fatalf("after the second step: cursor #%d, shown #%d, want #5", id, m.shownID)
	}
	// Time travel and back: L lands on the challenge, not the inspector.
	m.setFocus(focusTimeline)
	press(t, m, "k")
	press(t, m, "L")
	if id := m.timeline.SelectedID(); id != 5 || !m.followNewest || !m.timeline.Live() {
		t.Fatalf("L: cursor #%d live %v/%v, want #5 live", id, m.followNewest, m.timeline.Live())
	}
}

func TestRowsNameWhatEachRequestWasFor(t *testing.T) {
	page := fakeExchange(1, "GET", "", "<html>", 200, "")
	page.Kind = transport.KindPage
	exec := fakeExchange(2, "GET", "", "{}", 200, "")
	exec.Kind = transport.KindExecute
	post := fakeExchange(3, "POST", `{"component":"ak-stage-password","password":"x"}`, "", 302, "")
	hop := fakeExchange(4, "GET", "", "", 302, "")
	hop.Kind = transport.KindRedirect
	failed := fakeExchange(5, "POST", `{"component":"ak-stage-password"}`, "", 0, "")
	failed.Error = "connection refused"
	for _, c := range []struct {
		x    *transport.Exchange
		want string
	}{
		{page, "flow page"},
		{exec, "execute (token)"},
		{post, "→ password"},
		{hop, "redirect"},
		{inspectorExchange(6), "inspector"},
		{failed, "connection refused"}, // what went wrong comes first
	} {
		r := exchangeRow(c.x)
		if r.Note != c.want || r.Component != "" {
			t.Errorf("#%d %s: note %q component %q, want note %q", c.x.ID, c.x.Kind, r.Note, r.Component, c.want)
		}
	}
	if r := exchangeRow(inspectorExchange(7)); !r.Aside || !r.Dim {
		t.Error("an inspector row must be dimmed and never followed")
	}
}

// A recording's rows read the same way; a POST names the stage before it.
func TestRecordedRowsNameWhatEachRequestWasFor(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	var notes []string
	for i, r := range offlineOf(m).rows {
		if r.Component == "" && !offlineOf(m).isHidden[i] {
			notes = append(notes, r.Note)
		}
	}
	got := strings.Join(notes, ",")
	if !strings.Contains(got, "flow page") || !strings.Contains(got, "→ identification") {
		t.Fatalf("recorded notes: %q", got)
	}
	for _, n := range notes {
		if n == "" {
			t.Fatalf("a recorded row without component has no note: %q", got)
		}
	}
}

// In a live replay the recorded rows are context: dimmed.
func TestReplayDimsRecordedRows(t *testing.T) {
	rec, err := history.Open(cannedRecording(t))
	if err != nil {
		t.Fatal(err)
	}
	m := NewOffline(OfflineOptions{Recording: rec, Options: Options{Client: idleClient(t), Now: func() time.Time { return fixedNow }}})
	m.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	loadSimRun(t, "login").deliver(m, 0) // the live start: #11 page, #12 identification
	m.refreshRows()
	rows := m.src.rows()
	for _, r := range rows[:len(offlineOf(m).rows)-offlineOf(m).hidden] {
		if !r.Dim {
			t.Fatalf("recorded row #%d is not dimmed", r.ID)
		}
	}
	if last := rows[len(rows)-1]; last.Dim || last.ID != 12 {
		t.Fatalf("the live row #%d is dimmed (%v)", last.ID, last.Dim)
	}
}

func TestOfflineTimelineHelpSaysLastExchange(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	m.setFocus(focusTimeline)
	if strings.Contains(m.helpLine, "back to live") {
		t.Fatalf("offline help line: %q", m.helpLine)
	}
	for _, b := range m.timeline.ShortHelp() {
		if b.Help().Key == "L" && b.Help().Desc != "last exchange" {
			t.Fatalf("timeline's L help offline: %q", b.Help().Desc)
		}
	}
}

// transport.Label, which `akinspect run` prints, says what the timeline's label
// column says for each kind of exchange.
func TestRowLabelIsWhatTheTimelineShows(t *testing.T) {
	page := fakeExchange(1, "GET", "", "<html>", 200, "")
	page.Kind = transport.KindPage
	challenge := fakeExchange(2, "GET", "", identificationJSON, 200, flow.ComponentIdentify)
	post := fakeExchange(3, "POST", `{"component":"ak-stage-identification","uid_field":"a"}`, "", 302, "")
	direct := fakeExchange(4, "POST", `{"component":"ak-stage-password"}`, validateJSON, 200, "ak-stage-authenticator-validate")
	raw := fakeExchange(5, "POST", `x`, "", 400, "")
	other := fakeExchange(6, "GET", "", "", 302, "")
	cases := []struct {
		x    *transport.Exchange
		want string
	}{
		{page, "flow page"},
		{challenge, "identification"},
		{post, "→ identification"},
		{direct, "authenticator-validate"},
		{raw, "answer"},
		{other, "—"},
		{inspectorExchange(7), "inspector"},
	}
	m := sized(t, Options{Client: idleClient(t)}, 200, 40)
	for _, c := range cases {
		liveOf(m).ingest([]*transport.Exchange{c.x})
	}
	view := ansi.Strip(m.timeline.View())
	for _, c := range cases {
		got := transport.Label(c.x.Kind, c.x.Method, c.x.Component, c.x.RequestBody)
		if got != c.want {
			t.Errorf("#%d: Label %q, want %q", c.x.ID, got, c.want)
		}
		if !strings.Contains(view, fmt.Sprintf("%d %-4s %d %s", c.x.ID, c.x.Method, c.x.Status, got)) {
			t.Errorf("#%d: the timeline does not label it %q:\n%s", c.x.ID, got, view)
		}
	}
}

// A browser's HAR records a DRF 403 with no error text: its row is still
// an error row.
func TestAnHTTPRefusalIsAnErrorRow(t *testing.T) {
	row := summaryRow(history.Summary{Method: "GET", Status: 403, Kind: transport.KindInspector}, 1, "/api/v3/flows/inspector/x/", "")
	if !row.Error {
		t.Error("a 403 is not marked as an error")
	}
	if summaryRow(history.Summary{Method: "GET", Status: 302}, 2, "/", "").Error {
		t.Error("a 302 is marked as an error")
	}
}

func TestRedirectThatRotatesTheSessionIsMarked(t *testing.T) {
	x := &transport.Exchange{ID: 7, Method: "POST", URL: "http://127.0.0.1:9/api/v3/flows/executor/login/", Status: 302,
		Flags: []string{transport.FlagRedirect, transport.FlagSessionRotated}}
	row := exchangeRow(x)
	if !row.Redirect || !row.Rotated || row.Error {
		t.Fatalf("row marks = %+v", row)
	}
}

func TestCancelledExchangeIsAFailedRow(t *testing.T) {
	x := &transport.Exchange{ID: 3, Method: "POST", URL: "http://127.0.0.1:9/x/", Error: "request to 127.0.0.1:9 cancelled",
		Flags: []string{transport.FlagError, transport.FlagCancelled}}
	row := exchangeRow(x)
	if !row.Error || row.Status != 0 || row.Note != "cancelled: request to 127.0.0.1:9 cancelled" {
		t.Fatalf("row = %+v", row)
	}
}
