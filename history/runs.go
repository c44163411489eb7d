package history

import (
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/akinspect/akinspect/transport"
)

// runTracker decides where flow runs begin. A run begins when the flow slug
// changes, and at every flow page GET once the current run has made a flow
// request: that is a restart (R in the TUI) or a new session (N), even for
// the same slug. The writer, the reader and FromExchanges share it so that
// a recording splits into the same runs however it was made.
type runTracker struct {
	slug string
	busy bool // the current run has a flow exchange (not inspector, not hidden)
}

// startsRun reports whether an exchange of this flow and kind begins a run.
func (t *runTracker) startsRun(slug string, kind transport.Kind) bool {
	return (slug != "" && slug != t.slug) || (kind == transport.KindPage && t.busy)
}

// begin marks the start of a run of slug.
func (t *runTracker) begin(slug string) {
	if slug != "" {
		t.slug = slug
	}
	t.busy = false
}

// saw notes an exchange of the current run.
func (t *runTracker) saw(kind transport.Kind) {
	if kind != transport.KindInspector && kind != KindOther {
		t.busy = true
	}
}

// jarTracker follows the cookie jar from exchange to exchange to tell which
// flow page GET began with an emptied jar. The writer, FromExchanges, the
// reader and the replay planner all decide it here.
type jarTracker struct {
	jar []transport.Cookie // the jar after the last exchange that showed it
}

// next reports whether e began a new session, then moves past e.
func (t *jarTracker) next(e *transport.Exchange) bool {
	fresh := startsNewSession(e, t.jar)
	if e.Kind != KindOther || e.Jar != nil {
		t.jar = e.Jar
	}
	return fresh
}

// startsNewSession reports whether e is a flow page GET that went out
// without cookies although the jar before it held cookies for that URL: the
// client emptied its jar before starting (N in the TUI), so a replay must
// empty its jar too.
func startsNewSession(e *transport.Exchange, jarBefore []transport.Cookie) bool {
	if e.Kind != transport.KindPage || len(jarBefore) == 0 || len(e.RequestHeader.Values("Cookie")) > 0 {
		return false
	}
	u, err := url.Parse(e.URL)
	if err != nil || u.Host == "" {
		return false
	}
	for _, c := range jarBefore {
		if cookieApplies(c, u, e.Start) {
			return true
		}
	}
	return false
}

// cookieApplies is whether a browser would send c with a request to u at
// time at (RFC 6265 domain, path, secure and expiry rules). Cookies that
// would not have been sent anyway (a Secure cookie over http) must not make
// a plain restart look like a new session.
func cookieApplies(c transport.Cookie, u *url.URL, at time.Time) bool {
	if c.Secure && u.Scheme != "https" {
		return false
	}
	if !c.Expires.IsZero() && !at.IsZero() && !c.Expires.After(at) {
		return false
	}
	host := strings.ToLower(u.Hostname())
	domain := strings.ToLower(strings.TrimPrefix(c.Domain, "."))
	if domain != "" && host != domain && (c.HostOnly || !strings.HasSuffix(host, "."+domain)) {
		return false
	}
	p := c.Path
	if p == "" || p == "/" {
		return true
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	return path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/")
}

// findNewSessions sets NewSession on runs that began with an emptied jar
// but whose flow record does not say so (files from older writers, or runs
// the reader split on a page GET). Only the run's page GET and the exchange
// before it are read, so opening stays cheap. A line that cannot be read
// leaves the run as it is: Replay checks again from the exchanges.
func (r *Recording) findNewSessions() {
	if r.mem != nil || len(r.Flows) < 2 {
		return
	}
	f, err := os.Open(r.Path)
	if err != nil {
		return
	}
	defer f.Close()
	for k := 1; k < len(r.Flows); k++ {
		run := &r.Flows[k]
		i := run.First
		if run.NewSession || i < 1 || i >= len(r.spans) || r.sums.get(i).Kind != transport.KindPage {
			continue
		}
		page, err := readExchangeAt(f, r.spans[i])
		if err != nil || len(page.RequestHeader.Values("Cookie")) > 0 {
			continue
		}
		before, err := readExchangeAt(f, r.spans[i-1])
		if err == nil {
			t := jarTracker{}
			t.next(before)
			run.NewSession = t.next(page)
		}
	}
}
