package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// SetQuery runs a search without keys and without focus, as the
// recording search does when it opens a hit.
func TestDetailsSetQuery(t *testing.T) {
	d := NewDetails(NewTheme())
	d.SetSize(70, 12)
	d.SetExchange(sampleExchange())
	d.SetQuery("password")
	if d.CapturesKeys() || d.Focused() {
		t.Fatal("SetQuery leaves no prompt open and takes no focus")
	}
	if cur, total := d.Matches(); total != 4 || cur != 1 {
		t.Fatalf("matches %d/%d, want 1/4", cur, total)
	}
	if !strings.Contains(d.View(), "1/4") {
		t.Fatalf("match count not shown:\n%s", d.View())
	}
	d.SetQuery("")
	if _, total := d.Matches(); total != 0 {
		t.Fatalf("an empty query clears the search, %d matches left", total)
	}
}

// At a 120-column layout's form width no context label is cut and the
// submit hint is whole.
func TestFormContextLabelsAndHintFit(t *testing.T) {
	for _, w := range []int{31, 34, 60} {
		f := newFocusedForm(t, challengeBodies[0].body, w, 40)
		v := ansi.Strip(f.View())
		for _, label := range []string{"Flow designation:", "Identify with:", "Primary action:"} {
			if !strings.Contains(v, label) {
				t.Errorf("width %d: label %q cut:\n%s", w, label, v)
			}
		}
		for _, part := range strings.Split(submitHint, " · ") {
			if !strings.Contains(v, part) {
				t.Errorf("width %d: submit hint %q cut:\n%s", w, part, v)
			}
		}
	}
	// The value column stays aligned: a short label sits beside its value.
	f := newFocusedForm(t, challengeBodies[0].body, 34, 40)
	if v := ansi.Strip(f.View()); !strings.Contains(v, "Primary action:") || !strings.Contains(v, "Log in") {
		t.Fatalf("context:\n%s", v)
	}
}

// In a narrow details pane (a 120-column layout) every tab stays named.
func TestDetailsTabBarKeepsEveryTabWhenNarrow(t *testing.T) {
	d := NewDetails(NewTheme())
	d.SetSize(37, 10)
	d.SetExchange(sampleExchange())
	d.SetInspector("plan: identification")
	bar := strings.SplitN(ansi.Strip(d.View()), "\n", 2)[0]
	for _, name := range []string{"Res", "Req", "ReqH", "ResH", "Jar", "Time", "Insp", "URL"} {
		if !strings.Contains(bar, name) || strings.Contains(bar, "…") {
			t.Fatalf("tab %s missing or cut: %q", name, bar)
		}
	}
}

// A word cut by wrapping in a narrow pane is still found, and both of its
// pieces are marked.
func TestDetailsSearchFindsWordsAcrossWrappedLines(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii) // matches in brackets
	d := NewDetails(NewTheme())
	d.SetSize(30, 12)
	d.SetExchange(ExchangeDetail{ID: 1, ResponseBody: []byte(`{"component":"ak-stage-authenticator-validate","x":"authenticator-validate"}`)})
	d.SetQuery("authenticator-validate")
	if cur, total := d.Matches(); total != 2 || cur != 1 {
		t.Fatalf("matches %d/%d, want 1/2:\n%s", cur, total, d.View())
	}
	v := d.View()
	if strings.Count(v, "«") != 2 { // one mark on each of the two lines

		t.Fatalf("the current hit is not marked on both lines:\n%s", v)
	}
	d.Focus()
	run(d.Update(keyMsg("n")))
	if cur, _ := d.Matches(); cur != 2 {
		t.Fatalf("n: on hit %d", cur)
	}
}

// A field error that wraps in a narrow form is one error: one ✗.
func TestFormWrappedErrorHasOneMark(t *testing.T) {
	f := newFocusedForm(t, challengeBodies[1].body, 24, 30) // password_invalid
	f.state.Challenge.ResponseErrors["password"][0].String = "Invalid password, please try again later"
	f.SetState(f.state)
	v := ansi.Strip(f.View())
	if n := strings.Count(v, "✗"); n != 1 {
		t.Fatalf("%d error marks for one wrapped error:\n%s", n, v)
	}
}
