package views

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/internal/bytesize"
	"github.com/akinspect/akinspect/internal/jsonscan"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// A body too large to lay out within a frame streams in: a first command
// lays out only its beginning, enough for the first screens, and the
// whole follows. The beginning's screen lines are the first screen lines
// of the whole layout, so nothing moves when the whole arrives.

// streamAbove: bodies larger than this stream in. Smaller ones are laid
// out whole in one command (a 1 MiB body takes about 20 ms); above it no
// body is highlighted, so the beginning needs no colours.
const streamAbove = highlightLimit

// prefixSizes are the lengths of the beginning tried in turn, until it
// makes enough lines; pretty-printing 1 MiB takes a few milliseconds.
var prefixSizes = []int{32 << 10, 128 << 10, 1 << 20}

// bodyPrefix is the beginning of a body laid out as the whole would be:
// lines are the whole layout's first lines, except that the last one may
// be cut short (open), so only its complete screen lines may be shown.
type bodyPrefix struct {
	lines []string
	open  bool
}

// renderBodyPrefix lays out the beginning of body, enough for about want
// screen lines width cells wide where it can; ok is false when no beginning can be shown as the whole
// would show it (a body whose first value is longer than the largest
// beginning tried, or one not larger than streamAbove).
func renderBodyPrefix(body []byte, want, width int) (p bodyPrefix, ok bool) {
	if len(body) <= streamAbove {
		return p, false
	}
	trimmed := bytes.TrimSpace(body)
	json := looksJSON(trimmed)
	for _, n := range prefixSizes {
		next, found := textPrefix(body, n), true
		if json {
			next, found = jsonPrefix(trimmed, n)
		}
		if found {
			p, ok = next, true
		}
		if ok && screenLines(p.lines, width) >= want {
			break
		}
	}
	return p, ok && len(p.lines) > 0
}

// screenLines estimates how many screen lines the lines make at width,
// counting a byte as a cell.
func screenLines(lines []string, width int) int {
	n := 0
	for _, l := range lines {
		n += 1 + len(l)/max(1, width)
	}
	return n
}

// looksJSON reports whether a body that renderBody tries as JSON may turn
// out to be JSON: a document that opens with '{' must close with '}'.
// A body failing this (one cut by the recorder, most often) is text
// whatever its beginning says. One that passes is taken for JSON; should
// it turn out malformed further on, the whole layout, as text, replaces
// the beginning.
func looksJSON(trimmed []byte) bool {
	if len(trimmed) < 2 {
		return false
	}
	first, last := trimmed[0], trimmed[len(trimmed)-1]
	return (first == '{' && last == '}') || (first == '[' && last == ']')
}

// textPrefix is the first n bytes of a text body, sanitised and split as
// renderBody does. The cut keeps whole characters and a "\r\n" together;
// the last line is open.
func textPrefix(body []byte, n int) bodyPrefix {
	if n >= len(body) {
		return bodyPrefix{lines: strings.Split(termsafe.String(string(body)), "\n")}
	}
	for n > 0 && (!utf8.RuneStart(body[n]) || body[n-1] == '\r') {
		n--
	}
	return bodyPrefix{lines: strings.Split(termsafe.String(string(body[:n])), "\n"), open: true}
}

// jsonPrefix pretty-prints the first n bytes of a JSON document the way
// json.Indent prints the whole: it is cut inside the string value open at
// the end (closing it there) or else before the last comma outside
// strings, the containers open there are closed, and the lines of the
// closing brackets are dropped. The last line kept differs from the
// whole's after the cut (no comma, a closing quote), so it is open. ok is
// false when the beginning has no such place or is not JSON (then
// neither is the whole).
func jsonPrefix(trimmed []byte, n int) (bodyPrefix, bool) {
	if n >= len(trimmed) {
		return bodyPrefix{}, false // short enough to be laid out whole
	}
	end := scanPrefix(trimmed[:n])
	cut, quote := end.comma, ""
	if at := end.stringCut(trimmed, n); at > 0 {
		cut, quote = at, `"`
	}
	if cut < 0 {
		return bodyPrefix{}, false
	}
	closers := closeOpen(trimmed[:cut])
	doc := make([]byte, 0, cut+1+len(closers))
	doc = append(append(append(doc, trimmed[:cut]...), quote...), closers...)
	var buf bytes.Buffer
	buf.Grow(2 * len(doc))
	if json.Indent(&buf, doc, "", "  ") != nil {
		return bodyPrefix{}, false
	}
	lines := strings.Split(termsafe.String(buf.String()), "\n")
	return bodyPrefix{lines: lines[:len(lines)-len(closers)], open: true}, true
}

// prefixEnd is where a beginning of JSON text may be cut.
type prefixEnd struct {
	comma int // the last ',' outside strings; -1 if none
	str   int // the first byte of the string value open at the end; -1 if none (or a key)
}

// scanPrefix finds the last comma outside strings in b, and the string
// open at its end unless that is an object's key.
func scanPrefix(b []byte) prefixEnd {
	var s jsonscan.Stream
	end := prefixEnd{comma: -1, str: -1}
	var open []byte // the containers open, innermost last
	var prev byte   // the last byte outside strings and white space
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case ' ', '\t', '\n', '\r':
		case '"':
			key := len(open) > 0 && open[len(open)-1] == '{' && (prev == '{' || prev == ',')
			j, closed := s.StringRest(b, i+1)
			if !closed && !key {
				end.str = i + 1
			}
			i, prev = j-1, c
		case '{', '[':
			open, prev = append(open, c), c
		case '}', ']':
			open, prev = open[:max(0, len(open)-1)], c
		case ',':
			end.comma, prev = i, c
		default:
			prev = c
		}
	}
	return end
}

// stringCut is where to cut the open string value so that a closing quote
// ends it well, at trimmed[n] or before: on a character's first byte and
// not inside an escape. -1 when there is no such place.
func (e prefixEnd) stringCut(trimmed []byte, n int) int {
	if e.str < 0 {
		return -1
	}
	cut := -1
	for i := e.str; i <= n; {
		if utf8.RuneStart(trimmed[i]) {
			cut = i
		}
		switch {
		case trimmed[i] != '\\':
			i++
		case i+1 < len(trimmed) && trimmed[i+1] == 'u':
			i += 6
		default:
			i += 2
		}
	}
	if cut <= e.str {
		return -1
	}
	return cut
}

// closeOpen returns the brackets that close the containers open at the
// end of b, innermost first.
func closeOpen(b []byte) []byte {
	var s jsonscan.Stream
	var stack []byte
	for i := s.Bracket(b, 0); i < len(b); i = s.Bracket(b, i+1) {
		switch b[i] {
		case '{':
			stack = append(stack, '}')
		case '[':
			stack = append(stack, ']')
		default:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	for i, j := 0, len(stack)-1; i < j; i, j = i+1, j-1 {
		stack[i], stack[j] = stack[j], stack[i]
	}
	return stack
}

// layoutPrefix lays out a body tab with only the beginning of its body,
// as layoutTab lays out the whole: the same lines above the body, the
// body's first lines, and of an open last line only its complete screen
// lines. ok is false when the body has no beginning to show.
func layoutPrefix(in tabInput, want int) (out tabLayout, ok bool) {
	raw := in.rawBody()
	p, ok := renderBodyPrefix(raw, want, in.width)
	if !ok {
		return out, false
	}
	r := &renderedBody{lines: p.lines, note: largeBodyNote(len(raw))}
	in.body = r
	var doc tabDoc
	in.fill(&doc)
	out.lines = doc.wrap(in.width)
	if p.open {
		out.lines = out.lines[:len(out.lines)-1]
	}
	out.body, out.partial = r, true
	return out, len(out.lines) > 0
}

// streamJob is the command that lays out a large body's beginning and
// hands back, with it, the command that lays out the whole: the runtime
// starts that one as the beginning shows. A body without a beginning to
// show is laid out whole at once.
func streamJob(in tabInput, want int, whole func() tea.Msg, tag func(tabLayout) RenderedMsg) tea.Cmd {
	return func() tea.Msg {
		if in.stop != nil && in.stop() {
			return nil
		}
		out, ok := layoutPrefix(in, want)
		if !ok {
			return whole()
		}
		first := tag(out)
		return tea.BatchMsg{func() tea.Msg { return first }, whole}
	}
}

// showBeginning shows a large body's beginning while the whole is laid
// out. Its lines are left out of search (plain stays empty), and the
// scroll position to return to is kept.
func (d *Details) showBeginning(out tabLayout) {
	d.partial = true
	d.lines, d.plain, d.body, d.textBytes = out.lines, nil, out.body, d.waiting
	d.matches, d.hits, d.current = nil, 0, 0
	d.layout()
}

// Partial reports whether the message holds only the beginning of a
// large body; the whole follows in another.
func (m RenderedMsg) Partial() bool { return m.out.partial }

// streamLine is the pane's last line while the beginning shows: the
// whole is on its way, and search and scrolling wait for it.
func (d *Details) streamLine() string {
	text := "laying out " + bytesize.Text(int64(d.waiting)) + "… (first screen shown)"
	if d.query != "" {
		text = "/" + termsafe.Line(d.query) + "  searching once laid out (" + bytesize.Text(int64(d.waiting)) + ")…"
	}
	return d.th.Faint.Render(text)
}
