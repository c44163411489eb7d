package model

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/views"
)

// pickerDir is where the picker's rows claim to be: a fixed path, so the
// goldens do not hold a temporary directory.
const pickerDir = "/home/ada/.local/state/akinspect/recordings"

// simRecordingRows describes the simulator's recordings (testdata/sim) as
// `akinspect open` does, one hour apart, newest first, in UTC.
func simRecordingRows(t *testing.T) []views.RecordingRow {
	t.Helper()
	names := []string{"login", "denied", "consent", "enrollment", "csrf", "login-next", "login-inspected"}
	rows := make([]views.RecordingRow, len(names))
	for i, name := range names {
		d := history.Describe(history.File{Path: filepath.Join("testdata", "sim", name+history.Extension),
			Modified: fixedNow.Add(-time.Duration(i) * 97 * time.Minute)})
		if strings.HasPrefix(d.Result, "unreadable") {
			t.Fatalf("%s: %s", name, d.Result)
		}
		rows[i] = views.RecordingRow{Path: filepath.Join(pickerDir, name+history.Extension), Modified: d.Modified,
			Server: d.Server, Flows: d.Flows, Exchanges: d.Exchanges, Result: d.Result}
	}
	return rows
}

func newTestPicker(t *testing.T, w, h int) *RecordingPicker {
	t.Helper()
	p := NewRecordingPicker(views.NewTheme(), pickerDir, simRecordingRows(t))
	p.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return p
}

// pick sends keys; it reports whether the last one quit.
func pick(p *RecordingPicker, keys ...string) (quit bool) {
	for _, k := range keys {
		_, cmd := p.Update(keyMsg(k))
		quit = false
		if cmd != nil {
			_, quit = cmd().(tea.QuitMsg)
		}
	}
	return quit
}

func selectedName(p *RecordingPicker) string {
	row, ok := p.list.Selected()
	if !ok {
		return ""
	}
	return strings.TrimSuffix(filepath.Base(row.Path), history.Extension)
}

func TestGoldenRecordingPicker(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			p := newTestPicker(t, size[0], size[1])
			screen := p.View()
			assertScreenSize(t, screen, size[0], size[1])
			golden.RequireEqual(t, []byte(screen))
		})
		t.Run(name+"_filter", func(t *testing.T) {
			p := newTestPicker(t, size[0], size[1])
			pick(p, "/", "a", "u", "t", "h", "down")
			screen := p.View()
			assertScreenSize(t, screen, size[0], size[1])
			golden.RequireEqual(t, []byte(screen))
		})
	}
}

func TestRecordingPickerMoves(t *testing.T) {
	p := newTestPicker(t, 80, 24)
	steps := []struct{ key, want string }{
		{"", "login"},
		{"down", "denied"},
		{"j", "consent"},
		{"k", "denied"},
		{"up", "login"},
		{"up", "login"},               // the top stays the top
		{"pgdown", "login-inspected"}, // six a page at 80×24: the second page has one
		{"pgup", "login"},
		{"G", "login-inspected"},
		{"g", "login"},
	}
	for _, s := range steps {
		if s.key != "" {
			p.Update(keyFor(s.key))
		}
		if got := selectedName(p); got != s.want {
			t.Fatalf("after %q the selection is %q, want %q", s.key, got, s.want)
		}
	}
	if !strings.Contains(p.View(), "1 of 7") {
		t.Errorf("the frame does not say where the selection is:\n%s", p.View())
	}
}

// keyFor is keyMsg with the paging keys.
func keyFor(k string) tea.KeyMsg {
	switch k {
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	}
	return keyMsg(k)
}

func TestRecordingPickerEnterPicksTheSelection(t *testing.T) {
	p := newTestPicker(t, 120, 40)
	if !pick(p, "j", "j", "enter") {
		t.Fatal("enter did not end the picker")
	}
	got, ok := p.Picked()
	if want := filepath.Join(pickerDir, "consent"+history.Extension); !ok || got != want {
		t.Errorf("picked %q (%v), want %q", got, ok, want)
	}
}

func TestRecordingPickerFilter(t *testing.T) {
	p := newTestPicker(t, 120, 40)
	pick(p, "/", "e", "n", "r", "o", "l", "l")
	if !p.list.Filtering() || selectedName(p) != "enrollment" {
		t.Fatalf("filtering %q selected %q:\n%s", p.list.Filter(), selectedName(p), p.View())
	}
	if v := p.View(); strings.Contains(v, "default-denied") || !strings.Contains(v, "1 of 1") {
		t.Errorf("the filter left other recordings listed:\n%s", v)
	}
	// q is a letter of the filter, not quit, while typing one.
	if pick(p, "q") || p.list.Filter() != "enrollq" {
		t.Fatalf("q while filtering: filter %q", p.list.Filter())
	}
	p.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	if p.list.Filter() != "enroll" {
		t.Fatalf("backspace left %q", p.list.Filter())
	}
	// esc clears the filter and stays.
	if pick(p, "esc") || p.list.Filtering() || !strings.Contains(p.View(), "1 of 7") {
		t.Fatalf("esc while filtering did not clear it:\n%s", p.View())
	}
	// A filter that matches nothing: enter opens nothing.
	if pick(p, "/", "z", "z", "z", "enter") {
		t.Fatal("enter with nothing matching quit")
	}
	if !strings.Contains(p.View(), "nothing matches zzz") {
		t.Errorf("no word that nothing matches:\n%s", p.View())
	}
	pick(p, "esc")
	// Filter then enter: the top match opens.
	if !pick(p, "/", "d", "e", "n", "i", "e", "d", "enter") {
		t.Fatal("enter on a match did not end the picker")
	}
	if got, _ := p.Picked(); filepath.Base(got) != "denied"+history.Extension {
		t.Errorf("picked %q, want the denied recording", got)
	}
}

func TestRecordingPickerQuitsWithoutPicking(t *testing.T) {
	for _, k := range []string{"esc", "q", "ctrl+c"} {
		p := newTestPicker(t, 80, 24)
		if !pick(p, "j", k) {
			t.Errorf("%s did not end the picker", k)
		}
		if got, ok := p.Picked(); ok || got != "" {
			t.Errorf("%s picked %q", k, got)
		}
	}
	// ctrl+c quits while a filter is typed too.
	p := newTestPicker(t, 80, 24)
	if !pick(p, "/", "x", "ctrl+c") {
		t.Error("ctrl+c while filtering did not end the picker")
	}
	if _, ok := p.Picked(); ok {
		t.Error("ctrl+c picked")
	}
}

func TestRecordingPickerClickSelects(t *testing.T) {
	p := newTestPicker(t, 120, 40)
	// Line 0 is the border, 1 the count, 2 blank; rows take three lines.
	for y, want := range map[int]string{3: "login", 4: "login", 6: "denied", 9: "consent", 22: "login-inspected"} {
		p.Update(tea.MouseMsg{X: 10, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
		if got := selectedName(p); got != want {
			t.Errorf("a click on line %d selected %q, want %q", y, got, want)
		}
	}
	p.Update(tea.MouseMsg{X: 10, Y: 6, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	p.Update(tea.MouseMsg{X: 10, Y: 5, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})  // between rows
	p.Update(tea.MouseMsg{X: 10, Y: 38, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft}) // below them
	if got := selectedName(p); got != "denied" {
		t.Errorf("a click off the rows moved the selection to %q", got)
	}
	p.Update(tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if got := selectedName(p); got != "consent" {
		t.Errorf("the wheel moved to %q", got)
	}
}

// A file name, a flow slug or a server with escape sequences never reaches
// the terminal raw.
func TestRecordingPickerSanitizes(t *testing.T) {
	evil := "\x1b]52;c;aGk=\x07\x1b[2J"
	rows := []views.RecordingRow{{Path: pickerDir + "/x" + evil + ".akinspect.jsonl", Modified: fixedNow,
		Server: "srv" + evil, Flows: []string{"flow" + evil}, Exchanges: 3, Result: "at " + evil}}
	p := NewRecordingPicker(views.NewTheme(), pickerDir+evil, rows)
	p.Update(tea.WindowSizeMsg{Width: 120, Height: 20})
	pick(p, "/", "f")
	for _, v := range []string{p.View(), func() string { pick(p, "esc"); return p.View() }()} {
		if strings.ContainsAny(v, "\x1b\x07") {
			t.Fatalf("raw escape in the picker: %q", v)
		}
	}
}

func TestRecordingPickerTinySizes(t *testing.T) {
	p := newTestPicker(t, 80, 24)
	for _, size := range [][2]int{{40, 12}, {20, 6}, {10, 3}, {200, 60}} {
		p.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		assertScreenSize(t, p.View(), size[0], size[1])
	}
}

// Keys typed faster than they are read arrive as one message: "/den" still
// opens the filter and types "den", and the recording holding "den" as
// typed comes before fuzzier matches.
func TestRecordingPickerBurstAndSubstringFirst(t *testing.T) {
	p := newTestPicker(t, 120, 40)
	p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/den")})
	if !p.list.Filtering() || p.list.Filter() != "den" {
		t.Fatalf("a burst left the filter %q (filtering %v)", p.list.Filter(), p.list.Filtering())
	}
	if got := selectedName(p); got != "denied" {
		t.Errorf("/den selects %q first, want denied:\n%s", got, p.View())
	}
	// The filter line open but empty lists every recording.
	pick(p, "esc", "/")
	if v := p.View(); !strings.Contains(v, "1 of 7") || !strings.Contains(v, "enrollment.akinspect.jsonl") {
		t.Errorf("an empty filter hides recordings:\n%s", v)
	}
}
