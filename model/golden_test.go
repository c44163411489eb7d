package model

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/akinspect/akinspect/transport"
)

// Whole-screen goldens: canned steps fed as the client would deliver them,
// then View() at two terminal sizes. Update with `go test ./model -update`.

type goldenCase struct {
	name      string
	steps     []string // challenge bodies in order; each after the first follows a POST
	diagnosis string   // Step.Diagnosis of the last step
}

var goldenCases = []goldenCase{
	{name: "identification", steps: []string{identificationJSON}},
	{name: "password_error", steps: []string{identificationJSON, passwordErrorJSON}},
	{name: "authenticator_validate", steps: []string{identificationJSON, passwordErrorJSON, validateJSON}},
	{name: "prompt", steps: []string{promptJSON}},
	{name: "consent", steps: []string{consentJSON}},
	{name: "access_denied", steps: []string{identificationJSON, deniedJSON}},
	{name: "flow_error", steps: []string{consentJSON, flowErrorJSON},
		diagnosis: "CSRF: the POST carried no X-authentik-CSRF header"},
	{name: "success", steps: []string{identificationJSON, passwordErrorJSON, validateJSON, successJSON}},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				m := sized(t, Options{Client: idleClient(t)}, size[0], size[1])
				feedSteps(t, m, tc.steps, tc.diagnosis)
				screen := m.View()
				assertScreenSize(t, screen, size[0], size[1])
				golden.RequireEqual(t, []byte(screen))
			})
		}
	}
}

// feedSteps delivers each challenge as a step; every step after the first
// answers the previous challenge with a POST.
func feedSteps(t testing.TB, m *Model, steps []string, diagnosis string) {
	t.Helper()
	for i, body := range steps {
		post := ""
		if i > 0 {
			post = steps[i-1]
		}
		if i == len(steps)-1 && diagnosis != "" {
			c := mustDecode(t, body)
			x := fakeExchange(len(m.exchanges)+1, "GET", "", body, 200, c.Component)
			x.Diagnosis = diagnosis
			m.update(stepDoneMsg{step: &transport.Step{Exchanges: []*transport.Exchange{x}, Challenge: c, Diagnosis: diagnosis}, seq: m.seq})
			continue
		}
		cannedStep(t, m, body, post)
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
	m := sized(t, Options{Client: idleClient(t)}, 80, 24)
	feedSteps(t, m, []string{identificationJSON, passwordErrorJSON}, "")
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
