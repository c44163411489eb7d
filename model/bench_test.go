package model

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// bigChallengeBody is a valid challenge of about 1 MiB.
func bigChallengeBody() string {
	var b strings.Builder
	b.WriteString(`{"component":"ak-stage-prompt","fields":[`)
	for i := 0; b.Len() < 1<<20; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"field_key":"f%d","label":"Field %d","type":"text","required":false,"placeholder":"","initial_value":"%s","order":%d,"sub_text":"","choices":null}`,
			i, i, strings.Repeat("x", 40), i)
	}
	b.WriteString(`]}`)
	return b.String()
}

// BenchmarkFullView200x60: one full-screen frame (panes unchanged since the
// last frame, as on a spinner tick) with a 1 MiB challenge
// shown in details and 10,000 exchanges in the timeline. Goal: ≤ 1 ms.
func BenchmarkFullView200x60(b *testing.B) {
	m := bigSession(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}

// BenchmarkFullView200x60Cold: the same frame with every pane framed
// again (a focus change moves the focus mark of two panes; a re-rendered
// pane changes one): the focus goes round the three panes.
func BenchmarkFullView200x60Cold(b *testing.B) {
	m := bigSession(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.setFocus(focusID(i % int(paneCount)))
		_ = m.View()
	}
}

// BenchmarkScrollTimeline200x60: one key down/up in the 10,000-row
// timeline (small exchanges either side) plus the frame after it.
func BenchmarkScrollTimeline200x60(b *testing.B) {
	m := bigSession(b)
	m.timeline.Select(7000)
	m.update(views.SelectExchangeMsg{})
	keys := []tea.KeyMsg{{Type: tea.KeyDown}, {Type: tea.KeyUp}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.update(keys[i%2])
		m.update(views.SelectExchangeMsg{})
		_ = m.View()
	}
}

// bigSession: 10,000 exchanges in the timeline, the one with a 1 MiB
// challenge body selected and shown.
func bigSession(b *testing.B) *Model {
	m := sized(b, Options{Client: idleClient(b)}, 200, 60)
	big := bigChallengeBody()
	xs := make([]*transport.Exchange, 0, 10000)
	for i := 1; i <= 10000; i++ {
		body := identificationJSON
		if i == 5000 {
			body = big
		}
		xs = append(xs, fakeExchange(i, "GET", "", body, 200, "ak-stage-identification"))
	}
	m.update(exchangesMsg{xs: xs})
	m.update(tea.KeyMsg{Type: tea.KeyTab}) // → timeline
	m.timeline.Select(5000)
	m.update(views.SelectExchangeMsg{ID: 5000})
	if m.shownID != 5000 {
		b.Fatalf("details show %d, want the 1 MiB exchange", m.shownID)
	}
	assertFrame(b, m.View(), 200, 60)
	return m
}

func assertFrame(tb testing.TB, screen string, w, h int) {
	tb.Helper()
	if n := strings.Count(screen, "\n") + 1; n != h {
		tb.Fatalf("frame has %d lines, want %d", n, h)
	}
}

// BenchmarkFirstScreen32MiB: from selecting an exchange with a 32 MiB body
// to the first frame that shows the body itself, not the "rendering …"
// placeholder. The commands the model hands out run one after the other,
// in the order the runtime starts them (a batch's commands before those
// queued after it), until the details pane shows the body's first line;
// what is laid out after that (the whole body, streaming in behind its
// first screens) is not counted. Goal: ≤ 16 ms.
func BenchmarkFirstScreen32MiB(b *testing.B) {
	m := bigBodies(b, 32<<20, 200, 60)
	shows := func() bool { return strings.Contains(m.details.View(), `"body-two"`) }
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		selectRow(m, 1)
		cmds := []tea.Cmd{selectRow(m, 2)}
		b.StartTimer()
		for !shows() {
			if len(cmds) == 0 {
				b.Fatalf("the body never showed:\n%s", m.details.View())
			}
			cmd := cmds[0]
			cmds = cmds[1:]
			if cmd == nil {
				continue
			}
			switch msg := cmd().(type) {
			case tea.BatchMsg:
				cmds = append(append([]tea.Cmd(nil), msg...), cmds...)
			default:
				if next := m.update(msg); next != nil {
					cmds = append(cmds, next)
				}
			}
		}
		_ = m.View()
	}
}
