// Package dashboard is the live view of `akinspect load`: a row per stage
// with a sparkline of its latency, the latency histogram of the selected
// stage, the errors as they happen (select one to open the exchange it
// failed on in the details pane), elapsed and remaining time. Charts are
// drawn with github.com/NimbleMarkets/ntcharts (sparkline, barchart).
package dashboard

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/views"
)

// refresh is how often the dashboard reads the statistics.
const refresh = 250 * time.Millisecond

type tickMsg struct{}

type doneMsg struct{ snap load.Snapshot }

// Selection is what the dashboard has selected: a stage row (len(Stages)
// is the iteration row) and, while the error list has the focus, an
// error (an index into RecentErrors).
type Selection struct {
	Stage         int
	ErrorsFocused bool
	Error         int
}

// errorKey names an error event across refreshes: the ring of recent
// errors moves as new ones come, the virtual user's iteration does not.
type errorKey struct{ vu, iteration int }

// Model is the dashboard, a tea.Model. Source reads the statistics; Stop
// asks the run to stop (ctrl+c, or q on the dashboard).
type Model struct {
	Source func() load.Snapshot
	Stop   func()

	snap          load.Snapshot
	width, height int
	keys          keyMap
	stage         int  // index into stages, len(stages) is the iteration row
	errorsFocused bool // ↑/↓ move in the error list
	errSel        errorKey
	errPinned     bool // errSel names an event; else the newest is selected
	// details shows the exchange of the opened error (nil: none open);
	// opened is that error, kept: it may leave the ring while it is read.
	details  *views.Details
	opened   load.ErrorEvent
	th       *views.Theme
	stopping bool
	done     bool // the run ended while an exchange was open
}

type keyMap struct {
	Up, Down, Focus, Open, Back, Stop, Quit key.Binding
}

func newKeys() keyMap {
	return keyMap{
		Up:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "select")),
		Down:  key.NewBinding(key.WithKeys("down", "j")),
		Focus: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "stages/errors")),
		Open:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open its exchange")),
		// esc only ever goes back (out of the error list or the opened
		// exchange): pressed once too often it must not end the run.
		Back: key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back")),
		Stop: key.NewBinding(key.WithKeys("ctrl+c", "q"), key.WithHelp("ctrl+c", "stop and report")),
		Quit: key.NewBinding(key.WithKeys("ctrl+c", "q", "esc"), key.WithHelp("q", "show the report")),
	}
}

// New builds the dashboard on a statistics source.
func New(source func() load.Snapshot, stop func()) Model {
	return Model{Source: source, Stop: stop, snap: source(), width: 80, height: 24, keys: newKeys(), th: views.NewTheme()}
}

func tick() tea.Cmd { return tea.Tick(refresh, func(time.Time) tea.Msg { return tickMsg{} }) }

// Init starts the refresh.
func (m Model) Init() tea.Cmd { return tick() }

// Update handles refreshes, keys and resizes.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		m.snap = m.Source()
		return m, tick()
	case doneMsg:
		m.snap = msg.snap
		if m.details != nil {
			// Someone is reading an exchange: the report waits for them.
			m.done = true
			return m, nil
		}
		return m, tea.Quit
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		if m.details != nil {
			m.details.SetSize(detailsSize(m.width, m.height))
			return m, m.details.TakeRender()
		}
	case views.RenderedMsg:
		if m.details != nil {
			m.details.SetRendered(msg)
		}
	case tea.KeyMsg:
		if m.details != nil {
			return m.detailsKey(msg)
		}
		return m.dashboardKey(msg)
	}
	return m, nil
}

func (m Model) dashboardKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.Focus):
		m.errorsFocused = !m.errorsFocused
	case key.Matches(msg, k.Open) && m.errorsFocused:
		return m.open()
	case msg.String() == "esc":
		m.errorsFocused = false
	case key.Matches(msg, k.Stop):
		m.stop()
	}
	return m, nil
}

// detailsKey: the details pane has the keyboard (tabs, scrolling,
// search) except esc or q, which go back, and ctrl+c, which stops.
func (m Model) detailsKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case msg.String() == "ctrl+c":
		if m.done {
			return m, tea.Quit
		}
		m.stop()
		return m, nil
	case key.Matches(msg, m.keys.Back) && !m.details.CapturesKeys():
		m.details = nil
		if m.done {
			return m, tea.Quit
		}
		return m, nil
	}
	if msg.String() == "e" {
		return m, nil // the main TUI's $EDITOR key: nothing to hand it to here
	}
	cmd := m.details.Update(msg)
	return m, tea.Batch(cmd, m.details.TakeRender())
}

func (m *Model) stop() {
	if !m.stopping && m.Stop != nil {
		m.Stop()
	}
	m.stopping = true
}

// move steps the selection of the focused list.
func (m *Model) move(delta int) {
	if !m.errorsFocused {
		m.stage = min(max(m.stage+delta, 0), len(m.snap.Stages))
		return
	}
	errs := m.snap.RecentErrors
	if len(errs) == 0 {
		return
	}
	i := min(max(m.errorIndex()+delta, 0), len(errs)-1)
	m.errSel, m.errPinned = errorKey{errs[i].VU, errs[i].Iteration}, true
}

// errorIndex is the selected error's place in the ring: the pinned event
// while it is there, the newest otherwise.
func (m Model) errorIndex() int {
	errs := m.snap.RecentErrors
	if m.errPinned {
		for i, e := range errs {
			if (errorKey{e.VU, e.Iteration}) == m.errSel {
				return i
			}
		}
	}
	return len(errs) - 1
}

// open shows the selected error's exchange in the details pane. The
// pane lays a large body out in a command (SetAsyncAbove), not here.
func (m Model) open() (tea.Model, tea.Cmd) {
	i := m.errorIndex()
	if i < 0 {
		return m, nil
	}
	ev := m.snap.RecentErrors[i]
	m.errSel, m.errPinned = errorKey{ev.VU, ev.Iteration}, true
	d := views.NewDetails(m.th)
	d.SetAsyncAbove(asyncRenderAbove)
	d.SetSize(detailsSize(m.width, m.height))
	d.SetExchange(exchangeDetail(ev))
	d.Focus()
	m.details, m.opened = d, ev
	return m, d.TakeRender()
}

// asyncRenderAbove is the body size from which the details pane lays a
// body out in a command, as the main TUI does.
const asyncRenderAbove = 64 << 10

// View draws the dashboard, or the opened exchange, at the window size.
func (m Model) View() string {
	if m.details != nil {
		return m.detailsView()
	}
	sel := Selection{Stage: m.stage, ErrorsFocused: m.errorsFocused, Error: m.errorIndex()}
	return Render(m.snap, m.width, m.height, sel, m.status())
}

// status is the help line: the keys that work now.
func (m Model) status() string {
	if m.stopping {
		return "stopping: finishing the report…"
	}
	k := m.keys
	open := key.NewBinding(key.WithDisabled())
	if m.errorsFocused && len(m.snap.RecentErrors) > 0 {
		open = k.Open
	}
	focus := key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "errors"))
	if m.errorsFocused {
		focus = key.NewBinding(key.WithKeys("tab", "esc"), key.WithHelp("tab/esc", "stages"))
	}
	stop := key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "stop and report"))
	return helpLine(k.Up, open, focus, stop)
}

// helpLine joins the bindings' help as "key what · key what".
func helpLine(bs ...key.Binding) string {
	var parts []string
	for _, b := range bs {
		if h := b.Help(); b.Enabled() && h.Key != "" {
			parts = append(parts, h.Key+" "+h.Desc)
		}
	}
	return strings.Join(parts, " · ")
}

// Run shows the dashboard while the run runs; it returns the final
// statistics when the run ends (and no exchange is open) or after ctrl+c
// stopped it.
func Run(ctx context.Context, run *load.Run) (load.Snapshot, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan load.Snapshot, 1)
	p := tea.NewProgram(New(run.Snapshot, cancel), tea.WithAltScreen(), tea.WithContext(ctx))
	go func() {
		snap := run.Run(ctx)
		done <- snap
		p.Send(doneMsg{snap})
	}()
	_, err := p.Run()
	cancel() // the program ended (done, or killed): stop the run too
	snap := <-done
	if err != nil && ctx.Err() == nil {
		return snap, err
	}
	return snap, nil
}
