package model

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// D: the whole session diffed against a recording, run by run and stage
// by stage, stepping through the differing stages with n/N.

// thisSession is how D names its B side: the session on screen; theFile
// its A side in the stage lines (the header gives the file's name, too
// long to repeat on every line of a narrow terminal).
const (
	thisSession = "this session"
	theFile     = "the file"
)

// runDiff is D's comparison: the stage list and the stages that differ.
type runDiff struct {
	name   string // the recording compared with
	stages []views.DiffStage
	steps  []runStep // the stages that differ, in order
	cur    int
}

// runStep is one differing stage.
type runStep struct {
	stage int // index into stages
	in    views.DiffInput
	row   int // timeline ID of this session's side, 0 when it has none
}

// startDiffRun is D: find the newest recording (in a command) to offer
// in the prompt, other than the session's own.
func (m *Model) startDiffRun() tea.Cmd {
	m.diff.seq++
	seq := m.diff.seq
	own := m.src.ownFile()
	return func() tea.Msg {
		path := ""
		if dir, err := history.DefaultDir(); err == nil {
			path, _ = NewestRecording(dir, own)
		}
		return diffDefaultMsg{seq: seq, path: path}
	}
}

// NewestRecording is the newest recording or HAR file in dir other than
// except ("" when there is none), as `akinspect ls` lists them.
func NewestRecording(dir, except string) (string, error) {
	files, err := history.RecentFiles(dir)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		if except == "" || !sameFile(f.Path, except) {
			return f.Path, nil
		}
	}
	return "", nil
}

// sameFile: a and b name one file (one may be relative, or a link).
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA != nil || errB != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return os.SameFile(sa, sb)
}

// openDiffPrompt asks for the recording to compare with, path pre-filled.
func (m *Model) openDiffPrompt(path string) {
	in := textinput.New()
	in.Prompt = "file: "
	in.Placeholder = "a recording (" + history.Extension + ") or a HAR file"
	in.CharLimit = 4096
	in.SetValue(path)
	in.CursorEnd()
	in.Focus()
	m.overlay = overlay{kind: overlayDiffPrompt, input: in}
	m.palette = nil
	m.rebuildHelpLine()
}

// diffPromptKey steers the prompt: enter compares, esc cancels.
func (m *Model) diffPromptKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, diffPromptClose):
		m.closeOverlay()
		return nil
	case key.Matches(msg, diffPromptRun):
		path := strings.TrimSpace(m.overlay.input.Value())
		if path == "" {
			m.overlay.err = "type the path of a recording or HAR file"
			return nil
		}
		m.closeOverlay()
		return m.diffRun(path)
	}
	var cmd tea.Cmd
	m.overlay.input, cmd = m.overlay.input.Update(msg)
	m.overlay.err = ""
	return cmd
}

// renderDiffPrompt draws the prompt over the panes.
func (m *Model) renderDiffPrompt(width, height int) string {
	body := "Compare this session, stage by stage, with:\n\n" + m.overlay.input.View()
	if m.overlay.err != "" {
		body += "\n\n" + m.theme.Error.Render(m.overlay.err)
	}
	body += "\n\n" + m.theme.Faint.Render("enter compares · esc cancels")
	return views.RenderOverlay(m.theme, "Diff against a recording", body, width, height)
}

// diffRun opens path and compares the session with it, in a command.
func (m *Model) diffRun(path string) tea.Cmd {
	open, byIndex := m.src.sessionRecording()
	m.diff.seq++
	seq, th, width := m.diff.seq, m.theme, m.rects.body.w
	m.setStatus("comparing with "+filepath.Base(path)+"…", false)
	return func() tea.Msg {
		cur, err := open()
		if err != nil {
			return diffReadyMsg{seq: seq, err: err}
		}
		v, err := buildRunDiff(th, path, cur, byIndex, width)
		return diffReadyMsg{seq: seq, view: v, err: err}
	}
}

// buildRunDiff compares cur (this session) with the recording at path
// (A), reads the exchanges of the stages that differ and lays out the
// first. byIndex: cur's timeline IDs are its indices + 1, not the
// exchanges' IDs.
func buildRunDiff(th *views.Theme, path string, cur *history.Recording, byIndex bool, width int) (*diffView, error) {
	other, err := history.Open(path)
	if err != nil {
		return nil, err
	}
	d, err := replay.DiffRecordings(other, cur, replay.DiffOptions{})
	if err != nil {
		return nil, err
	}
	xa, _, err := byID(other)
	if err != nil {
		return nil, err
	}
	xb, all, err := byID(cur)
	if err != nil {
		return nil, err
	}
	rows := map[int]int{}
	for i, x := range all {
		if byIndex {
			rows[x.ID] = i + 1
		} else {
			rows[x.ID] = x.ID
		}
	}
	name := filepath.Base(path)
	r := &runDiff{name: name}
	for k, run := range d.Runs {
		side := ""
		switch run.Change {
		case replay.OnlyA:
			side = " (only in " + theFile + ")"
		case replay.OnlyB:
			side = " (only in " + thisSession + ")"
		}
		r.stages = append(r.stages, views.DiffStage{Text: fmt.Sprintf("run %d: %s%s", k+1, run.Flow, side)})
		for _, s := range run.Steps {
			ds := views.DiffStage{Mark: stageMark(s.Change), Text: stageText(s)}
			r.stages = append(r.stages, ds)
			if s.Change == replay.Same {
				continue
			}
			var a, b *transport.Exchange
			st := runStep{stage: len(r.stages) - 1}
			if s.A != nil {
				a = xa[s.A.ID]
			}
			if s.B != nil {
				b = xb[s.B.ID]
				st.row = rows[s.B.ID]
			}
			st.in = pairInput(a, b, name, thisSession)
			st.in.Changes = changesOf(s.Diffs)
			switch s.Change {
			case replay.OnlyA:
				st.in.Missing = "this stage is only in " + theFile + ", " + name
			case replay.OnlyB:
				st.in.Missing = "this stage is only in " + thisSession
			}
			r.steps = append(r.steps, st)
		}
	}
	v := &diffView{title: "Diff against " + name, run: r}
	v.in = views.DiffInput{A: views.DiffSide{Label: theFile + ": " + name}, B: views.DiffSide{Label: thisSession}}
	for i := range r.steps {
		r.steps[i].in.Stages, r.steps[i].in.Current = r.stages, r.steps[i].stage
	}
	if len(r.steps) > 0 {
		v.in = r.steps[0].in
	} else {
		v.in.Stages, v.in.Current = r.stages, -1
	}
	v.lines, v.hunks = views.LayoutDiff(th, v.in, width)
	v.width = width
	return v, nil
}

func stageMark(c replay.Change) string {
	switch c {
	case replay.Changed:
		return "~"
	case replay.OnlyA:
		return "-"
	case replay.OnlyB:
		return "+"
	}
	return " "
}

// stageText is a stage's line in the list, its sides named as the view's
// header names them (the file, this session): "password 200 (the file #4
// 0.8ms, this session #4 1.3ms)".
func stageText(s replay.StepDiff) string {
	step := s.B
	if step == nil {
		step = s.A
	}
	if step == nil {
		return ""
	}
	return fmt.Sprintf("%s %d  %s", step.Label(), step.Status, s.Sides(theFile, thisSession))
}

// byID reads every exchange of rec, by ID and in order.
func byID(rec *history.Recording) (map[int]*transport.Exchange, []*transport.Exchange, error) {
	xs, err := rec.All()
	if err != nil {
		return nil, nil, err
	}
	out := make(map[int]*transport.Exchange, len(xs))
	for _, x := range xs {
		out[x.ID] = x
	}
	return out, xs, nil
}
