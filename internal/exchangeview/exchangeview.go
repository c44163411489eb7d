// Package exchangeview turns a recorded transport.Exchange into what the
// details pane shows (views.ExchangeDetail). It is the one conversion the
// main TUI and the load dashboard share; views cannot do it itself because
// it must not import transport.
package exchangeview

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// DisplayPath is the URL's path and query, or the URL as given when it
// does not parse.
func DisplayPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return raw
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}

// Detail is everything the details pane shows of an exchange.
func Detail(x *transport.Exchange) views.ExchangeDetail {
	return views.ExchangeDetail{
		ID:              x.ID,
		Title:           Title(x, DisplayPath(x.URL)),
		Method:          x.Method,
		URL:             x.URL,
		Status:          x.Status,
		Proto:           x.Proto,
		RequestBody:     x.RequestBody,
		ResponseBody:    x.ResponseBody,
		RequestHeaders:  sortedHeaders(x.RequestHeader),
		ResponseHeaders: sortedHeaders(x.ResponseHeader),
		Cookies:         cookieRows(x.Jar, x.JarChanges),
		Phases:          timingPhases(x.Timing),
		Error:           x.Error,
		Diagnosis:       x.Diagnosis,
		Truncated:       x.Truncated,
	}
}

// Title names the exchange in the pane's frame: its number, method, the
// given path and its status.
func Title(x *transport.Exchange, path string) string {
	status := "no response"
	if x.Status != 0 {
		status = fmt.Sprint(x.Status)
	}
	return fmt.Sprintf("#%d %s %s → %s", x.ID, x.Method, path, status)
}

// sortedHeaders lists headers by name, one row per value, values in the
// order they were sent.
func sortedHeaders(h http.Header) []views.Header {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	var rows []views.Header
	for _, name := range names {
		for _, v := range h[name] {
			rows = append(rows, views.Header{Name: name, Value: v})
		}
	}
	return rows
}

// cookieRows is the jar after the exchange, sorted, each cookie marked with
// how the exchange changed it; removed cookies are listed too.
func cookieRows(jar []transport.Cookie, changes []transport.CookieChange) []views.CookieRow {
	// A cookie is its transport.CookieKey, as in the jar; changes
	// recorded before the path was kept match by name and domain, and
	// older ones by name.
	change := map[transport.CookieKey]transport.Change{}
	for _, c := range changes {
		change[c.Key()] = c.Change
	}
	changeOf := func(c transport.Cookie) transport.Change {
		for _, k := range []transport.CookieKey{c.Key(), {Name: c.Name, Domain: c.Domain}, {Name: c.Name}} {
			if ch, ok := change[k]; ok {
				return ch
			}
		}
		return ""
	}
	rows := make([]views.CookieRow, 0, len(jar))
	for _, c := range jar {
		rows = append(rows, views.CookieRow{
			Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Expires: expires(c.Expires),
			Flags:   cookieFlags(c),
			Change:  string(changeOf(c)),
		})
	}
	for _, c := range changes {
		if c.Change == transport.ChangeRemoved {
			rows = append(rows, views.CookieRow{Name: c.Name, Domain: c.Domain, Path: c.Path, Change: string(c.Change)})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Name != rows[j].Name {
			return rows[i].Name < rows[j].Name
		}
		return rows[i].Domain < rows[j].Domain
	})
	return rows
}

func expires(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func cookieFlags(c transport.Cookie) string {
	var f []string
	if c.HTTPOnly {
		f = append(f, "HttpOnly")
	}
	if c.Secure {
		f = append(f, "Secure")
	}
	if c.SameSite != "" {
		f = append(f, "SameSite="+c.SameSite)
	}
	return strings.Join(f, " ")
}

// timingPhases lays the httptrace timings out as consecutive phases. DNS,
// Connect and TLS are durations; Send, FirstByte and Total are offsets from
// the start. Phases that did not happen are left out; Total always shows.
func timingPhases(t transport.Timing) []views.Phase {
	var phases []views.Phase
	at := time.Duration(0)
	add := func(name string, d time.Duration) {
		if d > 0 {
			phases = append(phases, views.Phase{Name: name, Start: at, Duration: d})
			at += d
		}
	}
	add("DNS", t.DNS)
	add("Connect", t.Connect)
	add("TLS", t.TLS)
	if t.Send > at {
		add("Send", t.Send-at)
	}
	if t.FirstByte > at {
		add("Wait (first byte)", t.FirstByte-at)
	}
	if t.Total > at {
		add("Receive", t.Total-at)
	}
	return append(phases, views.Phase{Name: "Total", Duration: t.Total})
}
