package model

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// Whole-screen goldens: the first steps of a session recorded from the
// simulator (testdata/sim, see simfixture_test.go), delivered as the client
// delivered them, then View() at two terminal sizes. Update with
// `go test ./model -update`.

type goldenCase struct {
	name    string
	fixture string // testdata/sim/<fixture>
	steps   int    // how many of its steps the model has received
}

var goldenCases = []goldenCase{
	{name: "identification", fixture: "login", steps: 1},
	// akadmin's wrong password: the POST answered 200 with response_errors.
	{name: "password_error", fixture: "login", steps: 3},
	{name: "authenticator_validate", fixture: "login", steps: 4},
	{name: "prompt", fixture: "enrollment", steps: 1},
	{name: "consent", fixture: "consent", steps: 1},
	{name: "access_denied", fixture: "denied", steps: 1},
	// The consent POST of a logged-in session without X-authentik-CSRF.
	{name: "flow_error", fixture: "csrf", steps: 2},
	{name: "success", fixture: "login", steps: 5},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				run := loadSimRun(t, tc.fixture)
				m := run.model(t, Options{}, size[0], size[1])
				run.feed(m, tc.steps)
				screen := m.View()
				assertScreenSize(t, screen, size[0], size[1])
				golden.RequireEqual(t, []byte(screen))
			})
		}
	}
}

// assertScreenSize: the frame must be exactly the terminal, never taller
// (Bubble Tea would drop the header) nor ragged.
func assertScreenSize(t *testing.T, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		t.Fatalf("screen has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, l)
		}
	}
}

func TestScreenFitsEverySize(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 80, 24)
	run.feed(m, 3) // the wrong password's answer
	for _, size := range [][2]int{{200, 60}, {120, 40}, {119, 30}, {80, 24}, {69, 20}, {40, 12}, {20, 6}, {10, 3}} {
		m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		assertScreenSize(t, m.View(), size[0], size[1])
	}
	m.update(keyMsg("tab")) // off the field
	m.update(keyMsg("?"))
	for _, size := range [][2]int{{120, 40}, {80, 24}, {30, 8}} {
		m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		assertScreenSize(t, m.View(), size[0], size[1])
	}
}
