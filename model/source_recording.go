package model

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// NewOffline builds the model for a recording: read-only, or, with
// opts.Client, replayed against that client (see OfflineOptions).
func NewOffline(opts OfflineOptions) *Model {
	m := newRoot(opts.Options)
	if opts.Client != nil {
		m.src = newReplaySource(m, opts.Client, opts.Recording)
	} else {
		m.src = newRecordingSource(m, opts.Recording)
	}
	m.refreshRows()
	m.finishNew()
	if w := opts.Recording.Warnings; len(w) > 0 {
		m.setStatus("recording: "+strings.Join(w, "; "), true)
	}
	return m
}

// recordingSource is a recording opened read-only: the timeline lists its
// exchanges, each read from the file when selected, and the form shows,
// read-only, what was answered at the selected stage. Nothing is live:
// nothing can be sent, restarted or switched to, and L shows the last
// exchange.
type recordingSource struct {
	m *Model
	o *offlineState
}

func newRecordingSource(m *Model, rec *history.Recording) *recordingSource {
	s := &recordingSource{m: m, o: newOfflineState(m, rec)}
	m.timeline.SetLive(false)                        // its rows are all there: nothing to follow
	m.timeline.SetLiveHelp(lastExchange.Help().Desc) // nothing is live
	m.focus = focusTimeline
	return s
}

// init shows the first stage.
func (s *recordingSource) init() tea.Cmd {
	if len(s.o.stages) > 0 {
		s.m.timeline.Select(s.o.stages[0] + 1)
	}
	return s.m.timeTravel(s.m.timeline.SelectedID())
}

func (s *recordingSource) handle(msg tea.Msg) (tea.Cmd, bool) { return s.o.handle(msg) }
func (s *recordingSource) close()                             {}
func (s *recordingSource) rows() []views.ExchangeRow          { return s.o.visibleRows() }
func (s *recordingSource) idOffset() int                      { return 0 }
func (s *recordingSource) drain() []*transport.Exchange       { return nil }
func (s *recordingSource) flowBase() (string, error)          { return "", errReadOnly }
func (s *recordingSource) stepDone(*flow.Challenge) tea.Cmd   { return nil }
func (s *recordingSource) answerSent()                        {}
func (s *recordingSource) answerDropped(bool)                 {}
func (s *recordingSource) formKeys() bool                     { return false } // read-only
func (s *recordingSource) curl(id int) (tea.Cmd, bool)        { return s.o.curl(id) }
func (s *recordingSource) listed(views.ExchangeRow) bool      { return true }
func (s *recordingSource) state(string) string                { return "offline" }
func (s *recordingSource) prompt() prompt                     { return s.o.prompt() }
func (s *recordingSource) shortHelp() []key.Binding           { return s.o.shortHelp() }

// selectRow reads recorded row id, with the stage it belongs to for the
// form.
func (s *recordingSource) selectRow(id int) (tea.Cmd, bool) {
	i, ok := s.o.recordedIndex(id)
	if !ok {
		return nil, false
	}
	s.m.stopFollowing()
	return s.o.selectRecorded(i, true), true
}

// goLive is `L` without a live session: the last recorded exchange.
func (s *recordingSource) goLive() tea.Cmd {
	m := s.m
	m.timeline.SetLive(false)
	if n := m.timeline.Len(); n > 0 {
		m.timeline.SetLive(true) // moves the cursor to the newest row
		m.timeline.SetLive(false)
	}
	m.setStatus("nothing is live in a recording: showing its last exchange", false)
	return m.timeTravel(m.timeline.SelectedID())
}

func (s *recordingSource) inFlight() (time.Time, bool)            { return time.Time{}, false }
func (s *recordingSource) cancelRequest()                         {}
func (s *recordingSource) alert() string                          { return "" }
func (s *recordingSource) inspection() (*flow.Inspection, string) { return s.o.in, s.o.inErr }

// submitValues and submitRaw: the form of a recording shows what was
// answered; it sends nothing.
func (s *recordingSource) submitValues(map[string]string) tea.Cmd { return s.readOnly() }
func (s *recordingSource) submitRaw([]byte) tea.Cmd               { return s.readOnly() }

func (s *recordingSource) readOnly() tea.Cmd {
	s.m.setStatus(readOnlySubmit, true)
	return nil
}

// readOnlySubmit is what ctrl+s says in a recording.
const readOnlySubmit = "a recording is read-only: `akinspect open FILE --live` replays it against a server"

func (s *recordingSource) send(stepCall) tea.Cmd {
	s.m.setStatus("no live connection: nothing can be sent", true)
	return nil
}

func (s *recordingSource) startFlow(startMode, string, string) tea.Cmd {
	s.m.setStatus("no live connection: nothing to start", true)
	return nil
}

// key is the recording's key group; the session's keys (R, S, f, ctrl+s)
// say why they do nothing here, and esc has nothing to leave.
func (s *recordingSource) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	if cmd, ok := s.o.key(msg); ok {
		return cmd, true
	}
	m, k := s.m, s.m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		m.setStatus("", false) // nothing to leave: there is no live view
	case key.Matches(msg, k.Submit):
		m.setStatus(readOnlySubmit, true)
	case key.Matches(msg, k.Restart), key.Matches(msg, k.NewSession):
		return s.startFlow(startPlain, "", ""), true
	case key.Matches(msg, k.Flows):
		m.openOverlay(overlayFlows) // says why not
	default:
		return nil, false
	}
	return nil, true
}

// fullHelp: a recording alone has nothing to send or restart.
func (s *recordingSource) fullHelp() [][]key.Binding {
	k := s.m.keys
	return [][]key.Binding{
		{k.NextPane, k.PrevPane, k.Search, k.Editor},
		{lastExchange, offlineEsc, k.Help, k.Quit, k.ForceQuit},
		s.o.keyGroup(),
		k.viewGroup(),
	}
}

// hint fills an empty status line with what can be done here.
func (s *recordingSource) hint() (string, bool) {
	o := s.o
	switch {
	case o.loading:
		return "reading the recording…", true
	case o.warn != "":
		return "recording: " + o.warn, true
	}
	k := s.m.keys
	text := "recording (read-only): " + keyName(k.NextStage) + " / " + keyName(k.PrevStage) +
		" step through the stages · " + keyName(k.Search) + " searches every stored body"
	if o.hidden > 0 && !o.showHidden {
		text += " · " + keyName(k.Hidden) + " shows " + plural(o.hidden, "hidden request")
	}
	return text, true
}

// header names the recording and the flow and stage of the selection.
func (s *recordingSource) header(h *views.HeaderState) {
	s.o.headerForSelection(h)
	h.State = "offline · " + s.o.displayName()
}

// offlineEsc is what esc does with only a recording: nothing to cancel or
// leave but search hits.
var offlineEsc = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search hits"))

// lastExchange is what L does with only a recording: nothing is live.
var lastExchange = key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "last exchange"))
