package views

// frameCache is a pane's last framed output. A pane returns the same
// string from View until it changes, so most frames (a spinner tick, a
// key in another pane) reuse the border work. Each pane owns one and
// frames itself (Framed): there is no other frame cache.
type frameCache struct {
	view, title, info string
	focused           bool
	w, h              int
	out               string
}

// frame draws view in its border at w×h, or returns the last drawing when
// nothing it depends on changed. Comparing view is cheap: a pane that did
// not change returns the very same string.
func (c *frameCache) frame(th *Theme, title, info string, focused bool, view string, w, h int) string {
	if c.out == "" || c.view != view || c.title != title || c.info != info || c.focused != focused || c.w != w || c.h != h {
		*c = frameCache{view: view, title: title, info: info, focused: focused, w: w, h: h,
			out: PaneFrameInfo(th, title, info, focused, view, w, h)}
	}
	return c.out
}

// Framed is the timeline inside its border, exactly w×h.
func (t *Timeline) Framed(focused bool, w, h int) string {
	title, view := t.Title(), t.View()
	return t.frame.frame(t.th, title, t.ScrollInfo(), focused, view, w, h)
}

// Framed is the details pane inside its border, exactly w×h.
func (d *Details) Framed(focused bool, w, h int) string {
	title, view := d.Title(), d.View()
	return d.frame.frame(d.th, title, d.ScrollInfo(), focused, view, w, h)
}

// Framed is the form inside its border, exactly w×h. Its scroll position
// is asked after View: the form knows its length then.
func (f *Form) Framed(focused bool, w, h int) string {
	title, view := f.Title(), f.View()
	return f.frame.frame(f.th, title, f.ScrollInfo(), focused, view, w, h)
}
