package views

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Scrolling the details pane, without a copy of the text.

// ScrollInfo is the lines of the active tab in view and their number.
func (d *Details) ScrollInfo() string {
	if d.waiting > 0 {
		return ""
	}
	return scrollInfo(d.vp.YOffset, d.vp.Height, len(d.lines))
}

// YOffset is the first line shown of the active tab.
func (d *Details) YOffset() int { return d.vp.YOffset }

// scroll moves the viewport for a scrolling key, then colours the lines
// that came into view; other keys do nothing.
func (d *Details) scroll(km tea.KeyMsg) {
	if d.waiting > 0 {
		return // nothing to scroll yet
	}
	k := d.keys
	switch {
	case key.Matches(km, k.Up):
		d.vp.ScrollUp(1)
	case key.Matches(km, k.Down):
		d.vp.ScrollDown(1)
	case key.Matches(km, k.PageUp):
		d.vp.PageUp()
	case key.Matches(km, k.PageDown):
		d.vp.PageDown()
	case key.Matches(km, k.Top):
		d.vp.GotoTop()
	case key.Matches(km, k.Bottom):
		d.vp.GotoBottom()
	default:
		return
	}
	d.colourVisible()
}

// top is the first line shown: the placeholder while a layout is awaited.
func (d *Details) top() int {
	if d.waiting > 0 {
		return 0
	}
	return d.vp.YOffset
}

// scroller is the scroll arithmetic of bubbles' viewport without its copy
// of the text: viewport.SetContent splits and measures every line, which
// for a 32 MiB body takes longer than a frame.
type scroller struct {
	YOffset, Width, Height int
	total                  int // lines of text
}

func (s *scroller) maxYOffset() int { return max(0, s.total-s.Height) }

// SetYOffset scrolls to line n, kept within the text.
func (s *scroller) SetYOffset(n int) { s.YOffset = max(0, min(n, s.maxYOffset())) }

func (s *scroller) ScrollUp(n int) { s.SetYOffset(s.YOffset - n) }

func (s *scroller) ScrollDown(n int) { s.SetYOffset(s.YOffset + n) }

func (s *scroller) PageUp() { s.ScrollUp(s.Height) }

func (s *scroller) PageDown() { s.ScrollDown(s.Height) }

func (s *scroller) GotoTop() { s.SetYOffset(0) }

func (s *scroller) GotoBottom() { s.SetYOffset(s.maxYOffset()) }
