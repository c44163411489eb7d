package views

import (
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/internal/bytesize"
)

// How the details pane lays out a tab: once per exchange, tab or width,
// at once for a small body and in a command for a large one.

// SetAsyncAbove makes bodies of more than n bytes render in a command
// (TakeRender) instead of in the call that asked for them; 0, the
// default, renders everything at once.
func (d *Details) SetAsyncAbove(n int) { d.asyncAbove = n }

// TakeRender hands out the command that lays out the tab asked for last,
// once; nil when there is nothing to lay out. Its RenderedMsg goes back
// to SetRendered.
func (d *Details) TakeRender() tea.Cmd {
	job := d.job
	d.job = nil
	return job
}

// Rendering reports the size of the body being laid out by a command, 0
// when the pane shows what it was asked to.
func (d *Details) Rendering() int { return d.waiting }

// SetRendered takes a tab laid out by a TakeRender command. A result for
// another exchange or tab, or for a request since superseded (another
// width, the same exchange handed in again), is dropped: it reports
// whether the result was used. A streamed body's beginning shows while
// the pane goes on waiting for the whole.
func (d *Details) SetRendered(msg RenderedMsg) bool {
	if d.waiting == 0 || msg.gen != d.gen || msg.id != d.x.ID || msg.tab != d.tab || msg.out.stopped {
		return false
	}
	if msg.out.partial {
		d.showBeginning(msg.out)
		return true
	}
	d.waiting, d.partial = 0, false
	d.apply(msg.out)
	if d.jumpToHit {
		d.jumpToHit = false
		d.jump()
	}
	return true
}

// rebuild lays out the active tab at the current width and hands it to
// the scroller, which keeps the scroll position. It runs on a new
// exchange, a tab switch or a width change, never from View. A body over
// the async limit is left to a command (see SetAsyncAbove).
func (d *Details) rebuild() {
	d.dirty = true
	d.gen++
	if d.stale != nil {
		d.stale.Store(true) // the job running for the last request
	}
	d.job, d.stale, d.jumpToHit, d.waiting, d.partial = nil, nil, false, 0, false
	d.lines, d.plain, d.body, d.textBytes = nil, nil, nil, 0
	if d.width <= 0 {
		return
	}
	in := d.tabInput()
	if n := len(in.rawBody()); d.asyncAbove > 0 && n > d.asyncAbove && d.has {
		d.renderLater(in, n)
		return
	}
	d.apply(layoutTab(in))
}

// tabInput copies what the active tab's layout needs.
func (d *Details) tabInput() tabInput {
	in := tabInput{th: d.th, x: d.x, has: d.has, tab: d.tab, inspector: d.inspector, width: d.width, query: d.query}
	switch d.tab {
	case TabResponse:
		in.body = d.resp
	case TabRequest:
		in.body = d.req
	}
	return in
}

// apply shows a laid-out tab and keeps its rendered body for next time.
func (d *Details) apply(out tabLayout) {
	if out.rendered != nil {
		switch d.tab {
		case TabResponse:
			d.resp = out.rendered
		case TabRequest:
			d.req = out.rendered
		}
	}
	d.lines, d.plain, d.body, d.textBytes = out.lines, out.plain, out.body, out.textBytes
	d.vp.total = len(d.lines)
	if out.query == d.query {
		d.matches, d.hits, d.current = out.matches, out.hits, 0
	} else {
		d.findMatches()
	}
	d.layout()
}

// renderLater shows a placeholder with the body's size and leaves the
// layout to a command; results of older requests are dropped by gen.
func (d *Details) renderLater(in tabInput, size int) {
	stale := new(atomic.Bool)
	in.stop = stale.Load
	gen, id, tab := d.gen, d.x.ID, d.tab
	d.stale = stale
	tag := func(out tabLayout) RenderedMsg { return RenderedMsg{gen: gen, id: id, tab: tab, out: out} }
	whole := func() tea.Msg { return tag(layoutTab(in)) }
	d.job = whole
	// A body that takes longer than a frame streams in, unless the view
	// is to return to a line further down (a resize while scrolled).
	if size > streamAbove && d.vp.YOffset == 0 {
		d.job = streamJob(in, 2*d.height, whole, tag)
	}
	d.waiting = size
	text := "rendering " + bytesize.Text(int64(size)) + "…"
	d.lines = []shownLine{{plain: text, styled: d.th.Faint.Render(text), src: -1, ready: true}}
	d.matches, d.hits, d.current = nil, 0, 0
	d.layout()
}

// layout sizes the viewport: the tab bar takes the first line and the
// search line, while there is one, the last.
func (d *Details) layout() {
	d.dirty = true
	h := d.height - 1
	if d.typing || d.query != "" || d.partial {
		h--
	}
	d.vp.Width, d.vp.Height = max(0, d.width), max(0, h)
	if d.waiting == 0 {
		d.vp.SetYOffset(d.vp.YOffset)
	}
	d.colourVisible()
}

// colourVisible makes sure the lines on screen have their colours; body
// lines are coloured block by block the first time they show.
func (d *Details) colourVisible() {
	end := min(len(d.lines), d.top()+d.vp.Height)
	for i := max(0, d.top()); i < end; i++ {
		if d.lines[i].ready {
			continue
		}
		// All pieces of one wrapped source line get coloured together.
		start := i - d.lines[i].piece
		stop := start + 1
		for stop < len(d.lines) && d.lines[stop].src == d.lines[start].src && d.lines[stop].piece > 0 {
			stop++
		}
		if d.body == nil || d.lines[start].src < 0 {
			for k := start; k < stop; k++ {
				d.lines[k].ready, d.lines[k].styled = true, d.lines[k].plain
			}
			continue
		}
		styled := d.body.styledLine(d.lines[start].src)
		pieces := []string{styled}
		if stop-start > 1 {
			pieces = hardwrap(styled, d.width)
		}
		for k := start; k < stop; k++ {
			d.lines[k].ready = true
			d.lines[k].styled = d.lines[k].plain
			if len(pieces) == stop-start {
				d.lines[k].styled = pieces[k-start]
			}
		}
	}
}
