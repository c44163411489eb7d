package model

import (
	"strings"

	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// Archive is where a live session's exchanges are kept once written: the
// session's recording, or a private spill file when it is not recorded
// (history.Writer is one). The model holds only the newest exchanges
// whole and reads older ones back from it, so a long session's memory does
// not grow with its bodies.
type Archive interface {
	// Stored reports that exchange id (the session's own ID) is in the
	// archive, whole.
	Stored(id int) bool
	// ReadBack reads exchange id. It does I/O: only commands call it.
	ReadBack(id int) (*transport.Exchange, error)
}

// keepWhole is how many of the newest exchanges the model keeps whole
// when there is an archive: enough for every step of a long flow, and
// what the details pane, y, Y and d read without touching the disk.
const keepWhole = 256

// sessionLog is the live session's exchanges as the timeline lists them:
// a row for every one, the exchange itself for the newest keepWhole and
// for any the archive does not hold yet (still queued, or left out by a
// full disk: nothing is dropped that cannot be read back).
type sessionLog struct {
	archive Archive
	keep    int
	entries []logEntry
	index   map[int]int // timeline ID → position in entries
	whole   int         // entries[whole:] may still hold their exchange
	paths   map[string]string
}

// internLimit bounds the table of shared path strings: a session visits
// few distinct paths, and one that visits many stops sharing, not growing.
const internLimit = 4096

// intern shares one copy of a row's path among the rows that show it
// (every executor call of a flow has the same), so a row costs its fields
// and not a copy of its URL.
func (l *sessionLog) intern(s string) string {
	if v, ok := l.paths[s]; ok {
		return v
	}
	if len(l.paths) < internLimit {
		s = strings.Clone(s) // not a slice of the exchange's URL, which goes
		l.paths[s] = s
	}
	return s
}

type logEntry struct {
	row       views.ExchangeRow
	id        int // timeline ID
	sid       int // the session's ID (the archive's): id less the source's offset
	kind      transport.Kind
	component string
	x         *transport.Exchange // nil once it is read back from the archive
}

func newSessionLog(a Archive) *sessionLog {
	return &sessionLog{archive: a, keep: keepWhole, index: map[int]int{}, paths: map[string]string{}}
}

func (l *sessionLog) len() int { return len(l.entries) }

func (l *sessionLog) has(id int) bool { _, ok := l.index[id]; return ok }

// add appends x, whose timeline ID is x.ID and session ID sid, and lets
// the oldest exchanges go once the archive holds them.
func (l *sessionLog) add(x *transport.Exchange, sid int) views.ExchangeRow {
	row := exchangeRow(x)
	row.Path = l.intern(row.Path)
	l.index[x.ID] = len(l.entries)
	l.entries = append(l.entries, logEntry{row: row, id: x.ID, sid: sid, kind: x.Kind, component: x.Component, x: x})
	l.release()
	return row
}

// release drops the exchanges beyond the newest keep that the archive
// holds, oldest first; one it does not hold yet stops it until next time.
func (l *sessionLog) release() {
	if l.archive == nil {
		return
	}
	for len(l.entries)-l.whole > l.keep {
		e := &l.entries[l.whole]
		if !l.archive.Stored(e.sid) {
			return
		}
		e.x = nil
		l.whole++
	}
}

// get is exchange id when the model holds it whole; nil when it is only
// in the archive (use loader) or unknown.
func (l *sessionLog) get(id int) *transport.Exchange {
	if i, ok := l.index[id]; ok {
		return l.entries[i].x
	}
	return nil
}

// loader reads exchange id in a command: from memory, or back from the
// archive with its timeline ID.
func (l *sessionLog) loader(id int) (func() (*transport.Exchange, error), bool) {
	i, ok := l.index[id]
	if !ok {
		return nil, false
	}
	e, a := l.entries[i], l.archive
	return func() (*transport.Exchange, error) { return e.load(a) }, true
}

// load is the entry's exchange: held whole, or read back from a with its
// timeline ID. It does I/O for an archived entry: commands only.
func (e logEntry) load(a Archive) (*transport.Exchange, error) {
	if e.x != nil {
		return e.x, nil
	}
	x, err := a.ReadBack(e.sid)
	if err != nil {
		return nil, err
	}
	x.ID = e.id
	return x, nil
}

// before is the ID of the exchange that came before id; 0 for the first.
func (l *sessionLog) before(id int) int {
	if i, ok := l.index[id]; ok && i > 0 {
		return l.entries[i-1].id
	}
	return 0
}

// loadAll reads every exchange in a command (D compares the whole session).
func (l *sessionLog) loadAll() func() ([]*transport.Exchange, error) {
	entries := append([]logEntry(nil), l.entries...)
	a := l.archive
	return func() ([]*transport.Exchange, error) {
		out := make([]*transport.Exchange, len(entries))
		for i, e := range entries {
			x, err := e.load(a)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
}

// placeholder stands in for an archived exchange while it is read back:
// what its timeline row knows, and no body.
func (l *sessionLog) placeholder(id int) *transport.Exchange {
	e := l.entries[l.index[id]]
	return &transport.Exchange{ID: id, Kind: e.kind, Method: e.row.Method, URL: e.row.Path,
		Status: e.row.Status, Component: e.component, Diagnosis: "reading the exchange back from the recording…"}
}
