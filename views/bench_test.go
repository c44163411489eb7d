package views

import (
	"testing"

	"github.com/muesli/termenv"
)

func BenchmarkTimelineView10k(b *testing.B) {
	withProfile(b, termenv.TrueColor)
	tl := NewTimeline(NewTheme())
	tl.SetSize(200, 60)
	tl.SetRows(sampleRows(10000))
	tl.Focus()
	tl.View()
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			_ = tl.View()
		}
	})
	// Every frame after a key press: the cursor moves and the view is
	// redrawn from the row cache.
	b.Run("after-move", func(b *testing.B) {
		up := keyMsg("k")
		down := keyMsg("j")
		i := 0
		for b.Loop() {
			if i%2 == 0 {
				tl.Update(up)
			} else {
				tl.Update(down)
			}
			i++
			_ = tl.View()
		}
	})
	b.Run("after-append", func(b *testing.B) {
		id := 10001
		for b.Loop() {
			tl.Append(ExchangeRow{ID: id, Method: "GET", Status: 200, Component: "ak-stage-password"})
			id++
			_ = tl.View()
		}
	})
}

func bigExchange() ExchangeDetail {
	return ExchangeDetail{ID: 1, Title: "GET big", ResponseBody: bigJSON(1 << 20)}
}

func BenchmarkDetailsView1MiB(b *testing.B) {
	withProfile(b, termenv.TrueColor)
	d := NewDetails(NewTheme())
	d.SetSize(200, 60)
	d.SetExchange(bigExchange())
	d.Focus()
	d.View()
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			_ = d.View()
		}
	})
	b.Run("after-scroll", func(b *testing.B) {
		down, up := keyMsg("j"), keyMsg("k")
		i := 0
		for b.Loop() {
			if i%2 == 0 {
				d.Update(down)
			} else {
				d.Update(up)
			}
			i++
			_ = d.View()
		}
	})
}

func BenchmarkDetailsSetExchange(b *testing.B) {
	withProfile(b, termenv.TrueColor)
	th := NewTheme()
	for _, c := range []struct {
		name string
		x    ExchangeDetail
	}{
		{"small", sampleExchange()},
		{"1MiB", bigExchange()},
		{"900KiB-highlighted", ExchangeDetail{ID: 2, ResponseBody: bigJSON(900 << 10)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			d := NewDetails(th)
			d.SetSize(200, 60)
			x := c.x
			for b.Loop() {
				x.ID++ // a new exchange each time: nothing is reused
				d.SetExchange(x)
				_ = d.View()
			}
		})
	}
}

func BenchmarkFormViewAfterKey(b *testing.B) {
	withProfile(b, termenv.TrueColor)
	ch, form := challenge(b, bodyOf("prompt"))
	f := NewForm(NewTheme())
	f.SetSize(80, 40)
	f.SetState(FormState{Form: form, Challenge: ch})
	f.Focus()
	k, bs := keyMsg("a"), keyMsg("backspace")
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			f.Update(k)
		} else {
			f.Update(bs)
		}
		i++
		_ = f.View()
	}
}

func BenchmarkPaneFrame(b *testing.B) {
	withProfile(b, termenv.TrueColor)
	th := NewTheme()
	tl := NewTimeline(th)
	tl.SetSize(198, 58)
	tl.SetRows(sampleRows(100))
	content := tl.View()
	// A changed pane: the frame is drawn again (an unchanged one is the
	// root's cached string).
	for b.Loop() {
		_ = PaneFrame(th, "Timeline · LIVE", true, content, 200, 60)
	}
}
