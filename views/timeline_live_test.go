package views

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/akinspect/akinspect/flow"
)

// An inspector read arriving after a challenge must not pull the live
// cursor (and so the details pane) away from the challenge.
func TestLiveTimelineSkipsAsideRows(t *testing.T) {
	tl := NewTimeline(NewTheme())
	tl.SetSize(60, 10)
	tl.Append(ExchangeRow{ID: 1, Method: "GET", Status: 200, Component: flow.ComponentPassword})
	tl.Append(ExchangeRow{ID: 2, Method: "GET", Status: 200, Note: "inspector", Aside: true, Dim: true})
	if !tl.Live() || tl.SelectedID() != 1 {
		t.Fatalf("live cursor moved onto the inspector row: live=%v id=%d", tl.Live(), tl.SelectedID())
	}
	if !strings.Contains(tl.View(), "inspector") {
		t.Fatalf("the inspector row stays listed:\n%s", tl.View())
	}
	tl.Select(1)
	if !tl.Live() {
		t.Fatal("selecting the newest flow row leaves live mode")
	}
	tl.Append(ExchangeRow{ID: 3, Method: "POST", Status: 302, Note: "→ password"})
	if tl.SelectedID() != 3 {
		t.Fatalf("live cursor did not follow the new flow row: %d", tl.SelectedID())
	}
	tl.SetLive(false)
	tl.Append(ExchangeRow{ID: 4, Method: "GET", Status: 200, Aside: true})
	tl.SetLive(true)
	if tl.SelectedID() != 3 {
		t.Fatalf("L lands on the inspector row: %d", tl.SelectedID())
	}
	tl.SetRows([]ExchangeRow{{ID: 1}, {ID: 2, Aside: true}})
	if tl.SelectedID() != 1 {
		t.Fatalf("SetRows in live mode selects the inspector row: %d", tl.SelectedID())
	}
	// In a short pane the rows after the cursor stay in view.
	tl.SetSize(60, 3)
	tl.SetRows([]ExchangeRow{{ID: 1}, {ID: 2}, {ID: 3}, {ID: 4, Note: "inspector", Aside: true}})
	if v := tl.View(); tl.SelectedID() != 3 || !strings.Contains(v, "inspector") {
		t.Fatalf("live short timeline on #%d hides the newest row:\n%s", tl.SelectedID(), v)
	}
	// The user may still move onto it.
	tl.Focus()
	run(tl.Update(keyMsg("G")))
	if tl.SelectedID() != 4 || tl.Live() {
		t.Fatalf("G: id=%d live=%v", tl.SelectedID(), tl.Live())
	}
}

func TestTimelineDimRowsAreFaint(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	t.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
	th := NewTheme()
	tl := NewTimeline(th)
	tl.SetSize(70, 5)
	tl.SetLive(false)
	row := ExchangeRow{ID: 2, Method: "GET", Status: 200, Component: flow.ComponentPassword}
	dim := row
	dim.ID, dim.Dim = 3, true
	tl.SetRows([]ExchangeRow{{ID: 1, Method: "GET"}, row, dim})
	tl.Select(1)
	lines := strings.Split(tl.View(), "\n")
	plain, faint := lines[2], lines[3]
	if ansi.Strip(plain)[1:] == "" || strings.TrimPrefix(ansi.Strip(faint), " ") == "" {
		t.Fatalf("rows missing:\n%s", tl.View())
	}
	method := th.Method.Render("GET ")
	if !strings.Contains(plain, method) {
		t.Fatalf("a normal row paints its method: %q", plain)
	}
	if strings.Contains(faint, method) || !strings.Contains(faint, th.Faint.Render("200")) {
		t.Fatalf("a dim row is not drawn faint: %q", faint)
	}
}

// At the timeline's width in a 120-column layout the longest stage names
// are shown whole; the path column only gets what is left.
func TestTimelineComponentBeforePath(t *testing.T) {
	tl := NewTimeline(NewTheme())
	tl.SetSize(TimelineMinWidth, 4)
	tl.SetRows([]ExchangeRow{
		{ID: 1, Method: "GET", Status: 200, Component: flow.ComponentValidate, Path: "/api/v3/flows/executor/x/", Duration: 42 * time.Millisecond},
		{ID: 2, Method: "POST", Status: 302, Note: "→ authenticator-validate", Path: "/api/v3/flows/executor/x/"},
	})
	if v := tl.View(); !strings.Contains(v, " authenticator-validate ") || !strings.Contains(v, "42ms") {
		t.Fatalf("component cut or duration missing:\n%s", v)
	}
	tl.SetSize(TimelineMinWidth-1, 4)
	if v := tl.View(); !strings.Contains(v, "authenticator-validate") || strings.Contains(v, "42ms") {
		t.Fatalf("without room the duration goes before the component is cut:\n%s", v)
	}
	tl.SetSize(100, 4)
	v := tl.View()
	if !strings.Contains(v, "authenticator-validate") || !strings.Contains(v, "/api/v3/flows/executor/x/") || !strings.Contains(v, "42ms") {
		t.Fatalf("wide timeline shows component and path:\n%s", v)
	}
}

func TestTimelineLiveHelpIsConfigurable(t *testing.T) {
	tl := NewTimeline(NewTheme())
	desc := func() string {
		for _, b := range tl.ShortHelp() {
			if b.Help().Key == "L" {
				return b.Help().Desc
			}
		}
		return ""
	}
	if desc() != "back to live" {
		t.Fatalf("default L help: %q", desc())
	}
	tl.SetLiveHelp("last exchange")
	if desc() != "last exchange" {
		t.Fatalf("L help after SetLiveHelp: %q", desc())
	}
}
