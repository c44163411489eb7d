package model

import (
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

func TestMain(m *testing.M) {
	// Goldens and screen assertions compare text: no colour, fixed background.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// fixedNow is the clock of every test model.
var fixedNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// idleClient is a client that is never asked to send: its address is a
// closed loopback port, only shown in the header.
func idleClient(t testing.TB) *transport.Client {
	t.Helper()
	c, err := transport.New(transport.Config{BaseURL: "http://127.0.0.1:9", Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sized returns a model that has seen a window size.
func sized(t testing.TB, opts Options, w, h int) *Model {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	m := New(opts)
	m.update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func mustDecode(t testing.TB, body string) *flow.Challenge {
	t.Helper()
	c, err := flow.Decode([]byte(body))
	if err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return c
}

const executorURL = "http://127.0.0.1:9/api/v3/flows/executor/default-authentication-flow/?query="

func fakeExchange(id int, method, reqBody, respBody string, status int, component string) *transport.Exchange {
	x := &transport.Exchange{
		ID: id, Flow: "default-authentication-flow", Kind: transport.KindExecutor,
		Method: method, URL: executorURL, Status: status, Proto: "HTTP/1.1",
		RequestHeader:  http.Header{"Accept": {"application/json"}},
		ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		RequestBody:    []byte(reqBody), ResponseBody: []byte(respBody),
		BodySize: int64(len(respBody)), Start: fixedNow,
		Timing:    transport.Timing{Send: time.Millisecond, FirstByte: 11 * time.Millisecond, Total: 12 * time.Millisecond},
		Component: component,
		Jar:       []transport.Cookie{{Name: "authentik_session", Value: "s1", Domain: "127.0.0.1", Path: "/", HTTPOnly: true}},
	}
	if status == 302 {
		x.Flags = []string{transport.FlagRedirect}
		x.ResponseHeader.Set("Location", executorURL)
	}
	return x
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "ctrl+n":
		return tea.KeyMsg{Type: tea.KeyCtrlN}
	case "ctrl+p":
		return tea.KeyMsg{Type: tea.KeyCtrlP}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// press sends a key and then delivers what the panes answered with
// (SelectExchangeMsg, SubmitMsg, ...), as the runtime would. Commands are
// run one level deep only, so timers (cursor blink, spinner) end there.
func press(t testing.TB, m *Model, k string) {
	t.Helper()
	deliverPaneMsgs(m, m.update(keyMsg(k)))
}

func deliverPaneMsgs(m *Model, cmd tea.Cmd) {
	var msgs []tea.Msg
	var collect func(tea.Cmd)
	collect = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				collect(c)
			}
		case tea.Msg:
			msgs = append(msgs, msg)
		}
	}
	collect(cmd)
	for _, msg := range msgs {
		switch msg.(type) {
		case views.SubmitMsg, views.SubmitRawMsg, views.SelectExchangeMsg, views.LiveMsg, views.EditorMsg, views.StatusMsg:
			m.update(msg)
		}
	}
}

func typeText(m *Model, s string) {
	for _, r := range s {
		m.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// cmdRunner runs the leaves of a command tree in goroutines and collects
// their messages, as the Bubble Tea runtime would.
type cmdRunner struct {
	msgs chan tea.Msg
	wg   sync.WaitGroup
}

func newRunner() *cmdRunner { return &cmdRunner{msgs: make(chan tea.Msg, 64)} }

func (r *cmdRunner) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				r.run(c)
			}
			return
		}
		if msg != nil {
			r.msgs <- msg
		}
	}()
}

// waitFor returns the first message of type T; every other message goes
// to the model, and the commands it returns are run too.
func waitFor[T tea.Msg](t *testing.T, m *Model, r *cmdRunner) T {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case msg := <-r.msgs:
			if v, ok := msg.(T); ok {
				return v
			}
			r.run(m.update(msg))
		case <-deadline:
			var zero T
			t.Fatalf("no %T arrived", zero)
			return zero
		}
	}
}

// fixedBanner is a demo banner whose text never changes.
func fixedBanner(text string) func() string { return func() string { return text } }

// sessionExchanges is the session's exchanges the model holds whole (all
// of them when there is no archive).
func sessionExchanges(m *Model) []*transport.Exchange {
	out := make([]*transport.Exchange, 0, m.session.len())
	for _, e := range m.session.entries {
		if e.x != nil {
			out = append(out, e.x)
		}
	}
	return out
}
