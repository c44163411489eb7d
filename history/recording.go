package history

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/akinspect/akinspect/internal/bytesize"
	"github.com/akinspect/akinspect/transport"
)

// Formats a Recording can come from.
const (
	FormatNative = "akinspect"
	FormatHAR    = "har"
)

// KindOther marks an exchange imported from a HAR that is not part of a
// flow (assets, other API calls). A UI hides these by default.
const KindOther transport.Kind = "other"

// Summary is the cheap per-row view of an exchange, enough for a timeline:
// reading it never decodes headers or bodies.
type Summary struct {
	ID        int
	Flow      string
	Kind      transport.Kind
	Method    string
	URL       string
	Status    int
	Component string
	Start     time.Time
	Duration  time.Duration
	Flags     []string
	Error     string
	// Hidden: not a flow exchange (KindOther); a timeline may leave it out.
	Hidden bool
}

// Recording is an opened session. Exchanges are read from the file on
// demand (Exchange, All); summaries and flows are in memory.
type Recording struct {
	Header   Header
	Flows    []FlowRun
	Notes    []Note
	Warnings []string
	Path     string // the file it was opened from, "" when built in memory
	Format   string // FormatNative or FormatHAR

	sums  *rowTable
	spans []span                // file-backed: where each exchange line is
	mem   []*transport.Exchange // in-memory (FromExchanges)
	// lazy (FromSummaries): exchanges are read by load from the file
	load   LoadFunc
	lazyAt io.ReaderAt
	runs   runTracker // while building: where the current flow run is

	data    []byte   // the recording itself when opened from memory (OpenBytes)
	maxLine int64    // lines longer than this are not read (ReadOptions)
	loss    lossInfo // while scanning: what the file says was not written
}

// span is where an exchange's line is in the file. over: the line is
// longer than the limit and is never read; the exchange is its summary.
type span struct {
	off  int64
	n    int64
	over bool
}

// FromExchanges builds an in-memory recording, e.g. to export the live
// session as HAR or to replay it without writing a file.
func FromExchanges(h Header, exchanges []*transport.Exchange) *Recording {
	r := &Recording{Header: h, Format: FormatNative, mem: exchanges, sums: newRowTable()}
	r.Flows = []FlowRun{{Slug: h.Flow, Query: h.Query, Started: h.Started}}
	r.runs.begin(h.Flow)
	var session JarTracker
	for i, e := range exchanges {
		fresh := session.Next(e)
		if r.runs.startsRun(e.Flow, e.Kind) || fresh {
			r.addFlow(FlowRun{Slug: e.Flow, Query: PageQuery(e), Started: e.Start, NewSession: fresh}, i)
		}
		r.runs.saw(e.Kind)
		r.sums.add(summarize(e))
	}
	return r
}

// addFlow appends a flow run starting at exchange index first, merging it
// into the previous run when that one has no exchanges yet.
func (r *Recording) addFlow(f FlowRun, first int) {
	if f.Slug == "" && len(r.Flows) > 0 {
		f.Slug = r.Flows[len(r.Flows)-1].Slug
	}
	r.runs.begin(f.Slug)
	f.First = first
	if n := len(r.Flows); n > 0 && r.Flows[n-1].First == first &&
		(r.Flows[n-1].Slug == "" || r.Flows[n-1].Slug == f.Slug) {
		r.Flows[n-1] = f
		return
	}
	r.Flows = append(r.Flows, f)
}

func summarize(e *transport.Exchange) Summary {
	return Summary{
		ID: e.ID, Flow: e.Flow, Kind: e.Kind, Method: e.Method, URL: e.URL,
		Status: e.Status, Component: e.Component, Start: e.Start,
		Duration: e.Timing.Total, Flags: e.Flags, Error: e.Error,
		Hidden: e.Kind == KindOther,
	}
}

// Len is the number of exchanges.
func (r *Recording) Len() int {
	if r.sums == nil {
		return 0
	}
	return r.sums.len()
}

// Summary is the timeline row of exchange i (0-based).
func (r *Recording) Summary(i int) Summary { return r.sums.get(i) }

// FlowAt is the flow run exchange i belongs to.
func (r *Recording) FlowAt(i int) FlowRun {
	// The first run whose First is past i, minus one.
	k := sort.Search(len(r.Flows), func(j int) bool { return r.Flows[j].First > i }) - 1
	if k < 0 {
		return FlowRun{}
	}
	return r.Flows[k]
}

// Exchange reads exchange i (0-based) in full, with its Challenge decoded.
func (r *Recording) Exchange(i int) (*transport.Exchange, error) {
	if i < 0 || i >= r.Len() {
		return nil, fmt.Errorf("exchange %d out of range (recording has %d)", i, r.Len())
	}
	if r.mem != nil {
		return r.mem[i], nil
	}
	if r.load != nil {
		return r.loadLazy(i)
	}
	if r.spans[i].over {
		return r.summaryOnly(i), nil
	}
	f, err := r.source()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readExchangeAt(f, r.spans[i])
}

// All reads every exchange in order.
func (r *Recording) All() ([]*transport.Exchange, error) {
	if r.mem != nil {
		return append([]*transport.Exchange(nil), r.mem...), nil
	}
	out := make([]*transport.Exchange, 0, r.Len())
	err := r.each(func(i int, e *transport.Exchange) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// each decodes every exchange in order with one open file.
func (r *Recording) each(fn func(i int, e *transport.Exchange) error) error {
	if r.mem != nil {
		for i, e := range r.mem {
			if err := fn(i, e); err != nil {
				return err
			}
		}
		return nil
	}
	if r.load != nil {
		return r.eachLazy(fn)
	}
	return r.eachLine(func(i int, line []byte) error {
		if line == nil {
			return fn(i, r.summaryOnly(i))
		}
		e, err := decodeExchangeLine(bytes.TrimRight(line, "\r\n"))
		if err != nil {
			return fmt.Errorf("exchange %d: %w", i+1, err)
		}
		return fn(i, e)
	})
}

// eachLine reads the raw line of every exchange in one sequential pass.
// The slice passed to fn is reused; it is nil for a line over the limit,
// which is skipped unread.
func (r *Recording) eachLine(fn func(i int, line []byte) error) error {
	f, err := r.source()
	if err != nil {
		return err
	}
	defer f.Close()
	end := int64(0)
	if n := len(r.spans); n > 0 {
		end = r.spans[n-1].off + r.spans[n-1].n
	}
	br := bufio.NewReaderSize(f, readBufSize(end))
	var pos int64
	var buf []byte
	for i, s := range r.spans {
		if s.off > pos {
			if _, err := br.Discard(int(s.off - pos)); err != nil {
				return err
			}
			pos = s.off
		}
		line := []byte(nil)
		if !s.over {
			if int64(cap(buf)) < s.n {
				buf = make([]byte, s.n)
			}
			line = buf[:s.n]
			if _, err := io.ReadFull(br, line); err != nil {
				return fmt.Errorf("exchange %d: %w", i+1, err)
			}
			pos += s.n
		}
		if err := fn(i, line); err != nil {
			if err == errStopSearch {
				return nil
			}
			return err
		}
	}
	return nil
}

// summaryOnly stands in for exchange i when its line is over the limit:
// what the timeline row knows, flagged truncated, with a diagnosis.
func (r *Recording) summaryOnly(i int) *transport.Exchange {
	s := r.sums.get(i)
	e := &transport.Exchange{
		ID: s.ID, Flow: s.Flow, Kind: s.Kind, Method: s.Method, URL: s.URL, Status: s.Status,
		Component: s.Component, Start: s.Start, Timing: transport.Timing{Total: s.Duration},
		Flags: append([]string(nil), s.Flags...), Error: s.Error, Truncated: true,
		Diagnosis: fmt.Sprintf("its recorded line is %s, over the limit of %s for one exchange: headers, bodies and jar were not read",
			bytesize.Text(r.spans[i].n), bytesize.Text(r.maxLine)),
	}
	if !e.Has(transport.FlagTruncated) {
		e.Flags = append(e.Flags, transport.FlagTruncated)
	}
	return e
}

// Oversized reports whether exchange i's line was over the limit and not
// read (only its summary is known).
func (r *Recording) Oversized(i int) bool {
	return r.mem == nil && i >= 0 && i < len(r.spans) && r.spans[i].over
}

// JarBefore is the cookie jar as it was when exchange i was sent: the jar
// after the previous exchange (empty for the first).
func (r *Recording) JarBefore(i int) ([]transport.Cookie, error) {
	if i <= 0 {
		return nil, nil
	}
	prev, err := r.Exchange(i - 1)
	if err != nil {
		return nil, err
	}
	return prev.Jar, nil
}

// lineSource is what exchange lines are read from: the file, or the data
// of a recording opened from memory.
type lineSource interface {
	io.Reader
	io.ReaderAt
	io.Closer
}

type memSource struct{ *bytes.Reader }

func (memSource) Close() error { return nil }

// source opens what the exchange lines are read from.
func (r *Recording) source() (lineSource, error) {
	if r.data != nil {
		return memSource{bytes.NewReader(r.data)}, nil
	}
	return os.Open(r.Path)
}

// errNotRecording is returned for files that are neither format.
var errNotRecording = errors.New("not an akinspect recording or a HAR file")

var errStopSearch = errors.New("search stopped at the hit limit")
