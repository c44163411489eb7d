package history

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/akinspect/akinspect/transport"
)

// LoadFunc reads exchange i of a lazily built recording in full from at,
// the data the recording was imported from.
type LoadFunc func(at io.ReaderAt, i int) (*transport.Exchange, error)

// FromSummaries builds a recording from its timeline rows alone (an
// importer that indexed a file): exchange i is read in full only when it is
// asked for, by load from at (or from the file, once Open has set Path).
// fresh[i] says exchange i began with an emptied jar (see JarTracker); it
// may be nil.
func FromSummaries(h Header, format string, sums []Summary, fresh []bool, at io.ReaderAt, load LoadFunc) *Recording {
	r := &Recording{Header: h, Format: format, sums: newRowTable(), lazyAt: at, load: load}
	r.Flows = []FlowRun{{Slug: h.Flow, Query: h.Query, Started: h.Started}}
	r.runs.begin(h.Flow)
	for i, s := range sums {
		isFresh := fresh != nil && fresh[i]
		if r.runs.startsRun(s.Flow, s.Kind) || isFresh {
			r.addFlow(FlowRun{Slug: s.Flow, Query: queryOfURL(s.URL), Started: s.Start, NewSession: isFresh}, i)
		}
		r.runs.saw(s.Kind)
		r.sums.add(s)
	}
	return r
}

// lazySource is what a lazy recording reads exchanges from: the file it was
// opened from, else what its importer read.
func (r *Recording) lazySource() (io.ReaderAt, func(), error) {
	if r.Path != "" && r.data == nil {
		f, err := os.Open(r.Path)
		if err != nil {
			return nil, nil, err
		}
		return f, func() { f.Close() }, nil
	}
	return r.lazyAt, func() {}, nil
}

// ErrUnreadable is wrapped by a LoadFunc's error when the exchange's data
// is there but does not decode (a field the importer's index did not
// check): the recording then gives what the timeline row knows, flagged
// truncated, as for a line over the limit.
var ErrUnreadable = errors.New("unreadable")

// loadLazy reads exchange i of a lazy recording.
func (r *Recording) loadLazy(i int) (*transport.Exchange, error) {
	at, done, err := r.lazySource()
	if err != nil {
		return nil, err
	}
	defer done()
	return r.loadOne(at, i)
}

func (r *Recording) loadOne(at io.ReaderAt, i int) (*transport.Exchange, error) {
	e, err := r.load(at, i)
	if err != nil && errors.Is(err, ErrUnreadable) {
		return r.rowOnly(i, err), nil
	}
	return e, err
}

// rowOnly stands in for exchange i of a lazy recording when it does not
// decode: what its timeline row knows, flagged truncated.
func (r *Recording) rowOnly(i int, err error) *transport.Exchange {
	s := r.sums.get(i)
	e := &transport.Exchange{
		ID: s.ID, Flow: s.Flow, Kind: s.Kind, Method: s.Method, URL: s.URL, Status: s.Status,
		Component: s.Component, Start: s.Start, Timing: transport.Timing{Total: s.Duration},
		Flags: append([]string(nil), s.Flags...), Error: s.Error, Truncated: true,
		Diagnosis: fmt.Sprintf("only its timeline row could be read: %v", err),
	}
	if !e.Has(transport.FlagTruncated) {
		e.Flags = append(e.Flags, transport.FlagTruncated)
	}
	return e
}

// eachLazy reads every exchange of a lazy recording in order, with one
// open file.
func (r *Recording) eachLazy(fn func(i int, e *transport.Exchange) error) error {
	at, done, err := r.lazySource()
	if err != nil {
		return err
	}
	defer done()
	for i := 0; i < r.Len(); i++ {
		e, err := r.loadOne(at, i)
		if err != nil {
			return err
		}
		if err := fn(i, e); err != nil {
			return err
		}
	}
	return nil
}
