package views

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// RenderHelp draws the '?' overlay from key bindings: one column per
// group (key, then description), as many columns per row as fit, centred
// in exactly width×height. Disabled bindings and bindings without help are
// left out, so the overlay always matches the keys that work. Where even
// packed they do not fit, the lines scroll from offset.
func RenderHelp(th *Theme, groups [][]key.Binding, width, height, offset int) string {
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
		// The box gives up its blank padding lines too.
		packed := strings.Join(rows, sep)
		box := th.Overlay.Padding(0, 1)
		if strings.Count(packed, "\n")+2+box.GetVerticalFrameSize() > height {
			// Rows of groups leave holes under short groups: stack the
			// groups in columns instead, each under the shortest one.
			packed = stackColumns(cols, max(10, width-box.GetHorizontalFrameSize()), gap)
		}
		title := th.Heading.Render("Keys") + th.Faint.Render(" · "+closing)
		lines := strings.Split(packed, "\n")
		room := height - box.GetVerticalFrameSize() - 1
		if len(lines) > room && room > 2 {
			// Still too long: it scrolls, and says so.
			room--
			off := max(0, min(offset, len(lines)-room))
			more := th.Faint.Render(fmt.Sprintf("↑/↓ scroll · %d–%d of %d lines", off+1, off+room, len(lines)))
			packed = strings.Join(lines[off:off+room], "\n") + "\n" + more
		}
		return renderOverlay(th, box, "", title+"\n"+packed, width, height)
	}
	body := strings.Join(rows, sep)
	body += sep + th.Faint.Render(closing)
	return RenderOverlay(th, "Keys", body, width, height)
}

// stackColumns lays groups out in as many columns as fit in width, each
// group going under the column that is shortest so far.
func stackColumns(groups []string, width int, gap string) string {
	for n := len(groups); n >= 1; n-- {
		stacks := make([][]string, n)
		heights := make([]int, n)
		widths := make([]int, n)
		for _, g := range groups {
			j := 0
			for k := range heights {
				if heights[k] < heights[j] {
					j = k
				}
			}
			stacks[j] = append(stacks[j], g)
			heights[j] += strings.Count(g, "\n") + 1
			widths[j] = max(widths[j], lipgloss.Width(g))
		}
		total := len(gap) * (n - 1)
		for _, w := range widths {
			total += w
		}
		if total > width && n > 1 {
			continue
		}
		var parts []string
		for j, st := range stacks {
			if len(st) == 0 {
				continue
			}
			if len(parts) > 0 {
				parts = append(parts, gap)
			}
			parts = append(parts, lipgloss.NewStyle().Width(widths[j]).Render(strings.Join(st, "\n")))
		}
		return lipgloss.JoinHorizontal(lipgloss.Top, parts...)
	}
	return strings.Join(groups, "\n")
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
