package views

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// formField is one editable (or shown) field of the form pane.
type formField struct {
	def      flow.Field
	input    textinput.Model // single-line kinds
	area     textarea.Model  // KindTextArea, KindJSON
	on       bool            // KindBool
	choice   int             // KindChoice: index into def.Choices, -1 none
	revealed bool            // KindSecret shown in clear (ctrl+r)
	// offChoice is a value given for a choice that is none of its choices
	// (a recorded answer the server rejected): shown as sent.
	offChoice string
	// start is the value the editor was given (a stage's initial value, a
	// recorded answer), which it shows made safe.
	start safeValue
}

// safeValue is a value from outside handed to an editor: the editor shows
// it made safe to print (termsafe), and while it still holds exactly that,
// the value stands for the original, so showing it never changes what is
// sent.
type safeValue struct{ orig, shown string }

// resolve is what an editor holding cur stands for.
func (v safeValue) resolve(cur string) string {
	if cur == v.shown {
		return v.orig
	}
	return cur
}

const revealHint = "ctrl+r reveal"

// placeholders say what format a kind expects when the stage gives none.
var placeholders = map[flow.Kind]string{
	flow.KindCode:     "123456",
	flow.KindNumber:   "0",
	flow.KindDate:     "YYYY-MM-DD",
	flow.KindDateTime: "YYYY-MM-DDThh:mm:ssZ",
	flow.KindFile:     "data:<mime>;base64,…",
	flow.KindJSON:     "{…}",
}

func newFormField(th *Theme, def flow.Field, value string) *formField {
	f := &formField{def: def}
	placeholder := termsafe.Line(def.Placeholder)
	if placeholder == "" {
		placeholder = placeholders[def.Kind]
	}
	// Without colour a placeholder looks like a typed value; bracket it.
	if placeholder != "" && lipgloss.ColorProfile() == termenv.Ascii {
		placeholder = "‹" + placeholder + "›"
	}
	switch {
	case f.usesInput():
		f.input = newInput(th)
		f.input.Placeholder = placeholder
		f.input.SetValue(termsafe.Line(value))
		f.start = safeValue{orig: value, shown: f.input.Value()}
		if def.Kind == flow.KindSecret {
			f.input.EchoMode = textinput.EchoPassword
			f.input.EchoCharacter = '•'
		}
	case f.usesArea():
		f.area = newArea(th)
		f.area.Placeholder = placeholder
		f.area.SetHeight(4)
		f.area.SetValue(termsafe.String(value))
		f.start = safeValue{orig: value, shown: f.area.Value()}
	case def.Kind == flow.KindBool:
		f.on, _ = parseBoolish(value)
	case def.Kind == flow.KindChoice:
		// An optional choice starts at "none" so that nothing is sent
		// unless the person picks something; a required one at the first.
		f.choice = 0
		if !def.Required {
			f.choice = -1
		}
		found := false
		for i, c := range def.Choices {
			if c.Value == value {
				f.choice, found = i, true
			}
		}
		if !found && value != "" {
			f.choice, f.offChoice = -1, value
		}
	}
	return f
}

// newInput is a text input styled by the theme with a steady cursor (a
// blinking cursor would redraw the screen twice a second for nothing).
func newInput(th *Theme) textinput.Model {
	in := textinput.New()
	in.Prompt = "> "
	in.PromptStyle = th.Faint
	in.TextStyle = th.Input
	in.PlaceholderStyle = th.Faint
	in.CompletionStyle = th.Faint
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}

// newArea is a multi-line input styled by the theme.
func newArea(th *Theme) textarea.Model {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Prompt = "│ "
	a.CharLimit = 0
	a.MaxHeight = 0
	st := textarea.Style{
		Base:        th.App,
		CursorLine:  th.App,
		EndOfBuffer: th.Faint,
		LineNumber:  th.Faint,
		Placeholder: th.Faint,
		Prompt:      th.Faint,
		Text:        th.Input,
	}
	a.FocusedStyle, a.BlurredStyle = st, st
	a.FocusedStyle.Prompt = th.Marker
	a.Cursor.SetMode(cursor.CursorStatic)
	return a
}

func parseBoolish(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on":
		return true, true
	case "false", "0", "no", "off", "":
		return false, true
	}
	return false, false
}

func (f *formField) usesInput() bool {
	switch f.def.Kind {
	case flow.KindText, flow.KindSecret, flow.KindCode, flow.KindNumber, flow.KindDate, flow.KindDateTime, flow.KindFile:
		return true
	}
	return false
}

func (f *formField) usesArea() bool {
	return f.def.Kind == flow.KindTextArea || f.def.Kind == flow.KindJSON
}

// takesText reports whether the field has a text editor.
func (f *formField) takesText() bool { return f.usesInput() || f.usesArea() }

// missing reports a required text field left empty: enter goes there
// before it submits.
func (f *formField) missing() bool {
	return f.def.Required && f.takesText() && strings.TrimSpace(f.value()) == ""
}

// setText puts value into the field's editor as if it had been given.
func (f *formField) setText(value string) {
	switch {
	case f.usesInput():
		f.input.SetValue(termsafe.Line(value))
		f.input.CursorEnd()
		f.start = safeValue{orig: value, shown: f.input.Value()}
	case f.usesArea():
		f.area.SetValue(termsafe.String(value))
		f.start = safeValue{orig: value, shown: f.area.Value()}
	}
}

// refusal says why a typed character went nowhere: the field takes no
// text, and what it takes instead.
func (f *formField) refusal() string {
	name := f.def.Label
	if name == "" {
		name = f.def.Key
	}
	name = termsafe.Line(name)
	switch f.def.Kind {
	case flow.KindChoice:
		return name + " is a choice and takes no text: ←/→ picks one, tab goes to the next field"
	case flow.KindBool:
		return name + " is a checkbox and takes no text: space toggles it, tab goes to the next field"
	}
	return name + " takes no text: tab goes to the next field"
}

// editable reports whether the field takes focus.
func (f *formField) editable() bool { return f.def.Kind != flow.KindReadOnly }

// value is the field's value as typed, the way flow.BuildAnswer reads it.
func (f *formField) value() string {
	switch {
	case f.usesInput():
		return f.start.resolve(f.input.Value())
	case f.usesArea():
		return f.start.resolve(f.area.Value())
	case f.def.Kind == flow.KindBool:
		if f.on {
			return "true"
		}
		return "false"
	case f.def.Kind == flow.KindChoice:
		if f.choice >= 0 && f.choice < len(f.def.Choices) {
			return f.def.Choices[f.choice].Value
		}
	}
	return ""
}

func (f *formField) focus() tea.Cmd {
	switch {
	case f.usesInput():
		return f.input.Focus()
	case f.usesArea():
		return f.area.Focus()
	}
	return nil
}

func (f *formField) blur() {
	f.input.Blur()
	f.area.Blur()
}

func (f *formField) setWidth(w int) {
	room := w - 4 - ansi.StringWidth(f.input.Prompt)
	if f.def.Kind == flow.KindSecret {
		room -= len(revealHint) + 2 // the ctrl+r hint sits beside it
	}
	f.input.Width = max(1, room)
	if f.usesArea() {
		f.area.SetWidth(max(4, w-2))
	}
}

// update handles a key aimed at this field; handled is false when the key
// means nothing to it (the form then treats it).
func (f *formField) update(km tea.KeyMsg, k formKeys) (tea.Cmd, bool) {
	switch f.def.Kind {
	case flow.KindBool:
		if key.Matches(km, k.Toggle) {
			f.on = !f.on
			return nil, true
		}
		return nil, false
	case flow.KindChoice:
		// Options cycle; an optional field has "none" (-1) before the first.
		lo, n := 0, len(f.def.Choices)
		if !f.def.Required {
			lo = -1
		}
		span := n - lo
		switch {
		case n == 0:
			return nil, false
		case key.Matches(km, k.ChoiceNext):
			f.choice = (f.choice-lo+1)%span + lo
			return nil, true
		case key.Matches(km, k.ChoicePrev):
			f.choice = (f.choice-lo-1+span)%span + lo
			return nil, true
		}
		return nil, false
	case flow.KindSecret:
		if key.Matches(km, k.Reveal) {
			f.revealed = !f.revealed
			f.input.EchoMode = textinput.EchoPassword
			if f.revealed {
				f.input.EchoMode = textinput.EchoNormal
			}
			return nil, true
		}
	}
	var cmd tea.Cmd
	switch {
	case f.usesInput():
		f.input, cmd = f.input.Update(km)
		return cmd, true
	case f.usesArea():
		f.area, cmd = f.area.Update(km)
		return cmd, true
	}
	return nil, false
}

// fieldIndent sets the editor, errors and help under the label.
const fieldIndent = "  "

// fieldHeading is the label line's pieces: the focus marker, the styled
// name and the required star (empty for fields that take no input).
type fieldHeading struct{ marker, name, req string }

// plainName is the field's name without styling.
func (h fieldHeading) plainName() string { return ansi.Strip(h.name) }

func (h fieldHeading) line() string { return h.marker + h.name + h.req }

// render draws the field: label line, editor, errors, help. Everything is
// indented under the label; focused fields get a marker.
func (f *formField) render(th *Theme, focused, readOnly bool, errs []flow.ErrorDetail, note string, width int) []string {
	head := f.heading(th, focused)
	var out []string
	switch f.def.Kind {
	case flow.KindBool:
		out = f.renderCheckbox(th, head)
	case flow.KindChoice:
		out = f.renderChoiceList(th, head)
	case flow.KindReadOnly:
		out = f.renderFixedValue(th, head)
	default:
		out = f.renderTextEditor(th, head, focused, readOnly, width)
	}
	out = append(out, renderFieldErrors(th, errs, width)...)
	if note != "" {
		for _, l := range wrapLines(termsafe.String(note), width-2) {
			out = append(out, fieldIndent+th.Info.Render(l))
		}
	}
	return append(out, f.renderHelp(th, width)...)
}

func (f *formField) heading(th *Theme, focused bool) fieldHeading {
	marker, label := "  ", th.Label
	if focused {
		marker, label = th.Marker.Render("› "), th.LabelFocused
	}
	name := f.def.Label
	if name == "" {
		name = f.def.Key
	}
	name = termsafe.Line(name)
	req := ""
	if f.def.Required && f.editable() {
		req = th.Required.Render(" *")
	}
	return fieldHeading{marker: marker, name: label.Render(name), req: req}
}

// renderCheckbox draws a bool field as one line: [x] or [ ] before the label.
func (f *formField) renderCheckbox(th *Theme, head fieldHeading) []string {
	box := "[ ]"
	if f.on {
		box = "[x]"
	}
	return []string{head.marker + th.Bold.Render(box) + " " + head.name + head.req}
}

// renderChoiceList draws a choice field as radio buttons, one per option;
// an optional field offers "none" first.
func (f *formField) renderChoiceList(th *Theme, head fieldHeading) []string {
	out := []string{head.line()}
	choices := f.def.Choices
	first := 0
	if !f.def.Required && len(choices) > 0 {
		choices = append([]flow.Choice{{Label: "none"}}, choices...)
		first = -1
	}
	for j, c := range choices {
		text := c.Label
		if text == "" {
			text = c.Value
		}
		text = termsafe.Line(text)
		if j+first == f.choice && f.offChoice == "" {
			out = append(out, fieldIndent+th.Marker.Render("(•) ")+th.Input.Render(text))
		} else {
			out = append(out, fieldIndent+th.Faint.Render("( ) "+text))
		}
	}
	if len(f.def.Choices) == 0 {
		out = append(out, fieldIndent+th.Faint.Render("(no choices offered)"))
	}
	if f.offChoice != "" && f.choice < 0 {
		out = append(out, fieldIndent+th.Error.Render("(•) "+termsafe.Line(f.offChoice)+"  ← sent, not among the choices"))
	}
	return out
}

// renderFixedValue draws a read-only field: the value the stage set, or a
// dash when there is none.
func (f *formField) renderFixedValue(th *Theme, head fieldHeading) []string {
	out := []string{head.marker + head.name}
	v := f.def.Initial
	if v == "" {
		v = "—"
	}
	for _, l := range strings.Split(termsafe.String(v), "\n") {
		out = append(out, fieldIndent+th.Input.Render(l))
	}
	return out
}

// renderTextEditor draws a typed field: its editor or, when the form is
// read-only (an offline recording), what was answered.
func (f *formField) renderTextEditor(th *Theme, head fieldHeading, focused, readOnly bool, width int) []string {
	out := []string{head.line()}
	switch {
	case readOnly:
		out = append(out, f.renderAnsweredValue(th)...)
	case f.usesArea():
		for _, l := range strings.Split(f.area.View(), "\n") {
			out = append(out, fieldIndent+l)
		}
	default:
		out = append(out, f.renderInputLine(th, focused, width))
	}
	return out
}

// renderAnsweredValue is the value as it was sent, secrets masked.
func (f *formField) renderAnsweredValue(th *Theme) []string {
	v := f.value()
	if f.def.Kind == flow.KindSecret && v != "" {
		v = "••••••••" // the same for any length: the length is a secret too
	}
	v = termsafe.String(v) // the recorded answer as it was sent
	if v == "" {
		v = th.Faint.Render("(empty)")
	}
	var out []string
	for _, l := range strings.Split(v, "\n") {
		out = append(out, fieldIndent+th.Faint.Render("> ")+l)
	}
	return out
}

// renderInputLine is the single-line editor; a focused secret gets the
// reveal/hide hint beside it.
func (f *formField) renderInputLine(th *Theme, focused bool, width int) string {
	line := fieldIndent + f.input.View()
	if f.def.Kind != flow.KindSecret || !focused {
		return line
	}
	hint := revealHint
	if f.revealed {
		hint = "ctrl+r hide"
	}
	return fitLine(line, max(0, width-len(revealHint)-1)) + " " + th.Faint.Render(hint)
}

// renderFieldErrors draws the server's errors for a field, each wrapped
// under its own ✗.
func renderFieldErrors(th *Theme, errs []flow.ErrorDetail, width int) []string {
	var out []string
	for _, e := range errs {
		for i, l := range wrapLines(termsafe.String(e.String), width-4) {
			out = append(out, fieldIndent+th.Error.Render(errorMark(i)+l))
		}
	}
	return out
}

// renderHelp draws the stage's help text for a field, faint and wrapped.
func (f *formField) renderHelp(th *Theme, width int) []string {
	if f.def.Help == "" {
		return nil
	}
	var out []string
	for _, l := range wrapLines(termsafe.String(f.def.Help), width-2) {
		out = append(out, fieldIndent+th.Faint.Render(l))
	}
	return out
}

// wrapLines word-wraps plain text to w cells.
func wrapLines(s string, w int) []string {
	if w < 8 {
		w = 8
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

// errorMark starts the first line of an error message; wrapped lines are
// indented under it, so one error reads as one.
func errorMark(line int) string {
	if line == 0 {
		return "✗ "
	}
	return "  "
}
