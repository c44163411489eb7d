package views

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// withProfile runs with a colour profile and restores Ascii afterwards, so
// benchmarks pay for real escape codes.
func withProfile(tb testing.TB, p termenv.Profile) {
	lipgloss.SetColorProfile(p)
	tb.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
}

func TestHighlightFollowsColorProfile(t *testing.T) {
	body := []byte(`{"component":"ak-stage-password","n":1,"ok":true}`)
	if s := styledText(renderBody(NewTheme(), body)); strings.Contains(s, "\x1b") {
		t.Fatalf("no escape codes without colour: %q", s)
	}
	withProfile(t, termenv.TrueColor)
	if s := styledText(renderBody(NewTheme(), body)); !strings.Contains(s, "\x1b[38;2;") {
		t.Fatalf("truecolor terminals get 24-bit colours: %q", s)
	}
	lipgloss.SetColorProfile(termenv.ANSI256)
	if s := styledText(renderBody(NewTheme(), body)); !strings.Contains(s, "\x1b[38;5;") {
		t.Fatalf("256-colour terminals get 256 colours: %q", s)
	}
	big := renderBody(NewTheme(), bigJSON(highlightLimit+1))
	if s := styledText(big); strings.Contains(s, "\x1b") || big.note == "" {
		t.Fatal("bodies over 1 MiB stay plain with a note")
	}
}

func TestDarkAndLightChromaStyles(t *testing.T) {
	defer lipgloss.SetHasDarkBackground(true)
	lipgloss.SetHasDarkBackground(false)
	if th := NewTheme(); th.Dark || th.ChromaStyle != "github" {
		t.Fatalf("light terminal: %+v %s", th.Dark, th.ChromaStyle)
	}
	lipgloss.SetHasDarkBackground(true)
	if th := NewTheme(); !th.Dark || th.ChromaStyle != "github-dark" {
		t.Fatalf("dark terminal: %s", th.ChromaStyle)
	}
}

// styledText colours every line of a body and joins them.
func styledText(r *renderedBody) string {
	out := make([]string, len(r.lines))
	for i := range r.lines {
		out[i] = r.styledLine(i)
	}
	return strings.Join(out, "\n")
}

// TestBlockColoursMatchWholeBody checks the block-by-block colouring
// against chroma run over the whole body at once.
func TestBlockColoursMatchWholeBody(t *testing.T) {
	withProfile(t, termenv.TrueColor)
	th := NewTheme()
	for _, body := range [][]byte{
		bigJSON(20 << 10),
		[]byte(sampleExchange().ResponseBody),
		[]byte(`[[[[1,2,{"a":[{"b":"}\"]{["},"x"]}]]],{"k":{"k2":{"k3":[true,false,null,-1.5e3]}}}]`),
	} {
		r := renderBody(th, body)
		whole := strings.Join(r.lines, "\n")
		it, err := lexerJSON().Tokenise(nil, whole)
		if err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		if err := r.formatter.Format(&want, r.style, it); err != nil {
			t.Fatal(err)
		}
		// A colour opened and closed around nothing shows nothing.
		empty := regexp.MustCompile("\x1b\\[[0-9;]*m\x1b\\[0m")
		got := empty.ReplaceAllString(styledText(r), "")
		wantS := empty.ReplaceAllString(want.String(), "")
		if got != wantS {
			gl, wl := strings.Split(got, "\n"), strings.Split(wantS, "\n")
			for i := range gl {
				if i < len(wl) && gl[i] != wl[i] {
					t.Fatalf("line %d differs:\n got %q\nwant %q", i, gl[i], wl[i])
				}
			}
			t.Fatal("colours differ")
		}
	}
}

// TestColourViewsKeepExactSize draws every pane with 24-bit colour: escape
// codes must never change a pane's size.
func TestColourViewsKeepExactSize(t *testing.T) {
	withProfile(t, termenv.TrueColor)
	th := NewTheme()
	for _, sz := range termSizes {
		w, h := sz.w-2, sz.h-2
		for _, c := range challengeBodies {
			ch, form := challenge(t, c.body)
			f := NewForm(th)
			f.SetSize(w, h)
			f.SetState(FormState{Form: form, Challenge: ch, Diagnosis: diagnosis})
			f.Focus()
			requireSize(t, f.View(), w, h)
			requireSize(t, PaneFrame(th, f.Title(), true, f.View(), sz.w, sz.h), sz.w, sz.h)
		}
		d := NewDetails(th)
		d.SetSize(w, h)
		d.SetExchange(sampleExchange())
		d.SetInspector(RenderInspection(sampleInspection(), "", w))
		d.Focus()
		for _, k := range []string{"1", "2", "3", "4", "5", "6", "7"} {
			d.Update(keyMsg(k))
			requireSize(t, d.View(), w, h)
		}
		d.Update(keyMsg("1"))
		typeKeys(d, "/pass")
		requireSize(t, d.View(), w, h)
		if !strings.Contains(d.View(), "\x1b[") {
			t.Fatal("no colour drawn at all")
		}
		tl := NewTimeline(th)
		tl.SetSize(w, h)
		tl.SetRows(sampleRows(50))
		requireSize(t, tl.View(), w, h)
		requireSize(t, RenderHeader(th, HeaderState{Host: "auth.example.com", Flow: "f", Step: 2, State: "error", Recording: "x.akrec"}, sz.w), sz.w, 1)
	}
}
