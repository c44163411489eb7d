// Package model is akinspect's Bubble Tea root model. It owns the state of
// one session (the live challenge, every exchange, focus, overlays), routes
// messages to the panes in views/ and does all I/O in tea.Cmds that return
// messages.
package model

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// FlowChoice is one entry of the flow switcher.
type FlowChoice struct{ Slug, Title string }

// Options configures a live session.
type Options struct {
	// Client is the live data source; nil runs the screen without one (the
	// hook for offline recordings).
	Client *transport.Client
	// DemoFunc, when set, gives the demo banner's text, shown in an
	// overlay at start and on `b`. It is called each time the banner
	// opens, so that what it shows (a TOTP code) is current.
	DemoFunc func() string
	// RecordingPath is the file the session is recorded to, shown in the
	// header; "" when not recording.
	RecordingPath string
	// RecordingErr reports why the recording stopped (the writer's Err),
	// nil while it is fine. It is asked each time exchanges arrive, so it
	// must be cheap; nil when not recording.
	RecordingErr func() error
	// Flows feed the flow switcher (`f`).
	Flows []FlowChoice
	// Version is the schema generation answers are built for; "" guesses
	// from the first challenge.
	Version flow.Version
	Theme   *views.Theme
	// Inspector: an API token was given, so read the flow inspector after
	// every step.
	Inspector bool
	// Now is the clock (tests pin it); nil means time.Now.
	Now func() time.Time
}

// focusID names the pane that owns the keyboard.
type focusID int

const (
	focusTimeline focusID = iota
	focusDetails
	focusForm
	paneCount
)

// Model is the root model. Use it through a pointer: Update mutates it.
type Model struct {
	opts   Options
	client *transport.Client // nil: no live source
	theme  *views.Theme
	keys   KeyMap
	now    func() time.Time

	timeline *views.Timeline
	details  *views.Details
	form     *views.Form
	spinner  spinner.Model
	help     help.Model

	width, height int
	rects         layout
	frames        [paneCount]frameCache
	area          struct {
		key [3]string
		r   rect
		out string
	}
	focus   focusID
	overlay overlay

	feed      *feed
	exchanges []*transport.Exchange
	byID      map[int]*transport.Exchange
	shownID   int  // exchange shown in the details pane
	live      bool // details follow the newest exchange

	challenge *flow.Challenge
	answer    flow.Form // the form of the live challenge
	lastSent  map[string]string
	version   flow.Version
	host      string
	flowSlug  string
	stepNo    int

	seq           int
	cancel        context.CancelFunc // the request in flight; nil when none
	inspectCancel context.CancelFunc // the inspector read in flight
	sentAt        time.Time

	status    string
	statusErr bool
	helpLine  string // cached short help, rebuilt on focus or size change

	inspection *flow.Inspection
	inspectErr string
	recordErr  string // why the recording stopped; "" while it is fine

	quitting bool

	banner   string        // the demo banner's text as last opened
	offline  *offlineState // an opened recording; nil in a live session
	idOffset int           // added to live exchange IDs (after recorded rows)
}

// New builds the root model. It does no I/O; Init starts the flow.
func New(opts Options) *Model {
	th := opts.Theme
	if th == nil {
		th = views.NewTheme()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	m := &Model{
		opts:     opts,
		client:   opts.Client,
		theme:    th,
		keys:     DefaultKeyMap(),
		now:      now,
		timeline: views.NewTimeline(th),
		details:  views.NewDetails(th),
		form:     views.NewForm(th),
		spinner:  spinner.New(spinner.WithSpinner(spinner.Dot)),
		help:     help.New(),
		byID:     map[int]*transport.Exchange{},
		live:     true,
		version:  opts.Version,
		focus:    focusForm,
	}
	m.help.Styles.ShortKey = th.HelpKey
	m.help.Styles.ShortDesc = th.HelpDesc
	m.help.Styles.ShortSeparator = th.Faint
	m.help.Styles.Ellipsis = th.Faint
	if m.client != nil {
		cfg := m.client.Config()
		m.flowSlug = cfg.Flow
		m.host = hostOf(cfg.BaseURL)
		m.feed = newFeed(m.client.Recorder())
	}
	// Without a demo there is no banner: b does nothing and is not listed.
	m.keys.Banner.SetEnabled(opts.DemoFunc != nil)
	m.openBanner()
	m.overlay.start = m.overlay.kind == overlayBanner
	m.applyFocus()
	return m
}

// Init starts the flow and the exchange listener.
func (m *Model) Init() tea.Cmd {
	if m.offline != nil {
		return m.offlineInit()
	}
	if m.client == nil {
		return nil
	}
	return tea.Batch(m.feed.listen(), m.startFlow(startPlain, "", ""))
}

// Update routes each message to a small handler by its type.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	return m, m.update(msg)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg.Width, msg.Height)
	case tea.KeyMsg:
		cmd := m.handleKey(msg)
		m.rebuildHelpLine() // the focused pane's keys may have changed
		return cmd
	case tea.MouseMsg:
		cmd := m.handleMouse(msg)
		m.rebuildHelpLine()
		return cmd
	case spinner.TickMsg:
		return m.onSpinnerTick(msg)
	case stepDoneMsg:
		cmd := m.onStepDone(msg)
		m.rebuildHelpLine()
		return cmd
	case exchangesMsg:
		return m.onExchanges(msg)
	case inspectDoneMsg:
		return m.onInspectDone(msg)
	case views.SubmitMsg:
		return m.submitValues(msg.Values)
	case views.SubmitRawMsg:
		return m.submitRaw(msg.Body)
	case views.SelectExchangeMsg:
		return m.timeTravel(msg.ID)
	case views.LiveMsg:
		return m.goLive()
	case views.EditorMsg:
		return writeTempCmd(msg.Body, false)
	case editorReadyMsg:
		return m.onEditorReady(msg)
	case editorExitMsg:
		return readBackCmd(msg)
	case editorDoneMsg:
		return m.onEditorDone(msg)
	case quitMsg:
		return m.quitNow()
	case offlineLoadedMsg:
		return m.onOfflineLoaded(msg)
	case searchDoneMsg:
		return m.onSearchDone(msg)
	case prefillMsg:
		return m.onPrefill(msg)
	}
	// Anything else (blink ticks of text inputs, pane-internal messages)
	// belongs to the focused pane.
	return m.focusedPane().Update(msg)
}

// onSpinnerTick animates the spinner while a request is in flight; the
// tick chain stops by itself once nothing is being sent.
func (m *Model) onSpinnerTick(msg spinner.TickMsg) tea.Cmd {
	if !m.busy() {
		return nil
	}
	var cmd tea.Cmd
	m.spinner, cmd = m.spinner.Update(msg)
	return cmd
}

// setStatus shows text in the status line.
func (m *Model) setStatus(text string, isError bool) {
	m.status, m.statusErr = text, isError
}

// quitMsg asks the model to stop (from the quit confirmation).
type quitMsg struct{}

func (m *Model) quitNow() tea.Cmd {
	m.quitting = true
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.stopInspect()
	if m.feed != nil {
		m.feed.close()
	}
	return tea.Quit
}
