package views

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// The form's drawing: every line of the pane (context, errors, fields,
// the hint under them, or a terminal challenge's result) and the window
// of them that View shows.

// View draws the form, scrolled so the focused field shows; it is cached
// until a key or a new state changes it.
func (f *Form) View() string {
	if !f.dirty {
		return f.view
	}
	f.dirty = false
	lines, top, bottom := f.render()
	// Keep the focused field in view; otherwise keep the old offset.
	if top >= 0 {
		if bottom-top >= f.height || top < f.offset {
			f.offset = top
		} else if bottom >= f.offset+f.height {
			f.offset = bottom - f.height + 1
		}
	}
	f.offset = max(0, min(f.offset, len(lines)-f.height))
	f.total = len(lines)
	end := min(len(lines), f.offset+f.height)
	f.view = fitBlock(strings.Join(lines[f.offset:end], "\n"), f.width, f.height)
	return f.view
}

// ScrollInfo is the lines of the form in view and their number, as of the
// last View.
func (f *Form) ScrollInfo() string { return scrollInfo(f.offset, f.height, f.total) }

// headerLines are what goes above the fields: context, hints, and the
// errors that belong to no field.
func (f *Form) headerLines() []string {
	th, s, w := f.th, f.state, f.width
	var out []string
	out = append(out, contextLines(th, s.Form.Context, w)...)
	out = append(out, f.qrLines(w)...)
	if s.Form.Unknown {
		msg := termsafe.Line(s.Form.Component) + " is not in akinspect's catalog, so there is no form: the JSON body below is sent as typed."
		if s.ReadOnly {
			msg = termsafe.Line(s.Form.Component) + " is not in akinspect's catalog, so there is no form: below is the JSON body that was sent."
		}
		for _, l := range wrapLines(msg, w) {
			out = append(out, th.Warning.Render(l))
		}
	}
	if s.Form.Hint != "" {
		for _, l := range wrapLines(termsafe.String(s.Form.Hint), w) {
			out = append(out, th.Info.Render(l))
		}
	}
	if s.Challenge != nil {
		for _, e := range s.Challenge.NonFieldErrors() {
			style, mark := th.Error, errorMark
			if e.Informational() { // "Email sent": news, not a failure
				style, mark = th.Info, infoMark
			}
			for i, l := range wrapLines(termsafe.String(e.String), w-2) {
				out = append(out, style.Render(mark(i)+l))
			}
		}
		// Errors for keys the form has no field for would be lost.
		for _, k := range s.Challenge.ErrorFields() {
			if !f.hasField(k) {
				for _, e := range s.Challenge.Errors(k) {
					for i, l := range wrapLines("✗ "+termsafe.Line(k)+": "+termsafe.String(e.String), w-2) {
						if i > 0 {
							l = "  " + l
						}
						out = append(out, th.Error.Render(l))
					}
				}
			}
		}
	}
	if len(out) > 0 {
		out = append(out, "")
	}
	return out
}

// contextLines draws "Label: value" lines with the labels in a column as
// wide as the longest label, up to 40% of the width; values wrap beside
// them. A longer label gets a line of its own, its value below in the
// value column, so no label is ever cut.
func contextLines(th *Theme, ctx []flow.ContextLine, w int) []string {
	var out []string
	// The column fits the longest label that is within 40% of the width.
	limit, lw := max(8, w*2/5), 0
	for _, c := range ctx {
		if n := ansi.StringWidth(termsafe.Line(c.Label)) + 1; n <= limit { // with the colon
			lw = max(lw, n)
		}
	}
	if lw == 0 {
		lw = limit
	}
	pad := strings.Repeat(" ", lw+1)
	for _, c := range ctx {
		name := termsafe.Line(c.Label) + ":"
		label := th.Faint.Render(fitLine(name, lw)) + " "
		if ansi.StringWidth(name) > lw {
			for _, l := range wrapLines(name, w) {
				out = append(out, th.Faint.Render(l))
			}
			label = pad
		}
		for i, l := range wrapLines(termsafe.String(c.Value), max(8, w-lw-1)) {
			if i > 0 {
				label = pad
			}
			out = append(out, label+l)
		}
	}
	return out
}

func (f *Form) hasField(k string) bool {
	for _, fd := range f.fields {
		if fd.def.Key == k {
			return true
		}
	}
	return false
}

// render lays out every line of the pane and returns the line range of the
// focused field (top -1 when none).
func (f *Form) render() (lines []string, top, bottom int) {
	th, s := f.th, f.state
	top, bottom = -1, -1
	if s.Form.Terminal {
		return resultLines(th, s, f.width), top, bottom
	}
	if s.Form.Component == "" && len(s.Form.Fields) == 0 && !f.raw {
		return []string{th.Faint.Render("No challenge yet.")}, top, bottom
	}
	if !f.headerOK {
		f.header, f.headerOK = f.headerLines(), true
	}
	lines = append([]string(nil), f.header...)
	if f.raw {
		if s.ReadOnly {
			lines = append(lines, th.Heading.Render("Answer body (JSON)")+th.Faint.Render(" · as it was sent (read-only)"))
		} else {
			lines = append(lines, th.Heading.Render("Answer body (JSON)")+th.Faint.Render(" · ctrl+s sends it"))
		}
		top = len(lines)
		lines = append(lines, strings.Split(f.area.View(), "\n")...)
		return lines, top, len(lines) - 1
	}
	for i, fd := range f.fields {
		var errs []flow.ErrorDetail
		if s.Challenge != nil {
			errs = s.Challenge.Errors(fd.def.Key)
		}
		focused := f.focused && f.current() == fd
		start := len(lines)
		if f.fieldLines[i] == nil {
			f.fieldLines[i] = fd.render(th, focused, s.ReadOnly, errs, s.Notes[fd.def.Key], f.width)
		}
		lines = append(lines, f.fieldLines[i]...)
		if f.current() == fd {
			top, bottom = start, len(lines)-1
		}
		if i < len(f.fields)-1 {
			lines = append(lines, "")
		}
	}
	if !s.ReadOnly {
		lines = append(lines, "")
		for _, l := range hintLines(f.hint(), f.width) {
			lines = append(lines, th.Faint.Render(l))
		}
	} else {
		lines = append(lines, "", th.Faint.Render("recorded answer (read-only)"))
	}
	return lines, top, bottom
}

// The hint under the fields says what enter does from the focused field
// (enter goes to the next text field that is required or still empty and
// submits when none is left; tab visits every field). Its parts break at
// " · " in a narrow pane.
const (
	submitHint    = "enter ↵ submits · tab: every field"
	nextFieldHint = "enter ↵ next required field · ctrl+s submits now"
	areaHint      = "ctrl+s submits · tab: next field"
)

// hint is the line under the fields for the focused field.
func (f *Form) hint() string {
	if c := f.current(); f.focused && c != nil && c.usesArea() {
		return areaHint // enter types a new line there
	}
	if f.focused && !f.EnterSubmits() {
		return nextFieldHint
	}
	return submitHint
}

// hintLines breaks a "a · b" hint at its separators when it does not fit,
// so that no key is split from what it does.
func hintLines(hint string, w int) []string {
	if ansi.StringWidth(hint) <= w {
		return []string{hint}
	}
	var out []string
	for _, part := range strings.Split(hint, " · ") {
		out = append(out, wrapLines(part, w)...)
	}
	return out
}

// infoMark starts an informational message, as errorMark an error.
func infoMark(line int) string {
	if line == 0 {
		return "✓ "
	}
	return "  "
}

// qrLines draws the setup QR code where the pane is wide enough, and says
// how to make it so where it is not.
func (f *Form) qrLines(w int) []string {
	if f.qr == "" {
		return nil
	}
	lines := strings.Split(f.qr, "\n")
	if need := ansi.StringWidth(lines[0]); need > w {
		return wrapLines(fmt.Sprintf("z zooms this pane to show the QR code of the setup URL (%d columns)", need), w)
	}
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, f.th.QR.Render(l))
	}
	return out
}
