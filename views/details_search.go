package views

import (
	"sort"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/internal/termsafe"
)

// The details pane's search: typed after /, over the active tab's plain
// text, a match may run over the break of a wrapped line.

// Matches returns the number of search matches and the current one (1-based).
func (d *Details) Matches() (current, total int) {
	if d.hits == 0 {
		return 0, 0
	}
	return d.current + 1, d.hits
}

func (d *Details) updateSearchInput(km tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(km, d.keys.Confirm):
		d.confirmSearch()
		return nil
	case key.Matches(km, d.keys.Clear):
		d.typing = false
		d.input.Blur()
		d.setQuery("")
		return nil
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(km)
	if d.textBytes <= liveSearchLimit {
		d.setQuery(d.input.Value())
	}
	return cmd
}

func (d *Details) confirmSearch() {
	d.typing = false
	d.input.Blur()
	d.setQuery(d.input.Value())
}

// SetQuery searches the active tab for q as if it had been typed after
// `/` and confirmed: the first match is shown and n/N walk the matches.
// An empty q clears the search. It works with or without focus.
func (d *Details) SetQuery(q string) {
	d.typing = false
	d.input.Blur()
	d.input.SetValue(q)
	d.setQuery(q)
	d.dirty = true
}

// setQuery runs a search over the tab's plain text and jumps to the first
// match.
func (d *Details) setQuery(q string) {
	d.query = q
	d.findMatches()
	d.layout()
	d.jump()
	d.jumpToHit = d.waiting > 0 && q != ""
}

// findMatches searches the tab's shown lines for the query; a hit may run
// over the break of a wrapped line.
func (d *Details) findMatches() {
	d.matches, d.hits = matchLines(d.lines, d.plain, d.query)
	d.current = 0
}

// step moves to the next (+1) or previous (-1) match, wrapping around.
func (d *Details) step(delta int) {
	if d.hits == 0 {
		return
	}
	d.current = (d.current + delta + d.hits) % d.hits
	d.jump()
}

// jump scrolls so the current match sits a third of the way down.
func (d *Details) jump() {
	k := sort.Search(len(d.matches), func(k int) bool { return d.matches[k].n >= d.current })
	if k == len(d.matches) {
		return
	}
	d.vp.SetYOffset(d.matches[k].line - d.vp.Height/3)
	d.colourVisible()
	d.dirty = true
}

// matchesOn returns the matches on screen line i and the index of the
// current match among them (-1 if it is elsewhere).
func (d *Details) matchesOn(i int) ([]match, int) {
	lo := sort.Search(len(d.matches), func(k int) bool { return d.matches[k].line >= i })
	hi := lo
	for hi < len(d.matches) && d.matches[hi].line == i {
		hi++
	}
	cur := -1
	for k := lo; k < hi; k++ {
		if d.matches[k].n == d.current {
			cur = k - lo
		}
	}
	return d.matches[lo:hi], cur
}

func (d *Details) searchLine() string {
	if d.typing {
		return d.input.View()
	}
	status := "no matches"
	if n := d.hits; n > 0 {
		status = strconv.Itoa(d.current+1) + "/" + strconv.Itoa(n)
	}
	return d.th.Marker.Render("/") + termsafe.Line(d.query) + "  " + d.th.Bold.Render(status) + d.th.Faint.Render("  n/N next/prev · esc clear")
}
