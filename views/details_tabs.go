package views

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
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
		pw := hardwrap(p, w)
		sw := pw
		if !lazy && s != p {
			if x := hardwrap(s, w); len(x) == len(pw) {
				sw = x
			}
		}
		for k := range pw {
			out = append(out, shownLine{plain: pw[k], styled: sw[k], src: src, piece: k, ready: !lazy})
		}
	}
	return out
}

// tabInput is everything the layout of a tab depends on, copied out of
// the pane so that a command can lay the tab out while the pane goes on
// (bodies are shared, never written).
type tabInput struct {
	th        *Theme
	x         ExchangeDetail
	has       bool
	tab       string
	inspector string
	width     int
	query     string
	// body is the tab's body as rendered before (pretty-printing is done
	// once per exchange); nil renders it.
	body *renderedBody
	// stop reports that the layout is no longer wanted (another exchange,
	// tab or width was asked for since); nil never stops.
	stop func() bool
}

// rawBody is the body the tab shows, nil for tabs without one.
func (in *tabInput) rawBody() []byte {
	switch in.tab {
	case TabResponse:
		return in.x.ResponseBody
	case TabRequest:
		return in.x.RequestBody
	}
	return nil
}

// tabLayout is a tab laid out at one width: its screen lines, their plain
// text for search, and the matches of the query it was laid out with.
type tabLayout struct {
	lines     []shownLine
	plain     []string
	body      *renderedBody // colours the body lines on demand; nil without a body
	rendered  *renderedBody // the tab's rendered body, to keep for next time
	textBytes int
	query     string
	matches   []match
	hits      int
	stopped   bool // given up half way: stop said so
	partial   bool // only the body's beginning (details_stream.go)
}

// layoutTab renders and wraps a tab. It reads only its input, so it runs
// in Update for small tabs and in a command for large bodies.
func layoutTab(in tabInput) tabLayout {
	var doc tabDoc
	var out tabLayout
	if !in.has {
		doc.line(in.th.Faint.Render("No exchange selected."))
	} else {
		out.rendered = in.fill(&doc)
	}
	if in.stop != nil && in.stop() {
		out.stopped = true
		return out
	}
	out.body = doc.body
	out.lines = doc.wrap(in.width)
	out.plain = make([]string, len(out.lines))
	for i, l := range out.lines {
		out.plain[i] = l.plain
		out.textBytes += len(l.plain) + 1
	}
	out.query = in.query
	out.matches, out.hits = matchLines(out.lines, out.plain, in.query)
	return out
}

// fill adds the tab's content to doc and returns the body it rendered
// (or was given), nil for tabs without a body.
func (in *tabInput) fill(doc *tabDoc) *renderedBody {
	th := in.th
	switch in.tab {
	case TabResponse:
		if in.x.Error != "" {
			doc.line(th.Error.Render("✗ " + termsafe.Line(in.x.Error)))
		}
		if in.x.Diagnosis != "" {
			for _, l := range strings.Split(termsafe.String(in.x.Diagnosis), "\n") {
				doc.line(th.Warning.Render(l))
			}
		}
		return in.bodyLines(doc, in.x.ResponseBody)
	case TabRequest:
		return in.bodyLines(doc, in.x.RequestBody)
	case TabReqHeaders:
		headerLines(th, doc, in.x.RequestHeaders)
	case TabRespHeaders:
		headerLines(th, doc, in.x.ResponseHeaders)
	case TabCookies:
		cookieLines(th, doc, in.x.Cookies)
	case TabTiming:
		timingLines(th, doc, in.x.Phases, in.width)
	case TabInspector:
		doc.text(termsafe.String(in.inspector))
	case TabURL:
		urlLines(th, doc, in.x, in.width)
	}
	return nil
}

func (in *tabInput) bodyLines(doc *tabDoc, raw []byte) *renderedBody {
	r := in.body
	if r == nil {
		r = renderBody(in.th, raw)
	}
	if in.x.Truncated {
		doc.line(in.th.Warning.Render("body truncated by the recorder"))
	}
	if r.note != "" {
		doc.line(in.th.Faint.Render(r.note))
	}
	if len(r.lines) > 0 {
		doc.addBody(r)
	}
	return r
}

// matchLines searches a tab's shown lines for q; a hit may run over the
// break of a wrapped line.
func matchLines(lines []shownLine, plain []string, q string) ([]match, int) {
	if q == "" {
		return nil, 0
	}
	cont := make([]bool, len(lines))
	for i, l := range lines {
		cont[i] = l.piece > 0
	}
	return findWrappedMatches(plain, cont, q)
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

// urlLines is the URL tab: the request line with the status, the whole
// URL, its query parameters as a table, and authentik's `query`
// parameter (the flow's own parameters: next, client_id, …) decoded as a
// table of its own.
func urlLines(th *Theme, doc *tabDoc, x ExchangeDetail, width int) {
	status := "no response"
	if x.Status != 0 {
		status = strconv.Itoa(x.Status)
		if t := http.StatusText(x.Status); t != "" {
			status += " " + t
		}
	}
	line := th.Method.Render(termsafe.Line(x.Method)) + " → " + th.Bold.Render(status)
	if x.Proto != "" {
		line += th.Faint.Render(" · " + termsafe.Line(x.Proto))
	}
	doc.line(line)
	doc.line("")
	doc.line(th.Heading.Render("URL"))
	doc.text(termsafe.Line(x.URL))
	u, err := url.Parse(x.URL)
	if err != nil {
		return
	}
	params := u.Query()
	if len(params) == 0 {
		doc.line("")
		doc.line(th.Faint.Render("(no query parameters)"))
		return
	}
	doc.line("")
	doc.line(th.Heading.Render("Query parameters"))
	paramTable(th, doc, params, width)
	for _, q := range params["query"] {
		inner, err := url.ParseQuery(q)
		if err != nil || len(inner) == 0 {
			continue
		}
		doc.line("")
		doc.line(th.Heading.Render("query, decoded") + th.Faint.Render(" (the flow's own parameters)"))
		paramTable(th, doc, inner, width)
		// next is often a URL of its own (an OAuth authorize request).
		for _, next := range inner["next"] {
			nu, err := url.Parse(next)
			if err != nil || len(nu.Query()) == 0 {
				continue
			}
			doc.line("")
			doc.line(th.Heading.Render("next, its parameters"))
			paramTable(th, doc, nu.Query(), width)
		}
	}
}

// paramTable lists parameters by name, one row per value, names in a
// column as wide as the longest (up to 40% of the width); long values
// wrap in their column.
func paramTable(th *Theme, doc *tabDoc, params url.Values, width int) {
	names := make([]string, 0, len(params))
	nw := 0
	for n := range params {
		names = append(names, n)
	}
	sort.Strings(names)
	limit := max(6, width*2/5)
	for _, n := range names {
		nw = max(nw, min(cellWidth(termsafe.Line(n)), limit))
	}
	valW := max(8, width-2-nw-2)
	for _, n := range names {
		for _, v := range params[n] {
			name := th.Bold.Render(fitLine(termsafe.Line(n), nw))
			v = termsafe.Line(v)
			if v == "" {
				v = th.Faint.Render("(empty)")
			}
			for i, piece := range hardwrap(v, valW) {
				if i > 0 {
					name = strings.Repeat(" ", nw)
				}
				doc.line("  " + name + "  " + piece)
			}
		}
	}
}
