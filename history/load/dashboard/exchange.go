package dashboard

import (
	"net/url"

	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/internal/exchangeview"
	"github.com/akinspect/akinspect/views"
)

// An opened error: the exchange its step failed on, in the views
// package's details pane (tabs, scrolling, search), framed as in the main
// TUI, with the error above it and the keys below.

// detailsSize is the inside of the details frame: the window less the
// error line, the frame and the help line.
func detailsSize(width, height int) (int, int) {
	return max(width, 40) - 2, max(height, 12) - 4
}

func (m Model) detailsView() string {
	width, height := max(m.width, 40), max(m.height, 12)
	head := errStyle.Render(fit(m.opened.Line(), width))
	frame := views.PaneFrameInfo(m.th, m.details.Title(), m.details.ScrollInfo(), true, m.details.View(), width, height-2)
	help := helpLine(m.keys.Back, m.keys.Stop)
	if m.done {
		help = "the run is over · " + helpLine(m.keys.Quit)
	}
	for _, b := range m.details.ShortHelp() {
		// No $EDITOR here: the dashboard has no editor to hand a body to.
		if h := b.Help(); h.Key != "" && h.Key != "e" {
			help += " · " + h.Key + " " + h.Desc
		}
	}
	return head + "\n" + frame + "\n" + faint.Render(fit(help, width))
}

// exchangeDetail is what the details pane shows of an error's exchange
// (already redacted by the load run), as the main TUI shows it. An error
// without one (the iteration could not start) shows its message as the
// exchange's error.
func exchangeDetail(ev load.ErrorEvent) views.ExchangeDetail {
	if ev.Exchange == nil {
		return views.ExchangeDetail{Title: "no exchange", Error: ev.Message} // the pane makes it safe
	}
	d := exchangeview.Detail(ev.Exchange)
	// The dashboard has always titled an exchange by its path alone: it
	// leaves out the query (the executor's is an empty "?query=").
	path := ev.Exchange.URL
	if u, err := url.Parse(path); err == nil && u.Path != "" {
		path = u.Path
	}
	d.Title = exchangeview.Title(ev.Exchange, path)
	return d
}
