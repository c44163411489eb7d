package model

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// The flow switcher (`f`): a text input for a flow slug or a flow URL of
// this host, and the known flows (demo) listed below it. Either way the
// flow starts in this session, with the cookie jar kept.

func newFlowInput() textinput.Model {
	in := textinput.New()
	in.Prompt = "> "
	in.Placeholder = "flow slug or https://host/if/flow/<slug>/?next=…"
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Focus()
	return in
}

// openFlowPicker opens the switcher with the current flow marked.
func (m *Model) openFlowPicker() {
	if _, err := m.src.flowBase(); err != nil {
		m.setStatus(err.Error(), true)
		return
	}
	m.overlay = overlay{kind: overlayFlows, input: newFlowInput()}
	m.overlay.input.Width = max(20, min(m.width-12, 70))
	for i, f := range m.opts.Flows {
		if f.Slug == m.flowSlug {
			m.overlay.cursor = i
		}
	}
}

func (m *Model) flowPickerKey(msg tea.KeyMsg) tea.Cmd {
	n := len(m.opts.Flows)
	in := &m.overlay.input
	switch {
	case msg.Type == tea.KeyEsc:
		m.closeOverlay()
	case n > 0 && msg.Type == tea.KeyUp:
		m.overlay.cursor = (m.overlay.cursor + n - 1) % n
	case n > 0 && msg.Type == tea.KeyDown:
		m.overlay.cursor = (m.overlay.cursor + 1) % n
	case key.Matches(msg, keyChoose):
		return m.chooseFlow()
	default:
		var cmd tea.Cmd
		*in, cmd = in.Update(msg)
		m.overlay.err = ""
		return cmd
	}
	return nil
}

// chooseFlow starts what was typed, or the marked flow when nothing was.
func (m *Model) chooseFlow() tea.Cmd {
	typed := strings.TrimSpace(m.overlay.input.Value())
	if typed == "" {
		if len(m.opts.Flows) == 0 {
			m.overlay.err = "type a flow slug or a flow URL"
			return nil
		}
		slug := m.opts.Flows[m.overlay.cursor].Slug
		m.closeOverlay()
		return m.startFlow(startOtherFlow, slug, "")
	}
	base, _ := m.src.flowBase()
	slug, query, err := parseFlowTarget(typed, base)
	if err != nil {
		m.overlay.err = err.Error()
		return nil
	}
	m.closeOverlay()
	return m.startFlow(startOtherFlow, slug, query)
}

// parseFlowTarget reads what was typed into the switcher: a slug, a path
// (/if/flow/<slug>/?next=…) or a full flow URL on the session's host (the
// cookie jar belongs to that host).
func parseFlowTarget(typed, base string) (slug, query string, err error) {
	if strings.HasPrefix(typed, "/") {
		typed = base + typed
	}
	if !strings.Contains(typed, "/") {
		if !flow.ValidSlug(typed) {
			return "", "", fmt.Errorf("%q is not a flow slug (letters, digits, - and _) or a flow URL", typed)
		}
		return typed, "", nil
	}
	gotBase, slug, query, err := transport.ParseFlowURL(typed)
	if err != nil {
		return "", "", err
	}
	if !sameBase(gotBase, base) {
		return "", "", fmt.Errorf("that flow is on %s, this session talks to %s: start akinspect with that URL instead", originOf(gotBase), originOf(base))
	}
	return slug, query, nil
}

// sameBase compares two base URLs by scheme, host and path prefix, case
// aside where URLs ignore it.
func sameBase(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host) &&
		strings.TrimSuffix(ua.EscapedPath(), "/") == strings.TrimSuffix(ub.EscapedPath(), "/")
}

func originOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host + strings.TrimSuffix(u.EscapedPath(), "/")
	}
	return base
}

// renderFlowPicker draws the switcher: the input, an error, the known
// flows (marked only while nothing is typed, since enter then starts the
// marked one) and what enter does.
func (m *Model) renderFlowPicker(width, height int) string {
	th := m.theme
	var b strings.Builder
	b.WriteString("Flow slug or URL (same host):\n")
	b.WriteString(m.overlay.input.View() + "\n")
	if m.overlay.err != "" {
		for _, l := range strings.Split(ansi.Wrap("✗ "+m.overlay.err, max(20, width-8), ""), "\n") {
			b.WriteString(th.Error.Render(l) + "\n")
		}
	}
	typed := strings.TrimSpace(m.overlay.input.Value()) != ""
	if len(m.opts.Flows) > 0 {
		b.WriteString("\nKnown flows (↑/↓):\n")
		for i, f := range m.opts.Flows {
			marker := "  "
			if i == m.overlay.cursor && !typed {
				marker = "› "
			}
			line := marker + f.Slug
			if f.Title != "" {
				line += " — " + f.Title
			}
			if f.Slug == m.flowSlug {
				line += " (current)"
			}
			fmt.Fprintln(&b, line)
		}
	}
	b.WriteString("\nenter starts the typed flow, or the marked one when nothing is typed,\nin this session (cookies kept); esc closes")
	return views.RenderOverlay(th, "Switch flow", b.String(), width, height)
}
