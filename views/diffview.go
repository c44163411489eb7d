package views

import (
	"strconv"
	"strings"

	"github.com/aymanbagabas/go-udiff"
	"github.com/charmbracelet/lipgloss"

	"github.com/akinspect/akinspect/internal/bytesize"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// The diff view (d and D): two exchanges compared, full screen. The model
// hands it plain data — both sides' labels and bodies, the structural
// differences history found (volatile paths already left out) — and it
// lays out the lines once per width (LayoutDiff, in a command for large
// bodies); RenderDiffView only cuts the window out of them.

// DiffSide is one side of a comparison.
type DiffSide struct {
	Label    string // "#12 POST /api/v3/flows/executor/…/" or a file name
	Request  []byte
	Response []byte
}

// DiffChange is one structural difference: at Path, Want (A) became Got (B).
type DiffChange struct{ Path, Want, Got string }

// DiffStage is one line of a whole-run comparison's stage list.
type DiffStage struct {
	Mark string // " " same, "~" changed, "-" only in A, "+" only in B
	Text string
}

// DiffInput is everything the diff view shows.
type DiffInput struct {
	A, B    DiffSide
	Changes []DiffChange
	// Stages lists a whole-run comparison's stages (D), Current the one
	// shown; nil for two exchanges (d).
	Stages  []DiffStage
	Current int
	// Missing says why one side has no exchange (a stage only one run has).
	Missing string
}

// DiffSideBySideFrom is the width from which the bodies are shown side by
// side; narrower, they are one unified diff (the panes' wide layout starts
// at the same width).
const DiffSideBySideFrom = 120

// diffContext is how many unchanged lines a hunk shows around a change.
const diffContext = 3

// LayoutDiff lays the comparison out for a terminal width cells wide
// (frame included): every line the view can scroll through, and where
// each hunk of the bodies starts (n and N walk them). It pretty-prints,
// diffs and colours both bodies, so the model runs it in a command when
// they are large.
func LayoutDiff(th *Theme, in DiffInput, width int) (lines []string, hunks []int) {
	w := max(width-2, 10) // inside the frame
	var out []string
	add := func(s string) { out = append(out, fitLine(s, w)) }
	head := func(s string) { add(th.Heading.Render(s)) }

	add(th.Removed.Render("A ") + termsafe.Line(in.A.Label))
	add(th.Added.Render("B ") + termsafe.Line(in.B.Label))
	if len(in.Stages) > 0 {
		add("")
		head("Stages")
		for i, s := range in.Stages {
			cur := "  "
			if i == in.Current {
				cur = th.Marker.Render("› ")
			}
			add(cur + markStyle(th, s.Mark).Render(termsafe.Line(s.Mark)) + " " + termsafe.Line(s.Text))
		}
	}
	add("")
	head("Differences (volatile values ignored)")
	if in.Missing != "" {
		add("  " + th.Faint.Render(termsafe.Line(in.Missing)))
	}
	if len(in.Changes) == 0 && in.Missing == "" {
		add("  " + th.Faint.Render("none: the same but for volatile values"))
	}
	for _, c := range in.Changes {
		add("  " + th.Changed.Render(termsafe.Line(c.Path)) + ": " + th.Removed.Render(termsafe.Line(c.Want)) +
			th.Faint.Render(" → ") + th.Added.Render(termsafe.Line(c.Got)))
	}
	for _, sec := range []struct {
		name string
		a, b []byte
	}{{"Request body", in.A.Request, in.B.Request}, {"Response body", in.A.Response, in.B.Response}} {
		if len(sec.a) == 0 && len(sec.b) == 0 {
			continue
		}
		add("")
		head(sec.name)
		for _, l := range bodyDiff(th, sec.a, sec.b, w) {
			if strings.HasPrefix(l, hunkMark) {
				hunks = append(hunks, len(out))
				l = l[len(hunkMark):]
			}
			add(l)
		}
	}
	return out, hunks
}

// hunkMark starts a hunk's header line on its way out of bodyDiff.
const hunkMark = "\x00hunk"

// markStyle colours a stage's change mark.
func markStyle(th *Theme, mark string) lipgloss.Style {
	switch mark {
	case "-":
		return th.Removed
	case "+":
		return th.Added
	case "~":
		return th.Changed
	}
	return th.Faint
}

// bodyDiff is the hunks between two bodies: pretty-printed and coloured
// as the details pane shows them, compared line by line (go-udiff), one
// unified diff when narrow, side by side when wide.
func bodyDiff(th *Theme, a, b []byte, w int) []string {
	ra, rb := renderBody(th, a), renderBody(th, b)
	ta, tb := joinLines(ra.lines), joinLines(rb.lines)
	if ta == tb {
		return []string{"  " + th.Faint.Render("the same ("+bytesize.Text(int64(len(a)))+")")}
	}
	u, err := udiff.ToUnifiedDiff("a", "b", ta, udiff.Lines(ta, tb), diffContext)
	if err != nil {
		return []string{"  " + th.Error.Render("cannot compare: "+err.Error())}
	}
	var out []string
	side := w >= DiffSideBySideFrom-2
	half := (w - 3) / 2
	for _, h := range u.Hunks {
		ai, bi := h.FromLine-1, h.ToLine-1
		out = append(out, hunkMark+th.Faint.Render(hunkHeader(h)))
		var dels, inss []string // a run of changed lines, paired side by side
		flush := func() {
			for i := 0; i < max(len(dels), len(inss)); i++ {
				l, r := "", ""
				if i < len(dels) {
					l = dels[i]
				}
				if i < len(inss) {
					r = inss[i]
				}
				out = append(out, fitLine(l, half)+th.Faint.Render(" │ ")+r)
			}
			dels, inss = nil, nil
		}
		for _, l := range h.Lines {
			switch l.Kind {
			case udiff.Delete:
				line := th.Removed.Render("-") + styledAt(ra, ai)
				ai++
				if side {
					dels = append(dels, line)
				} else {
					out = append(out, line)
				}
			case udiff.Insert:
				line := th.Added.Render("+") + styledAt(rb, bi)
				bi++
				if side {
					inss = append(inss, line)
				} else {
					out = append(out, line)
				}
			default:
				if side {
					flush()
					out = append(out, fitLine(" "+styledAt(ra, ai), half)+th.Faint.Render(" │ ")+" "+styledAt(rb, bi))
				} else {
					out = append(out, " "+styledAt(ra, ai))
				}
				ai++
				bi++
			}
		}
		flush()
	}
	return out
}

// hunkHeader is a hunk's "@@ -a,n +b,m @@" line.
func hunkHeader(h *udiff.Hunk) string {
	from, to := 0, 0
	for _, l := range h.Lines {
		switch l.Kind {
		case udiff.Delete:
			from++
		case udiff.Insert:
			to++
		default:
			from++
			to++
		}
	}
	return "@@ -" + strconv.Itoa(h.FromLine) + "," + strconv.Itoa(from) +
		" +" + strconv.Itoa(h.ToLine) + "," + strconv.Itoa(to) + " @@"
}

// styledAt is line i of a rendered body, coloured; "" past its end.
func styledAt(r *renderedBody, i int) string {
	if i < 0 || i >= len(r.lines) {
		return ""
	}
	return r.styledLine(i)
}

// joinLines is the text udiff compares: every line ends with a newline.
func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// RenderDiffView draws the laid-out lines from line top in a frame of
// width×height titled title.
func RenderDiffView(th *Theme, title string, lines []string, top, width, height int) string {
	inner := max(height-2, 0)
	top = max(0, min(top, len(lines)-inner))
	end := min(len(lines), top+inner)
	content := strings.Join(lines[top:end], "\n")
	return PaneFrameInfo(th, title, scrollInfo(top, inner, len(lines)), true, content, width, height)
}

// DiffMaxTop is the largest first line that still fills the view.
func DiffMaxTop(lines, height int) int { return max(0, lines-max(height-2, 0)) }
