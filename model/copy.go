package model

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/curl"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// Copying: y copies what the details pane shows (the raw body, the whole
// URL, the tab's text), Y a curl command repeating the shown exchange. The
// text goes to the terminal's clipboard as an OSC 52 sequence written to
// the program's output (so it works through SSH and tmux), and to the
// system clipboard through the clipboard library where there is one. Both
// writes happen in a command, never in Update.

// copiedMsg reports a copy: what was copied, how many bytes, and whether
// the system clipboard took it too.
type copiedMsg struct {
	what     string
	n        int
	osc      bool
	libErr   error
	redacted bool
	err      error
}

// osc52 is the escape sequence that sets the clipboard to text.
func osc52(text string) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\x07"
}

// copyCmd writes text to the clipboard in a command.
func (m *Model) copyCmd(text, what string, redacted bool) tea.Cmd {
	out, lib := m.opts.Clipboard, m.opts.ClipboardFallback
	return func() tea.Msg {
		msg := copiedMsg{what: what, n: len(text), redacted: redacted}
		if out != nil {
			_, err := io.WriteString(out, osc52(text))
			msg.osc = err == nil
		}
		if lib != nil {
			msg.libErr = lib(text)
		}
		if !msg.osc && (lib == nil || msg.libErr != nil) {
			msg.err = fmt.Errorf("no clipboard to copy %s to", what)
		}
		return msg
	}
}

func (m *Model) onCopied(msg copiedMsg) {
	if msg.err != nil {
		m.setStatus(msg.err.Error(), true)
		return
	}
	text := fmt.Sprintf("copied the %s (%s)", msg.what, plural(msg.n, "byte"))
	switch {
	case msg.osc && msg.libErr == nil && m.opts.ClipboardFallback != nil:
		text += " to the clipboard (OSC 52 and the system clipboard)"
	case msg.osc:
		text += " to the terminal's clipboard (OSC 52)"
	default:
		text += " to the system clipboard"
	}
	if msg.redacted {
		text += "; redacted values are markers («redacted:…»): fill them in"
	}
	m.setStatus(text, false)
}

// copyShown is y: the shown body, URL or tab text.
func (m *Model) copyShown() tea.Cmd {
	value, what := m.details.Shown()
	if what == "" {
		m.setStatus("nothing to copy: no exchange is shown", true)
		return nil
	}
	if len(value) == 0 {
		m.setStatus("the "+what+" is empty: nothing to copy", false)
		return nil
	}
	return m.copyCmd(string(value), what, strings.Contains(string(value), "«redacted"))
}

// copyCurl is Y: a curl command for the shown exchange, with the cookies
// of that moment (a recording reads its jar in a command).
func (m *Model) copyCurl() tea.Cmd {
	id := m.shownID
	if id == 0 {
		m.setStatus("nothing to copy: no exchange is shown", true)
		return nil
	}
	if cmd, ok := m.src.curl(id); ok {
		return cmd
	}
	load, ok := m.session.loader(id)
	if !ok {
		m.setStatus("nothing to copy: no exchange is shown", true)
		return nil
	}
	// The jar of that moment is the jar after the exchange before it; the
	// first exchange has none (curl sends the Cookie header it sent).
	prev, hasPrev := m.session.loader(m.session.before(id))
	copyText, what := m.copyCmd, fmt.Sprintf("curl command for #%d", id)
	return func() tea.Msg {
		x, err := load()
		if err != nil {
			return views.StatusMsg{Text: describeError(err), Err: true}
		}
		var jar []transport.Cookie
		if hasPrev {
			p, err := prev()
			if err != nil {
				return views.StatusMsg{Text: describeError(err), Err: true}
			}
			jar = p.Jar
		}
		c := *x
		text := curl.Command(&c, jar)
		return copyText(text, what, strings.Contains(text, "«redacted"))()
	}
}

// recordedCurl is Y on a recorded exchange: the exchange and the jar
// before it are read from the file in the command.
func (m *Model) recordedCurl(rec *history.Recording, i int) tea.Cmd {
	copyText := m.copyCmd
	return func() tea.Msg {
		x, err := rec.Exchange(i)
		if err != nil {
			return copiedMsg{err: fmt.Errorf("cannot read exchange #%d: %w", i+1, err)}
		}
		jar, err := rec.JarBefore(i)
		if err != nil {
			jar = nil // the recorded Cookie header
		}
		text := curl.Command(x, jar)
		return copyText(text, fmt.Sprintf("curl command for #%d", i+1), strings.Contains(text, "«redacted"))()
	}
}
