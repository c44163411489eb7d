package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/transport"
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
	ev := m.snap.RecentErrors[min(max(m.errorIndex(), 0), len(m.snap.RecentErrors)-1)]
	head := errStyle.Render(fit(ev.Line(), width))
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
// (already redacted by the load run). An error without one (the
// iteration could not start) shows its message as the exchange's error.
//
// It mirrors model's conversion for the main TUI, which is not exported.
func exchangeDetail(ev load.ErrorEvent) views.ExchangeDetail {
	x := ev.Exchange
	if x == nil {
		return views.ExchangeDetail{Title: "no exchange", Error: ev.Message} // the pane makes it safe
	}
	return views.ExchangeDetail{
		ID:              x.ID,
		Title:           exchangeTitle(x),
		Method:          x.Method,
		URL:             x.URL,
		Status:          x.Status,
		Proto:           x.Proto,
		RequestBody:     x.RequestBody,
		ResponseBody:    x.ResponseBody,
		RequestHeaders:  headerRows(x.RequestHeader),
		ResponseHeaders: headerRows(x.ResponseHeader),
		Cookies:         cookieRows(x.Jar),
		Phases:          phases(x.Timing),
		Error:           x.Error,
		Diagnosis:       x.Diagnosis,
		Truncated:       x.Truncated,
	}
}

func exchangeTitle(x *transport.Exchange) string {
	status := "no response"
	if x.Status != 0 {
		status = fmt.Sprint(x.Status)
	}
	path := x.URL
	if u, err := url.Parse(x.URL); err == nil && u.Path != "" {
		path = u.Path
	}
	return fmt.Sprintf("#%d %s %s → %s", x.ID, x.Method, path, status)
}

func headerRows(h http.Header) []views.Header {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	var rows []views.Header
	for _, n := range names {
		for _, v := range h[n] {
			rows = append(rows, views.Header{Name: n, Value: v})
		}
	}
	return rows
}

func cookieRows(jar []transport.Cookie) []views.CookieRow {
	rows := make([]views.CookieRow, 0, len(jar))
	for _, c := range jar {
		var flags []string
		if c.HTTPOnly {
			flags = append(flags, "HttpOnly")
		}
		if c.Secure {
			flags = append(flags, "Secure")
		}
		if c.SameSite != "" {
			flags = append(flags, "SameSite="+c.SameSite)
		}
		rows = append(rows, views.CookieRow{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path, Flags: strings.Join(flags, " ")})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	return rows
}

// phases: waiting for the first byte, then receiving the rest.
func phases(t transport.Timing) []views.Phase {
	var out []views.Phase
	if t.FirstByte > 0 {
		out = append(out, views.Phase{Name: "Wait (first byte)", Duration: t.FirstByte})
		if t.Total > t.FirstByte {
			out = append(out, views.Phase{Name: "Receive", Start: t.FirstByte, Duration: t.Total - t.FirstByte})
		}
	}
	return append(out, views.Phase{Name: "Total", Duration: t.Total})
}
