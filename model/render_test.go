package model

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// bigJSONBody is a JSON challenge body of about n bytes whose last field
// names it, so a screen can tell one big body from another.
func bigJSONBody(n int, name string) string {
	var b strings.Builder
	b.Grow(n + 256)
	fmt.Fprintf(&b, `{"component":"ak-stage-prompt","name":%q,"fields":[`, name)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"field_key":"f%d","label":"Field %d","type":"text","initial_value":"%s"}`, i, i, strings.Repeat("x", 40))
	}
	b.WriteString(`]}`)
	return b.String()
}

// bigBodies is a live model at w×h with a small exchange #1 and large
// ones #2 and #3 of size bytes each, the timeline focused on #1.
func bigBodies(tb testing.TB, size, w, h int) *Model {
	m := sized(tb, Options{Client: idleClient(tb)}, w, h)
	m.update(exchangesMsg{xs: []*transport.Exchange{
		fakeExchange(1, "GET", "", identificationJSON, 200, identification),
		fakeExchange(2, "GET", "", bigJSONBody(size, "body-two"), 200, "ak-stage-prompt"),
		fakeExchange(3, "GET", "", bigJSONBody(size, "body-three"), 200, "ak-stage-prompt"),
	}})
	m.setFocus(focusTimeline)
	m.timeline.Select(1)
	m.update(views.SelectExchangeMsg{ID: 1})
	return m
}

// selectRow moves the timeline to id and returns what Update returned.
func selectRow(m *Model, id int) tea.Cmd {
	m.timeline.Select(id)
	return m.update(views.SelectExchangeMsg{ID: id})
}

// renderedIn runs cmd and returns its RenderedMsg.
func renderedIn(t *testing.T, cmd tea.Cmd) views.RenderedMsg {
	t.Helper()
	var out []views.RenderedMsg
	collectMsgs(cmd, func(msg tea.Msg) {
		if r, ok := msg.(views.RenderedMsg); ok {
			out = append(out, r)
		}
	})
	if len(out) != 1 {
		t.Fatalf("%d render results, want 1", len(out))
	}
	return out[0]
}

// A large body is laid out in a command: the details pane shows its size
// at once, and the body when the result comes back.
func TestLargeBodyRendersInACommand(t *testing.T) {
	m := bigBodies(t, 300<<10, 120, 40)
	cmd := selectRow(m, 2)
	if m.details.Rendering() == 0 || cmd == nil {
		t.Fatal("a 300 KiB body should be laid out in a command")
	}
	if screen := m.View(); !strings.Contains(screen, "rendering 300.") || strings.Contains(screen, "body-two") {
		t.Fatalf("the placeholder should show the size, not the body:\n%s", screen)
	}
	m.update(renderedIn(t, cmd))
	if m.details.Rendering() != 0 {
		t.Fatal("the result was dropped")
	}
	if screen := m.View(); strings.Contains(screen, "rendering") || !strings.Contains(screen, "body-two") {
		t.Fatalf("the body should show once rendered:\n%s", screen)
	}
	// A small body shows at once, with no command.
	if cmd := selectRow(m, 1); m.details.Rendering() != 0 || strings.Contains(m.View(), "rendering") {
		t.Fatalf("a small body should show at once (command %v)", cmd != nil)
	}
}

// A result for an exchange no longer selected, or for a tab no longer
// shown, is dropped; the newest request's result is used.
func TestStaleRenderIsDropped(t *testing.T) {
	m := bigBodies(t, 300<<10, 120, 40)
	first := selectRow(m, 2)
	second := selectRow(m, 3)
	m.update(renderedIn(t, first)) // #2's, arriving late
	if m.details.Rendering() == 0 || strings.Contains(m.View(), "body-two") {
		t.Fatalf("the result for #2 was shown while #3 is selected:\n%s", m.View())
	}
	m.update(renderedIn(t, second))
	if screen := m.View(); !strings.Contains(screen, "body-three") {
		t.Fatalf("#3's result should show:\n%s", screen)
	}

	// The tab changes while #2's response is being laid out.
	first = selectRow(m, 2)
	m.setFocus(focusDetails)
	press(t, m, "2") // the request tab: empty, laid out at once
	m.update(renderedIn(t, first))
	if m.details.Tab() != views.TabRequest || strings.Contains(m.View(), "body-two") {
		t.Fatalf("the response's layout was shown on the %s tab:\n%s", m.details.Tab(), m.View())
	}
}

// While a layout is awaited the program goes on: keys move the timeline,
// and a resize asks for a layout at the new width, whose result replaces
// the older one.
func TestRenderKeepsUpdateFree(t *testing.T) {
	m := bigBodies(t, 300<<10, 120, 40)
	old := selectRow(m, 2)
	resized := m.update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if resized == nil || m.details.Rendering() == 0 {
		t.Fatal("a resize should lay the large body out again, in a command")
	}
	m.update(renderedIn(t, old)) // laid out for the old width
	if m.details.Rendering() == 0 {
		t.Fatal("a layout for the old width was used")
	}
	m.update(renderedIn(t, resized))
	assertScreenSize(t, m.View(), 100, 30)
	if !strings.Contains(m.View(), "body-two") {
		t.Fatalf("the layout at the new width should show:\n%s", m.View())
	}
}

// BenchmarkSelect32MiB: select an exchange with a 32 MiB body (the default
// body cap) in the timeline, Update plus the View after it, at 200×60.
// The layout of the body is left to a command; this is what the event
// loop pays before the next key, tick or ctrl+c. Goal: ≤ 16 ms.
func BenchmarkSelect32MiB(b *testing.B) {
	m := bigBodies(b, 32<<20, 200, 60)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		selectRow(m, 1) // away, so that selecting #2 is new each time
		_ = m.View()
		b.StartTimer()
		_ = selectRow(m, 2)
		_ = m.View()
	}
	b.StopTimer()
	if m.details.Rendering() == 0 {
		b.Fatal("the 32 MiB body was laid out in Update")
	}
}

// BenchmarkRender32MiB: the commands that lay the 32 MiB body out (its
// first screens, then the whole: pretty-printed, sanitised, wrapped at
// the pane's width), off the event loop, and the Update that takes the
// whole; the whole body is there after this long.
func BenchmarkRender32MiB(b *testing.B) {
	m := bigBodies(b, 32<<20, 200, 60)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		selectRow(m, 1)
		cmd := selectRow(m, 2)
		b.StartTimer()
		var msg tea.Msg
		collectMsgs(cmd, func(x tea.Msg) { msg = x })
		m.update(msg)
		_ = m.View()
	}
	b.StopTimer()
	if m.details.Rendering() != 0 {
		b.Fatal("the result was not taken")
	}
}
