package views

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// RenderHelp draws the '?' overlay from key bindings: one column per
// group (key, then description), as many columns per row as fit, centred
// in exactly width×height. Disabled bindings and bindings without help are
// left out, so the overlay always matches the keys that work.
func RenderHelp(th *Theme, groups [][]key.Binding, width, height int) string {
	var cols []string
	for _, g := range groups {
		if c := helpColumn(th, g); c != "" {
			cols = append(cols, c)
		}
	}
	avail := max(10, width-th.Overlay.GetHorizontalFrameSize())
	const gap = "   "
	var rows []string
	var row []string
	rowW := 0
	flush := func() {
		if len(row) > 0 {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
	}
	for _, c := range cols {
		cw := lipgloss.Width(c)
		if len(row) > 0 && rowW+len(gap)+cw > avail {
			flush()
		}
		if len(row) > 0 {
			row = append(row, gap)
			rowW += len(gap)
		}
		row = append(row, c)
		rowW += cw
	}
	flush()
	// Blank lines between the rows while they fit; a short terminal gets
	// the rows packed.
	sep := "\n\n"
	lines := 0
	for _, r := range rows {
		lines += strings.Count(r, "\n") + 2
	}
	if lines+2+th.Overlay.GetVerticalFrameSize()+2 > height {
		sep = "\n"
	}
	const closing = "? or esc closes this help"
	if sep == "\n" {
		// Packed: the title and the closing hint share the first line.
		body := th.Heading.Render("Keys") + th.Faint.Render(" · "+closing) + "\n" + strings.Join(rows, sep)
		return RenderOverlay(th, "", body, width, height)
	}
	body := strings.Join(rows, sep)
	body += sep + th.Faint.Render(closing)
	return RenderOverlay(th, "Keys", body, width, height)
}

// helpColumn renders one group as aligned "key  description" lines.
func helpColumn(th *Theme, g []key.Binding) string {
	type entry struct{ k, d string }
	var es []entry
	kw := 0
	for _, b := range g {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		if h.Key == "" && h.Desc == "" {
			continue
		}
		es = append(es, entry{h.Key, h.Desc})
		kw = max(kw, ansi.StringWidth(h.Key))
	}
	lines := make([]string, 0, len(es))
	for _, e := range es {
		lines = append(lines, th.HelpKey.Render(fitLine(e.k, kw))+"  "+th.HelpDesc.Render(e.d))
	}
	return strings.Join(lines, "\n")
}
