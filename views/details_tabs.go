package views

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/internal/termsafe"
)

// tabDoc collects a tab's text twice over, line for line: plain (what
// search reads) and styled (what is shown). A body's lines are coloured
// lazily, so for them styled stays empty and body says where they are.
type tabDoc struct {
	plain, styled []string
	body          *renderedBody
	bodyAt        int
}

// line adds one styled line; its plain twin is the line without escapes.
func (t *tabDoc) line(styled string) {
	t.styled = append(t.styled, styled)
	t.plain = append(t.plain, ansi.Strip(styled))
}

// text adds plain multi-line text.
func (t *tabDoc) text(plain string) {
	pl := strings.Split(plain, "\n")
	t.plain = append(t.plain, pl...)
	t.styled = append(t.styled, pl...)
}

// addBody adds a rendered body; its colours come from r on demand.
func (t *tabDoc) addBody(r *renderedBody) {
	t.body, t.bodyAt = r, len(t.plain)
	t.plain = append(t.plain, r.lines...)
	if r.highlight {
		t.styled = append(t.styled, make([]string, len(r.lines))...)
	} else {
		t.styled = append(t.styled, r.lines...)
	}
}

// shownLine is one screen line of a tab at the current width.
type shownLine struct {
	plain, styled string
	src           int  // the body line it comes from, -1 for other lines
	piece         int  // which piece of its wrapped source line
	ready         bool // styled is set
}

// wrap breaks lines longer than w cells. Styled lines are wrapped the
// same way; if that would break them differently the plain text is shown,
// so what is seen is always what search reads.
func (t *tabDoc) wrap(w int) []shownLine {
	out := make([]shownLine, 0, len(t.plain))
	for i, p := range t.plain {
		src, lazy := -1, false
		if t.body != nil && i >= t.bodyAt && i < t.bodyAt+len(t.body.lines) {
			src, lazy = i-t.bodyAt, t.body.highlight
		}
		s := t.styled[i]
		// Cheap test first: a line with no more bytes than cells fits.
		if len(p) <= w || ansi.StringWidth(p) <= w {
			out = append(out, shownLine{plain: p, styled: s, src: src, ready: !lazy})
			continue
		}
		pw := strings.Split(ansi.Hardwrap(p, w, true), "\n")
		sw := pw
		if !lazy && s != p {
			if x := strings.Split(ansi.Hardwrap(s, w, true), "\n"); len(x) == len(pw) {
				sw = x
			}
		}
		for k := range pw {
			out = append(out, shownLine{plain: pw[k], styled: sw[k], src: src, piece: k, ready: !lazy})
		}
	}
	return out
}

// renderTab fills doc with the active tab's content.
func (d *Details) renderTab(doc *tabDoc) {
	th := d.th
	switch d.tab {
	case TabResponse:
		if d.x.Error != "" {
			doc.line(th.Error.Render("✗ " + termsafe.Line(d.x.Error)))
		}
		if d.x.Diagnosis != "" {
			for _, l := range strings.Split(termsafe.String(d.x.Diagnosis), "\n") {
				doc.line(th.Warning.Render(l))
			}
		}
		if d.resp == nil {
			d.resp = renderBody(th, d.x.ResponseBody)
		}
		d.bodyLines(doc, d.resp)
	case TabRequest:
		if d.req == nil {
			d.req = renderBody(th, d.x.RequestBody)
		}
		d.bodyLines(doc, d.req)
	case TabReqHeaders:
		headerLines(th, doc, d.x.RequestHeaders)
	case TabRespHeaders:
		headerLines(th, doc, d.x.ResponseHeaders)
	case TabCookies:
		cookieLines(th, doc, d.x.Cookies)
	case TabTiming:
		timingLines(th, doc, d.x.Phases, d.width)
	case TabInspector:
		doc.text(termsafe.String(d.inspector))
	}
}

func (d *Details) bodyLines(doc *tabDoc, r *renderedBody) {
	if d.x.Truncated {
		doc.line(d.th.Warning.Render("body truncated by the recorder"))
	}
	if r.note != "" {
		doc.line(d.th.Faint.Render(r.note))
	}
	if len(r.lines) > 0 {
		doc.addBody(r)
	}
}

func headerLines(th *Theme, doc *tabDoc, hs []Header) {
	if len(hs) == 0 {
		doc.line(th.Faint.Render("(no headers)"))
		return
	}
	for _, h := range hs {
		doc.line(th.Bold.Render(termsafe.Line(h.Name)+":") + " " + termsafe.Line(h.Value))
	}
}

// cookieMarks are the change marks of the cookie jar table.
var cookieMarks = map[string]string{"added": "+", "changed": "~", "removed": "−"}

// cookieLines lists the jar two lines per cookie (name = value, then
// where it applies), which reads at any pane width.
func cookieLines(th *Theme, doc *tabDoc, cs []CookieRow) {
	if len(cs) == 0 {
		doc.line(th.Faint.Render("(cookie jar empty)"))
		return
	}
	changed := false
	for _, c := range cs {
		mark, ok := cookieMarks[c.Change]
		if !ok {
			mark = " "
		}
		changed = changed || ok
		style := th.App
		switch c.Change {
		case "added":
			style = th.Added
		case "changed":
			style = th.Changed
		case "removed":
			style = th.Removed
		}
		expires := c.Expires
		if expires == "" {
			expires = "session"
		}
		where := []string{termsafe.Line(c.Domain) + termsafe.Line(c.Path), "expires " + termsafe.Line(expires)}
		if c.Flags != "" {
			where = append(where, termsafe.Line(c.Flags))
		}
		doc.line(style.Render(mark+" "+termsafe.Line(c.Name)) + " = " + termsafe.Line(c.Value))
		doc.line(th.Faint.Render("    " + strings.Join(where, " · ")))
	}
	if changed {
		doc.line("")
		doc.line(th.Faint.Render("+ added  ~ changed  − removed in this exchange"))
	}
}

// timingLines draws one waterfall bar per phase, scaled to the slowest end.
func timingLines(th *Theme, doc *tabDoc, ps []Phase, width int) {
	if len(ps) == 0 {
		doc.line(th.Faint.Render("(no timing recorded)"))
		return
	}
	const nameW, durW = 18, 9
	barW := max(8, width-nameW-durW-2)
	var total time.Duration
	for _, p := range ps {
		total = max(total, p.Start+p.Duration)
	}
	for _, p := range ps {
		off, n := 0, 0
		if total > 0 {
			off = int(int64(p.Start) * int64(barW) / int64(total))
			n = int(int64(p.Duration) * int64(barW) / int64(total))
		}
		if n == 0 && p.Duration > 0 {
			n = 1
		}
		off = min(off, barW-n)
		bar := strings.Repeat(" ", off) + th.Bar.Render(strings.Repeat("█", n)) + strings.Repeat(" ", barW-off-n)
		doc.line(fitLine(p.Name, nameW) + " " + bar + " " + fmt.Sprintf("%*s", durW, formatDuration(p.Duration)))
	}
}
