// Package model is akinspect's Bubble Tea root model. The root (Model)
// owns what every mode shares — layout, focus, the panes of views/, the
// status line, overlays, the flow shown in the form — and routes messages
// and keys; what differs between a live session, a recording and a live
// replay of one is a source (source.go), one value the root holds. All I/O
// and every costly rendering runs in tea.Cmds that return messages.
package model

import (
	"io"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
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
	// Client is the live session; nil shows an empty recording (NewOffline
	// opens real ones).
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
	// TOTPSecret (--totp-secret) pre-fills the code field of TOTP stages
	// with the current code; "" leaves them empty.
	TOTPSecret string
	// DemoTOTPSecret gives the TOTP secret of a user of the demo's
	// simulator ("" when the user has none): the code field's note shows
	// the pending user's current code. nil outside the demo.
	DemoTOTPSecret func(user string) string
	// Now is the clock (tests pin it); nil means time.Now.
	Now func() time.Time
	// Clipboard receives the OSC 52 sequence that copies text (y, Y): the
	// program's output. nil writes none.
	Clipboard io.Writer
	// ClipboardFallback copies text to the system clipboard as well (a
	// clipboard library); nil when there is none.
	ClipboardFallback func(text string) error
	// Archive holds the live session's exchanges once written (the
	// recording, or a spill file): the model keeps the newest whole and
	// reads older ones back from it. nil keeps every exchange in memory.
	Archive Archive
	// KeyOverrides gives actions other keys (the config's [keys] table:
	// action name → keys; see KeyMap.Override and CheckKeyOverrides).
	KeyOverrides map[string][]string
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
	opts  Options
	src   source // where the exchanges come from; see source.go
	theme *views.Theme
	keys  KeyMap
	now   func() time.Time

	timeline *views.Timeline
	details  *views.Details
	form     *views.Form
	spinner  spinner.Model
	help     help.Model

	width, height int
	rects         layout
	focus         focusID
	zoomed        bool // the focused pane fills the body (z)
	overlay       overlay
	palette       *list.Model // the command palette while it is open (:)
	diff          diffState   // m's mark and the diff view (diff.go)

	session *sessionLog // the session's exchanges, as they arrived
	shownID int         // exchange shown in the details pane
	// followNewest: the details pane shows each newest exchange of the
	// session as it arrives; picking a row (time travel) ends it, L
	// resumes it.
	followNewest bool

	challenge *flow.Challenge
	answer    flow.Form // the form of the live challenge
	version   flow.Version
	host      string
	flowSlug  string
	stepNo    int

	status    string
	statusErr bool
	helpLine  string // cached short help, rebuilt on focus or size change

	quitting bool

	banner string // the demo banner's text as last opened
}

// asyncRenderAbove: bodies larger than this are laid out in a command
// while the details pane shows a placeholder; smaller ones (a challenge is
// a few KiB) take well under a millisecond and show at once.
const asyncRenderAbove = 64 << 10

// New builds the root model of a live session. It does no I/O; Init
// starts the flow.
func New(opts Options) *Model {
	m := newRoot(opts)
	m.src = sourceFor(m, opts)
	m.finishNew()
	return m
}

// newRoot builds everything but the source.
func newRoot(opts Options) *Model {
	th := opts.Theme
	if th == nil {
		th = views.NewTheme()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	m := &Model{
		opts:         opts,
		theme:        th,
		keys:         DefaultKeyMap(),
		now:          now,
		timeline:     views.NewTimeline(th),
		details:      views.NewDetails(th),
		form:         views.NewForm(th),
		spinner:      spinner.New(spinner.WithSpinner(spinner.Dot)),
		help:         help.New(),
		session:      newSessionLog(opts.Archive),
		followNewest: true,
		version:      opts.Version,
		focus:        focusForm,
	}
	m.help.Styles.ShortKey = th.HelpKey
	m.help.Styles.ShortDesc = th.HelpDesc
	m.help.Styles.ShortSeparator = th.Faint
	m.help.Styles.Ellipsis = th.Faint
	m.details.SetAsyncAbove(asyncRenderAbove)
	m.applyKeyOverrides()
	return m
}

// finishNew opens the demo banner and gives the focused pane the keyboard,
// once the source is set.
func (m *Model) finishNew() {
	// Without a demo there is no banner: b does nothing and is not listed.
	m.keys.Banner.SetEnabled(m.opts.DemoFunc != nil)
	m.openBanner()
	m.overlay.start = m.overlay.kind == overlayBanner
	m.applyFocus()
}

// Init is the source's first command: start the flow, or show the first
// stage of a recording.
func (m *Model) Init() tea.Cmd {
	cmd := m.src.init()
	return tea.Batch(cmd, m.details.TakeRender())
}

// Update routes each message to a small handler by its type. A details
// tab that became too large to lay out here is laid out by a command.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	return m, m.update(msg)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	cmd := m.route(msg)
	if render := m.details.TakeRender(); render != nil {
		return tea.Batch(cmd, render)
	}
	return cmd
}

func (m *Model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return tea.Batch(m.resize(msg.Width, msg.Height), m.relayoutDiff())
	case tea.KeyMsg:
		cmd := m.handleKeys(msg)
		m.rebuildHelpLine() // the focused pane's keys may have changed
		return cmd
	case tea.MouseMsg:
		cmd := m.handleMouse(msg)
		m.rebuildHelpLine()
		return cmd
	case spinner.TickMsg:
		return m.onSpinnerTick(msg)
	case views.RenderedMsg:
		m.details.SetRendered(msg)
		return nil
	case views.SubmitMsg:
		return m.submitValues(msg.Values)
	case views.SubmitRawMsg:
		return m.submitRaw(msg.Body)
	case views.SelectExchangeMsg:
		return m.timeTravel(msg.ID)
	case readBackMsg:
		m.showReadBack(msg)
		return nil
	case views.LiveMsg:
		return m.goLive()
	case views.EditorMsg:
		return writeTempCmd(msg.Body, false)
	case views.StatusMsg:
		m.setStatus(msg.Text, msg.Err)
		return nil
	case totpTickMsg:
		return m.onTOTPTick(msg)
	case copiedMsg:
		m.onCopied(msg)
		return nil
	case editorReadyMsg:
		return m.onEditorReady(msg)
	case editorExitMsg:
		return readBackCmd(msg)
	case editorDoneMsg:
		return m.onEditorDone(msg)
	case quitMsg:
		return m.quitNow()
	}
	if cmd, ok := m.handleDiff(msg); ok {
		return cmd
	}
	if cmd, ok := m.src.handle(msg); ok {
		return cmd
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
	m.src.close()
	return tea.Quit
}
