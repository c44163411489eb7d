package history

import (
	"encoding/json"
	"errors"
	"net/url"
	"time"

	"github.com/akinspect/akinspect/internal/jsonscan"
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

// A JarTracker follows the cookie jar from exchange to exchange to tell which
// flow page GET began with an emptied jar. The writer, FromExchanges, the
// reader and the replay planner all decide it here.
type JarTracker struct {
	jar []transport.Cookie // the jar after the last exchange that showed it
}

// Next reports whether e began a new session, then moves past e.
func (t *JarTracker) Next(e *transport.Exchange) bool {
	fresh := startsNewSession(e, t.jar)
	if e.Kind != KindOther || e.Jar != nil {
		t.jar = e.Jar
	}
	return fresh
}

// startsNewSession reports whether e is a flow page GET that went out
// without cookies although the jar before it held cookies for that URL: the
// client emptied its jar before starting (S in the TUI), so a replay must
// empty its jar too.
func startsNewSession(e *transport.Exchange, jarBefore []transport.Cookie) bool {
	return e.Kind == transport.KindPage && len(e.RequestHeader.Values("Cookie")) == 0 &&
		jarWouldSend(jarBefore, e.URL, e.Start)
}

// jarWouldSend reports whether any cookie of jar would go with a request
// to rawURL at time at. Cookies that would not have been sent anyway (a
// Secure cookie over http) must not make a plain restart look like a new
// session.
func jarWouldSend(jar []transport.Cookie, rawURL string, at time.Time) bool {
	if len(jar) == 0 {
		return false
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return false
	}
	for _, c := range jar {
		if c.AppliesTo(u, at) {
			return true
		}
	}
	return false
}

// findNewSessions sets NewSession on runs that began with an emptied jar
// but whose flow record does not say so (files from older writers, or runs
// the reader split on a page GET). Only what decides it is read: the run's
// page GET up to its Cookie header and, when it sent none, the jar of the
// exchange before it; nothing else of either line is decoded, so opening
// stays cheap however many runs there are. A line that cannot be read
// leaves the run as it is: Replay checks again from the exchanges.
func (r *Recording) findNewSessions() {
	if r.mem != nil || r.load != nil || len(r.Flows) < 2 {
		return
	}
	f, err := r.source()
	if err != nil {
		return
	}
	defer f.Close()
	var line []byte
	for k := 1; k < len(r.Flows); k++ {
		run := &r.Flows[k]
		i := run.First
		if run.NewSession || i < 1 || i >= len(r.spans) || r.sums.get(i).Kind != transport.KindPage {
			continue
		}
		if line, err = readLineAt(f, r.spans[i], line); err != nil {
			continue
		}
		if sent, ok := sentCookies(line); !ok || sent {
			continue
		}
		if line, err = readLineAt(f, r.spans[i-1], line); err != nil {
			continue
		}
		jar, ok := lineJar(line)
		if !ok || (jar == nil && r.sums.get(i-1).Kind == KindOther) {
			continue // the exchange before did not show the jar (see JarTracker)
		}
		page := r.sums.get(i)
		run.NewSession = jarWouldSend(jar, page.URL, page.Start)
	}
}

// errFound ends a scan of a line's members once the one wanted is read.
var errFound = errors.New("found")

// lineMember is the raw value of a top-level key of an exchange line. The
// scan stops there: the rest of the line (bodies, mostly) is not read.
func lineMember(line []byte, key string) (value []byte, ok bool) {
	_, err := jsonscan.Members(line, jsonscan.Space(line, 0), func(k, v []byte) error {
		if string(k[1:len(k)-1]) == key {
			value = v
			return errFound
		}
		return nil
	})
	return value, err == errFound || err == nil
}

// sentCookies reports whether an exchange line's request carried a
// Cookie header; ok is false when the line cannot be read.
func sentCookies(line []byte) (sent, ok bool) {
	h, ok := lineMember(line, "request_headers")
	if !ok || len(h) == 0 || h[0] != '{' {
		return false, ok && (len(h) == 0 || string(h) == "null")
	}
	_, err := jsonscan.Members(h, 0, func(k, v []byte) error {
		if name, err := jsonscan.Unquote(k); err == nil && name == "Cookie" {
			sent = len(v) > 0 && v[0] == '[' && v[jsonscan.Space(v, 1)] != ']'
		}
		return nil
	})
	return sent, err == nil
}

// lineJar decodes the jar of an exchange line, and nothing else of it.
func lineJar(line []byte) ([]transport.Cookie, bool) {
	raw, ok := lineMember(line, "jar")
	if !ok {
		return nil, false
	}
	var jar []transport.Cookie
	if len(raw) > 0 && json.Unmarshal(raw, &jar) != nil {
		return nil, false
	}
	return jar, true
}
