package views

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/akinspect/akinspect/internal/bytesize"
	"github.com/akinspect/akinspect/internal/jsonscan"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// highlightLimit is the largest body that gets pretty colours; bigger ones
// are shown plain because chroma's regex lexer would stall the UI.
const highlightLimit = 1 << 20

// renderedBody is one body prepared for display. Pretty-printing runs
// once per body; colouring runs once per block of lines, the first time a
// block is shown, so a 1 MiB body costs nothing until it is scrolled
// through (chroma's regex lexer needs about 1.7 µs a byte).
type renderedBody struct {
	lines  []string // pretty-printed (JSON) or sanitised text, no escapes
	note   string   // shown above the body ("1.4 MiB body shown without highlighting")
	isJSON bool

	// Highlighting state; highlight is false for text, for bodies over the
	// limit and when the terminal shows no colour.
	highlight bool
	formatter chroma.Formatter
	style     *chroma.Style
	stacks    []string // per block: open containers at its first line, outermost first
	styled    []string // per line, valid once its block is done
	done      []bool   // per block
}

// highlightBlock is how many lines are coloured together.
const highlightBlock = 32

// renderBody pretty-prints a JSON body or sanitises a text body; the
// colouring is left for styledLine.
func renderBody(th *Theme, body []byte) *renderedBody {
	r := &renderedBody{}
	if len(body) == 0 {
		r.note = "(empty body)"
		return r
	}
	var text string
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		var buf bytes.Buffer
		if err := json.Indent(&buf, trimmed, "", "  "); err == nil {
			// JSON strings may hold raw C1 and bidi controls; they are
			// made visible before chroma sees the text.
			text = termsafe.String(buf.String())
			r.isJSON = true
		}
	}
	if !r.isJSON {
		text = termsafe.String(string(body))
	}
	r.lines = strings.Split(text, "\n")
	if len(body) > highlightLimit {
		r.note = largeBodyNote(len(body))
		return r
	}
	if r.isJSON {
		if f := formatterFor(lipgloss.ColorProfile()); f != nil {
			r.highlight, r.formatter, r.style = true, f, chromaStyle(th.ChromaStyle)
			r.stacks = blockStacks(text, highlightBlock)
			r.styled = make([]string, len(r.lines))
			r.done = make([]bool, len(r.stacks))
		}
	}
	return r
}

// largeBodyNote is the note above a body too large to highlight.
func largeBodyNote(size int) string {
	return fmt.Sprintf("%s body shown without highlighting", bytesize.Text(int64(size)))
}

// styledLine returns line i coloured, colouring its block on first use.
func (r *renderedBody) styledLine(i int) string {
	if !r.highlight {
		return r.lines[i]
	}
	b := i / highlightBlock
	if !r.done[b] {
		r.colourBlock(b)
	}
	return r.styled[i]
}

// colourBlock runs chroma over one block. Pretty JSON never has a string
// across lines, so a block lexes correctly once the lexer is put into the
// containers that are open at its first line: a synthetic prefix opens
// them, and its tokens are dropped before formatting.
func (r *renderedBody) colourBlock(b int) {
	r.done[b] = true
	from := b * highlightBlock
	to := min(len(r.lines), from+highlightBlock)
	copy(r.styled[from:to], r.lines[from:to])
	prefix := lexPrefix(r.stacks[b])
	src := prefix + strings.Join(r.lines[from:to], "\n")
	it, err := lexerJSON().Tokenise(nil, src)
	if err != nil {
		return
	}
	var toks []chroma.Token
	skip := len(prefix)
	for t := it(); t != chroma.EOF; t = it() {
		if skip > 0 {
			if len(t.Value) <= skip {
				skip -= len(t.Value)
				continue
			}
			t.Value = t.Value[skip:]
			skip = 0
		}
		toks = append(toks, t)
	}
	var out strings.Builder
	if r.formatter.Format(&out, r.style, chroma.Literator(toks...)) != nil {
		return
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) != to-from {
		return
	}
	copy(r.styled[from:to], lines)
}

// lexPrefix opens the given containers (outermost first) so that the
// lexer expects what follows inside the innermost: a key or a value.
func lexPrefix(stack string) string {
	var b strings.Builder
	for i := 0; i < len(stack); i++ {
		switch {
		case stack[i] == '[':
			b.WriteString("[")
		case i == len(stack)-1:
			b.WriteString("{")
		default:
			b.WriteString(`{"k":`)
		}
	}
	return b.String()
}

// blockStacks records, for every block of n lines, which containers are
// open at the block's first line. Pretty JSON has no string across lines:
// each line is read as one piece of the text.
func blockStacks(text string, n int) []string {
	b := []byte(text)
	stacks := []string{""}
	var stack []byte
	var s jsonscan.Stream
	for line, start := 1, 0; ; line++ {
		end := bytes.IndexByte(b[start:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += start
		}
		for i := s.Bracket(b[:end], start); i < end; i = s.Bracket(b[:end], i+1) {
			if b[i] == '{' || b[i] == '[' {
				stack = append(stack, b[i])
			} else if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
		if end == len(b) {
			return stacks
		}
		if line%n == 0 {
			stacks = append(stacks, string(stack))
		}
		start = end + 1
	}
}

// formatterFor picks the chroma formatter for the terminal's colour
// profile; nil means "no colour at all" (NO_COLOR, dumb terminals, tests).
func formatterFor(p termenv.Profile) chroma.Formatter {
	switch p {
	case termenv.TrueColor:
		return formatters.TTY16m
	case termenv.ANSI256:
		return formatters.TTY256
	case termenv.ANSI:
		return formatters.TTY16
	default:
		return nil
	}
}
