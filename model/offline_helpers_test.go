package model

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/views"
)

// openOffline opens a recording file in a sized offline model and shows
// its first stage, as the program would after Init.
func openOffline(t testing.TB, path string, w, h int) *Model {
	t.Helper()
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m := NewOffline(OfflineOptions{Recording: rec, Options: Options{Now: func() time.Time { return fixedNow }}})
	m.update(tea.WindowSizeMsg{Width: w, Height: h})
	settle(m, m.Init())
	return m
}

// settle runs a command synchronously and feeds the model the messages of
// the offline machinery (file reads, searches, pane requests), then the
// commands those return, until nothing is left. Timers are not run.
func settle(m *Model, cmd tea.Cmd) {
	for depth := 0; cmd != nil && depth < 20; depth++ {
		var next []tea.Cmd
		var run func(tea.Cmd)
		run = func(c tea.Cmd) {
			if c == nil {
				return
			}
			switch msg := c().(type) {
			case tea.BatchMsg:
				for _, c := range msg {
					run(c)
				}
			case offlineLoadedMsg, searchDoneMsg, prefillMsg, views.RenderedMsg,
				views.SelectExchangeMsg, views.LiveMsg, views.SubmitMsg:
				next = append(next, m.update(msg))
			}
		}
		run(cmd)
		cmd = tea.Batch(next...)
	}
}

// pressSettled presses a key and settles what it started.
func pressSettled(m *Model, k string) {
	settle(m, m.update(keyMsg(k)))
}

// collectMsgs runs a command tree synchronously and hands each message to
// fn. Only for commands that return at once (no timers).
func collectMsgs(cmd tea.Cmd, fn func(tea.Msg)) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			collectMsgs(c, fn)
		}
	default:
		fn(msg)
	}
}

// offlineOf is the recording browser of a recording or replay model.
func offlineOf(m *Model) *offlineState {
	switch s := m.src.(type) {
	case *recordingSource:
		return s.o
	case *replaySource:
		return s.o
	}
	panic("the model has no recording")
}

// liveOf is the session of a live or replay model.
func liveOf(m *Model) *liveSource {
	switch s := m.src.(type) {
	case *liveSource:
		return s
	case *replaySource:
		return s.liveSource
	}
	panic("the model has no session")
}

// replayOf is the source of a live replay model.
func replayOf(m *Model) *replaySource { return m.src.(*replaySource) }
