package views

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termqr"
	"github.com/akinspect/akinspect/internal/termsafe"
)

type formKeys struct {
	Next, Prev, Enter, Submit, Toggle, ChoiceNext, ChoicePrev, Reveal key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Next:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:       key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Enter:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next required, else submit")),
		Submit:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "submit")),
		Toggle:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle")),
		ChoiceNext: key.NewBinding(key.WithKeys("right", "down", "l", "j"), key.WithHelp("→/↓", "next choice")),
		ChoicePrev: key.NewBinding(key.WithKeys("left", "up", "h", "k"), key.WithHelp("←/↑", "previous choice")),
		Reveal:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal secret")),
	}
}

// Form is the answer form of the live challenge, a raw JSON editor, or the
// result box of a terminal challenge.
type Form struct {
	th      *Theme
	keys    formKeys
	width   int
	height  int
	focused bool
	frame   frameCache // the last framed output (frame_cache.go)

	state  FormState
	fields []*formField
	order  []int // indices of the fields that take focus
	cur    int   // index into order

	raw      bool
	area     textarea.Model
	rawStart safeValue // the body the raw editor was given

	offset int
	total  int // lines laid out by the last View
	view   string
	dirty  bool

	// Rendered lines per field and of the header, so a key press redraws
	// only the field it went to.
	fieldLines [][]string
	header     []string
	headerOK   bool
	// qr is the setup stage's otpauth URI as a QR code ("" for other
	// stages), drawn once per challenge.
	qr string
}

// invalidate drops every cached rendering (new state, size or focus).
func (f *Form) invalidate() {
	f.dirty = true
	f.headerOK = false
	f.fieldLines = make([][]string, len(f.fields))
}

// NewForm returns an empty form pane.
func NewForm(th *Theme) *Form {
	return &Form{th: th, keys: newFormKeys(), area: newArea(th), dirty: true}
}

// SetSize sets the inside size of the pane (without a frame).
func (f *Form) SetSize(width, height int) {
	f.width, f.height = width, height
	for _, fd := range f.fields {
		fd.setWidth(width)
	}
	f.area.SetWidth(max(4, width))
	f.sizeRawArea()
	f.invalidate()
}

// Focus gives the pane the keyboard (and the current field its cursor).
func (f *Form) Focus() {
	f.focused = true
	f.focusCurrent()
}

// Blur takes the keyboard away.
func (f *Form) Blur() {
	f.focused = false
	for _, fd := range f.fields {
		fd.blur()
	}
	f.area.Blur()
	f.invalidate()
}

// Focused reports whether the pane has the keyboard.
func (f *Form) Focused() bool { return f.focused }

// Title is the stage's name for the frame.
func (f *Form) Title() string {
	switch {
	case f.state.Form.Title != "":
		return f.state.Form.Title
	case f.state.Form.Component != "":
		return flow.ShortComponent(f.state.Form.Component)
	}
	return "Form"
}

// SetState shows a new challenge's form (or result). Values typed before
// are taken from s.Values, else the field's Initial; focus goes to the
// first field. Raw forms open the JSON editor with {"component": ...}.
func (f *Form) SetState(s FormState) {
	f.state = s
	f.qr = setupQR(s.Form)
	f.fields, f.order, f.cur, f.offset = nil, nil, 0, 0
	for i, def := range s.Form.Fields {
		v, ok := s.Values[def.Key]
		if !ok {
			v = def.Initial
		}
		fd := newFormField(f.th, def, v)
		fd.setWidth(f.width)
		f.fields = append(f.fields, fd)
		if fd.editable() && !s.ReadOnly {
			f.order = append(f.order, i)
		}
	}
	f.raw = false
	if s.Form.Raw && !s.Form.Terminal {
		body := s.Values[""]
		if body == "" {
			body = string(flow.RawTemplate(s.Form, nil, ""))
		}
		f.SetRaw(true, body)
	}
	f.focusCurrent()
}

// SetRaw switches the JSON answer editor on (pre-filled with body) or off.
func (f *Form) SetRaw(on bool, body string) {
	f.raw = on
	if on {
		f.area.SetValue(termsafe.String(body))
		f.rawStart = safeValue{orig: body, shown: f.area.Value()}
		f.area.CursorStart()
		f.sizeRawArea()
	} else {
		f.area.Blur()
	}
	f.focusCurrent()
}

// Raw reports whether the raw JSON editor is shown.
func (f *Form) Raw() bool { return f.raw }

// sizeRawArea lets the raw editor fill what the header lines leave.
func (f *Form) sizeRawArea() {
	if f.raw {
		f.area.SetHeight(max(3, f.height-len(f.headerLines())-2))
	}
}

// Values returns the field values by key as typed (read-only fields are
// never sent, so they are left out). In raw mode the body is under "".
func (f *Form) Values() map[string]string {
	out := map[string]string{}
	if f.raw {
		out[""] = f.rawStart.resolve(f.area.Value())
		return out
	}
	for _, fd := range f.fields {
		if fd.editable() {
			out[fd.def.Key] = fd.value()
		}
	}
	return out
}

// current returns the focused field, or nil.
func (f *Form) current() *formField {
	if f.raw || f.cur < 0 || f.cur >= len(f.order) {
		return nil
	}
	return f.fields[f.order[f.cur]]
}

// CapturesKeys is true while a text input or the raw editor has the
// keyboard, so that typing "q" types a q.
func (f *Form) CapturesKeys() bool {
	if !f.focused || f.state.ReadOnly || f.state.Form.Terminal {
		return false
	}
	if f.raw {
		return true
	}
	c := f.current()
	return c != nil && (c.usesInput() || c.usesArea())
}

// FocusFirst moves to the first field.
func (f *Form) FocusFirst() { f.cur = 0; f.focusCurrent() }

// FocusLast moves to the last field.
func (f *Form) FocusLast() { f.cur = max(0, len(f.order)-1); f.focusCurrent() }

// FocusUnfilled moves to where a person coming back to the form has
// something to do: the first required text field still empty, else the
// first empty text field, else the first text field, else the first
// field. A choice list or a toggle, where typed text would go nowhere, is
// chosen only when there is nothing else.
func (f *Form) FocusUnfilled() {
	f.cur = f.firstWhere(
		func(fd *formField) bool { return fd.missing() },
		func(fd *formField) bool { return fd.takesText() && fd.value() == "" },
		func(fd *formField) bool { return fd.takesText() },
	)
	f.focusCurrent()
}

// firstWhere is the index into order of the first field that passes the
// first test that any field passes; 0 when none does.
func (f *Form) firstWhere(tests ...func(*formField) bool) int {
	for _, test := range tests {
		for i, idx := range f.order {
			if test(f.fields[idx]) {
				return i
			}
		}
	}
	return 0
}

// SetFieldValue replaces what a text field holds (a totp: secret resolved
// into the code); false when there is no such text field.
func (f *Form) SetFieldValue(key, value string) bool {
	for i, fd := range f.fields {
		if fd.def.Key != key || !fd.takesText() {
			continue
		}
		fd.setText(value)
		f.fieldLines[i] = nil
		f.dirty = true
		return true
	}
	return false
}

// SetNotes replaces the lines shown under fields (by key), keeping what
// was typed: a demo user's TOTP code that changed.
func (f *Form) SetNotes(notes map[string]string) {
	f.state.Notes = notes
	f.invalidate()
}

// enterTarget is where enter goes from the current field: while a
// required field that takes text is empty, to the next such field (after
// the current one, wrapping round to the current one itself), as an index
// into order; -1 once every required field is filled, so enter submits.
// Optional fields, choices and toggles are never walked: tab visits them.
func (f *Form) enterTarget() int {
	if f.raw {
		return -1
	}
	n := len(f.order)
	for k := 1; k <= n; k++ {
		i := (f.cur + k) % n
		if f.fields[f.order[i]].missing() {
			return i
		}
	}
	return -1
}

// EnterSubmits reports whether enter on the current field sends the form.
// Typing into the only required field left makes it submit, so it says
// so there too.
func (f *Form) EnterSubmits() bool {
	t := f.enterTarget()
	return t < 0 || t == f.cur
}

// Next moves to the next field; false at the last one, so the root moves
// focus to the next pane.
func (f *Form) Next() bool {
	if f.raw || f.cur >= len(f.order)-1 {
		return false
	}
	f.cur++
	f.focusCurrent()
	return true
}

// Prev moves to the previous field; false at the first one.
func (f *Form) Prev() bool {
	if f.raw || f.cur <= 0 {
		return false
	}
	f.cur--
	f.focusCurrent()
	return true
}

// focusCurrent gives the cursor to the current field only.
func (f *Form) focusCurrent() {
	for _, fd := range f.fields {
		fd.blur()
	}
	f.area.Blur()
	if f.focused {
		if f.raw {
			f.area.Focus()
		} else if c := f.current(); c != nil {
			c.focus()
		}
	}
	f.invalidate()
}

// Update handles keys while the pane is focused. tab and shift+tab are
// left to the root, which calls Next/Prev and moves to another pane when
// they return false.
func (f *Form) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !f.focused || f.state.Form.Terminal || f.state.ReadOnly {
		return nil
	}
	f.dirty = true
	if f.raw {
		if key.Matches(km, f.keys.Submit) {
			body := []byte(f.rawStart.resolve(f.area.Value()))
			return func() tea.Msg { return SubmitRawMsg{Body: body} }
		}
		var cmd tea.Cmd
		f.area, cmd = f.area.Update(km)
		return cmd
	}
	if key.Matches(km, f.keys.Submit) {
		return f.submit()
	}
	c := f.current()
	if c != nil {
		f.fieldLines[f.order[f.cur]] = nil
	}
	if key.Matches(km, f.keys.Enter) && (c == nil || !c.usesArea()) {
		next := f.enterTarget()
		switch {
		case next < 0:
			return f.submit()
		case next == f.cur && c != nil:
			return statusCmd(c.heading(f.th, false).plainName()+" is required: type it, or ctrl+s sends the form as it is", false)
		}
		f.cur = next
		f.focusCurrent()
		return nil
	}
	if c == nil {
		return nil
	}
	cmd, handled := c.update(km, f.keys)
	if !handled && km.Type == tea.KeyRunes && !km.Alt {
		return statusCmd(c.refusal(), false)
	}
	return cmd
}

// statusCmd asks the root to show text in the status line.
func statusCmd(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text, Err: isErr} }
}

func (f *Form) submit() tea.Cmd {
	values := f.Values()
	return func() tea.Msg { return SubmitMsg{Values: values} }
}

// ShortHelp lists the keys that work on the focused field, enter first
// with what it does from here; while a text field owns the keyboard these
// are all the pane offers.
func (f *Form) ShortHelp() []key.Binding {
	k := f.keys
	if f.state.Form.Component == "" {
		return nil // no stage yet: nothing to type into or submit
	}
	if f.raw {
		return []key.Binding{k.Submit}
	}
	c := f.current()
	area := c != nil && c.usesArea()
	var out []key.Binding
	switch {
	case area: // enter types a new line
	case f.EnterSubmits():
		out = append(out, enterSubmits)
	default:
		out = append(out, enterNext)
	}
	out = append(out, moveFields)
	if area || !f.EnterSubmits() {
		out = append(out, k.Submit)
	}
	if c == nil {
		return out
	}
	switch c.def.Kind {
	case flow.KindSecret:
		if c.revealed {
			return append(out, hideSecret)
		}
		return append(out, showSecret)
	case flow.KindBool:
		return append(out, k.Toggle)
	case flow.KindChoice:
		return append(out, pickChoice)
	}
	return out
}

// Short-help spellings of the form's keys for the focused field.
var (
	enterSubmits = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "submit"))
	enterNext    = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next required"))
	moveFields   = key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab/shift+tab", "fields"))
	showSecret   = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal"))
	hideSecret   = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "hide"))
	pickChoice   = key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "choose"))
)

// FullHelp lists every key of the pane.
func (f *Form) FullHelp() [][]key.Binding {
	k := f.keys
	return [][]key.Binding{{k.Next, k.Prev, k.Enter, k.Submit}, {k.Toggle, k.ChoiceNext, k.ChoicePrev, k.Reveal}}
}

// setupQR draws the otpauth URI of a TOTP setup stage as a QR code, so a
// phone can scan it from the terminal.
func setupQR(form flow.Form) string {
	if form.Component != flow.ComponentTOTPSetup {
		return ""
	}
	for _, c := range form.Context {
		if c.Label == "Setup URL" && strings.HasPrefix(c.Value, "otpauth://") {
			if qr, err := termqr.Render(c.Value); err == nil {
				return qr
			}
		}
	}
	return ""
}
