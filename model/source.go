package model

import (
	"context"
	"errors"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// A source is where what the screen shows comes from, and what may be
// done with it: a live session (source_live.go), a recording opened
// read-only (source_recording.go), or a recording stepped through again
// against a live server (source_replay.go). The root model owns what every
// mode shares — layout, focus, panes, status, overlays — and holds one
// source; whatever differs between the modes is a method of the source,
// never a check of which mode this is, so a key means what the source's
// key group and help say it means. A new mode (a diff of two recordings)
// is one more implementation.
//
// Sources are built with a pointer to the root model and work on its
// panes and status line, as gh-dash's sections work through the program
// context. Their methods run in Update only; I/O goes into commands.
type source interface {
	// init is the first command: start the flow, or show the first stage.
	init() tea.Cmd
	// handle takes the source's own messages (exchanges from the recorder,
	// file reads, searches, pre-fills); ok is false for any other message.
	handle(msg tea.Msg) (cmd tea.Cmd, ok bool)
	// close ends what the source started (the request in flight, the
	// recorder feed, a read).
	close()

	timelineSource
	formSource
	keySource
	diffSource // d and D (diff_source.go)
}

// timelineSource is what the timeline lists and how an exchange is loaded.
type timelineSource interface {
	// rows is everything the timeline lists, for a full refresh.
	rows() []views.ExchangeRow
	// idOffset is added to the IDs of exchanges the session makes (a
	// replay lists them after the recorded ones).
	idOffset() int
	// drain takes the exchanges the session completed and not yet
	// delivered; nil without a session.
	drain() []*transport.Exchange
	// selectRow loads timeline row id into the panes (time travel); ok is
	// false for a row the root shows from the session's exchanges.
	selectRow(id int) (cmd tea.Cmd, ok bool)
	// goLive is L: back to the newest exchange of the session.
	goLive() tea.Cmd
	// curl is Y on row id when the source holds that exchange (a
	// recording's, read in the command); ok is false for the session's.
	curl(id int) (cmd tea.Cmd, ok bool)
	// listed reports whether a row the session brought shows in the
	// timeline now (H hides the rows beside the flow).
	listed(r views.ExchangeRow) bool
	// inspection is the flow inspector's reading the Inspector tab shows
	// (the session's last, or the one recorded with the selection), and
	// why there is none; nil and "" leave the tab as it is.
	inspection() (in *flow.Inspection, errText string)
}

// formSource is what the form, and the session behind it, may do.
type formSource interface {
	// send runs a client call (an answer, a flow start), or says why
	// nothing can be sent.
	send(call stepCall) tea.Cmd
	// submitValues answers the live challenge with the form's values,
	// submitRaw with a body as it is.
	submitValues(values map[string]string) tea.Cmd
	submitRaw(body []byte) tea.Cmd
	// inFlight reports the request on its way and when it was sent; ok is
	// false when none is.
	inFlight() (sentAt time.Time, ok bool)
	// cancelRequest is esc while a request is in flight: it is dropped,
	// the live challenge stays.
	cancelRequest()
	// startFlow is R, S and f: the flow again, in a new session, or
	// another flow in this one.
	startFlow(mode startMode, slug, query string) tea.Cmd
	// flowBase is the base URL of the session a flow picked with f runs
	// in; the error says why there is none.
	flowBase() (string, error)
	// stepDone follows a new live challenge (the inspector, a pre-fill).
	stepDone(c *flow.Challenge) tea.Cmd
	// answerSent and answerDropped count answers on their way to the
	// server (a replay pre-fills the next recorded one).
	answerSent()
	answerDropped(restart bool)
	// formKeys reports whether the form's keys do anything (the help
	// leaves them out of a read-only form).
	formKeys() bool
	// state is the header's state once nothing is in flight, given the
	// flow's (idle, done, denied, error).
	state(flowState string) string
}

// keySource is the source's own key group, its help and status.
type keySource interface {
	// key handles the source's own keys before the root's; ok is false
	// for a key it leaves to the root.
	key(msg tea.KeyMsg) (cmd tea.Cmd, ok bool)
	// prompt is a text input of the source's that owns the keyboard and
	// the status line (the recording's search), nil when none is open.
	prompt() prompt
	// shortHelp is the root's part of the help line now.
	shortHelp() []key.Binding
	// fullHelp is the root's part of the `?` overlay.
	fullHelp() [][]key.Binding
	// hint fills an empty status line; ok is false to leave it to the
	// root.
	hint() (text string, ok bool)
	// alert is a lasting problem (the recording stopped) shown as an
	// error in an empty status line, before any hint; "" when none.
	alert() string
	// header adjusts the header (a recording's name and selected flow).
	header(s *views.HeaderState)
}

// prompt is a one-line input that takes every key while it is open and
// is drawn in place of the status line.
type prompt interface {
	key(msg tea.KeyMsg) tea.Cmd
	view() string
	help() []key.Binding
}

// stepCall is one call on the session's client: a start or an answer.
type stepCall func(context.Context, *transport.Client) (*transport.Step, error)

// sourceFor is the source of a model built by New: the live session, or,
// without a client, an empty recording (nothing to list or send).
func sourceFor(m *Model, opts Options) source {
	if opts.Client != nil {
		return newLiveSource(m, opts.Client)
	}
	return newRecordingSource(m, &history.Recording{})
}

// errReadOnly is why a recording starts no flow.
var errReadOnly = errors.New("a recording is read-only: there is no session to start a flow in")
