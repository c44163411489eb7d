package model

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
)

// The $EDITOR round trip is three steps, each its own message, so that no
// file I/O happens in Update: write a temp file (command), run the editor
// (tea.ExecProcess suspends the TUI), read the file back and remove it
// (command).
type (
	editorReadyMsg struct {
		path string
		raw  bool // the edited file becomes the raw answer body
		err  error
	}
	editorExitMsg struct {
		path string
		raw  bool
		err  error
	}
	editorDoneMsg struct {
		body []byte
		raw  bool
		err  error
	}
)

// openEditor edits the raw answer in raw mode; otherwise it asks the
// details pane for the body it shows (its EditorMsg comes back to Update),
// and what the editor does to that copy is not used.
func (m *Model) openEditor() tea.Cmd {
	if m.form.Raw() {
		return writeTempCmd([]byte(m.form.Values()[""]), true)
	}
	if m.shownID == 0 {
		m.setStatus("no exchange to open", true)
		return nil
	}
	return m.sendKeyTo(m.details, m.keys.Editor)
}

// prettyJSON indents a JSON body; other bodies come back unchanged.
func prettyJSON(body []byte) []byte {
	var b bytes.Buffer
	if len(body) > 0 && len(body) <= 1<<20 && json.Indent(&b, body, "", "  ") == nil {
		return b.Bytes()
	}
	return body
}

// writeTempCmd writes body to a private temp file (CreateTemp makes it
// 0600) for the editor.
func writeTempCmd(body []byte, raw bool) tea.Cmd {
	return func() tea.Msg {
		f, err := os.CreateTemp("", "akinspect-*.json")
		if err != nil {
			return editorReadyMsg{raw: raw, err: err}
		}
		_, werr := f.Write(body)
		cerr := f.Close()
		if werr == nil {
			werr = cerr
		}
		if werr != nil {
			_ = os.Remove(f.Name())
			return editorReadyMsg{raw: raw, err: werr}
		}
		return editorReadyMsg{path: f.Name(), raw: raw}
	}
}

// editorCommand is $VISUAL or $EDITOR (which may carry arguments), else vi.
func editorCommand(path string) *exec.Cmd {
	ed := os.Getenv("VISUAL")
	if ed == "" {
		ed = os.Getenv("EDITOR")
	}
	args := strings.Fields(ed)
	if len(args) == 0 {
		args = []string{"vi"}
	}
	return exec.Command(args[0], append(args[1:], path)...)
}

func (m *Model) onEditorReady(msg editorReadyMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus("cannot open the editor: "+msg.err.Error(), true)
		return nil
	}
	path, raw := msg.path, msg.raw
	return tea.ExecProcess(editorCommand(path), func(err error) tea.Msg {
		return editorExitMsg{path: path, raw: raw, err: err}
	})
}

// readBackCmd reads the edited file and removes it, whatever the editor's
// exit status was.
func readBackCmd(msg editorExitMsg) tea.Cmd {
	return func() tea.Msg {
		body, err := os.ReadFile(msg.path)
		_ = os.Remove(msg.path)
		if msg.err != nil {
			err = msg.err
		}
		return editorDoneMsg{body: body, raw: msg.raw, err: err}
	}
}

func (m *Model) onEditorDone(msg editorDoneMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.setStatus("editor: "+msg.err.Error(), true)
	case msg.raw:
		m.form.SetRaw(true, string(msg.body))
		m.setFocus(focusForm)
		m.setStatus("raw body taken from the editor: ctrl+s sends it", false)
	default: // the details pane's body: a copy to read
		m.setStatus("read-only copy: changes are not used (r for raw mode)", false)
	}
	return nil
}

// toggleRaw switches the form to a raw JSON answer pre-filled from the
// current values, or back.
func (m *Model) toggleRaw() {
	if m.form.Raw() {
		m.form.SetRaw(false, "")
		m.setStatus("raw mode off", false)
		return
	}
	if m.challenge == nil || m.answer.Terminal {
		m.setStatus("no challenge to answer", true)
		return
	}
	body := flow.RawTemplate(m.answer, m.form.Values(), m.version)
	m.form.SetRaw(true, string(prettyJSON(body)))
	m.setFocus(focusForm)
	m.setStatus("raw mode: edit the JSON, ctrl+s sends it as it is", false)
}
