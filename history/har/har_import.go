package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// Import reads a HAR 1.2 log, from akinspect or a browser's devtools (an
// authentik login captured in Chrome, say). Flow exchanges (executor, flow
// page, inspector) form the timeline; every other entry is kept with
// KindOther, which Summary marks Hidden. An entry that cannot be read (a
// field of the wrong type, bad base64, over the size limit) is left out and
// named in Recording.Warnings; only a file none of whose entries can be
// read is an error. Import indexes the entries and reads an exchange in
// full only when it is asked for (Recording.Exchange), from r: r must stay
// readable while the recording is used (Open reopens its file itself). An
// entry whose row reads but whose other fields do not decode (a header of
// the wrong type) reads as its row alone, flagged truncated. It reads with
// the default limits (ReadOptions).
func Import(r io.Reader) (*history.Recording, error) {
	return ImportWith(r, history.ReadOptions{})
}

// ImportWith is Import with limits: no entry larger than
// opts.MaxLine is read into memory.
func ImportWith(r io.Reader, opts history.ReadOptions) (*history.Recording, error) {
	rec, err := importHAR(r, opts)
	if err != nil {
		return nil, fmt.Errorf("HAR: %w", err)
	}
	return rec, nil
}

// maxEntryWarnings is how many skipped HAR entries are named one by one.
const maxEntryWarnings = 20

// importHAR is Import; its errors do not say "HAR" (the caller does).
// The HAR is streamed once: each entry is indexed (scanEntry), the jar
// rebuilt as shared snapshots, and an exchange is decoded in full only when
// it is read (lazyHAR.load), from its bytes in r (or the file Open opened).
func importHAR(r io.Reader, opts history.ReadOptions) (*history.Recording, error) {
	limit := opts.Limit()
	at, ok := r.(io.ReaderAt)
	if !ok { // a pipe: keep what it gave, to read entries again
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		rd := bytes.NewReader(data)
		r, at = rd, rd
	}
	chunks, n, skipped, total, parts, err := scanEntries(r, limit)
	if err != nil {
		return nil, err
	}
	var lg harLog
	if err := json.Unmarshal(parts.log, &lg); err != nil {
		return nil, fmt.Errorf("log: %v", entryDecodeReason(err))
	}
	if !parts.hasEntries {
		return nil, errors.New("no log.entries")
	}
	if total > 0 && n == 0 {
		first := slices.MinFunc(skipped, func(a, b skippedEntry) int { return a.index - b.index })
		return nil, fmt.Errorf("none of its %d entries could be read; entry %d (log.entries[%d]): %s", total, first.index+1, first.index, first.reason)
	}
	lz, sums, fresh := indexEntries(byTime(chunks, n), n)
	for _, k := range lz.diagnose {
		e, err := lz.diagnosed(at, k)
		if err != nil {
			continue // read again, and diagnosed, when shown
		}
		lz.refs[k].diagnosis, lz.refs[k].flags = e.Diagnosis, e.Flags
		lz.refs[k].diagnosed = true
		sums[k].Flags = slices.Clone(e.Flags)
	}
	lz.diagnose = nil
	var h history.Header
	if lg.Akinspect != nil {
		h = lg.Akinspect.Header
	} else {
		h = headerFromSummaries(sums)
	}
	h.Recording = history.FormatVersion
	rec := history.FromSummaries(h, history.FormatHAR, sums, fresh, at, lz.load)
	rec.Warnings = entryWarnings(skipped)
	return rec, nil
}

// byTime puts the indexed entries, chunks in file order, in time order (in
// file order at the same time). They most often are already: the chunks
// are kept then, rather than copied into one slice.
func byTime(chunks [][]scannedEntry, n int) [][]scannedEntry {
	cmp := func(a, b *scannedEntry) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return a.index - b.index
	}
	var prev *scannedEntry
	sorted := true
	for _, c := range chunks {
		for k := range c {
			if prev != nil && cmp(prev, &c[k]) > 0 {
				sorted = false
			}
			prev = &c[k]
		}
	}
	if sorted {
		return chunks
	}
	items := make([]scannedEntry, 0, n)
	for k, c := range chunks {
		items = append(items, c...)
		chunks[k] = nil
	}
	slices.SortFunc(items, func(a, b scannedEntry) int { return cmp(&a, &b) })
	return [][]scannedEntry{items}
}

// indexEntries makes the timeline rows of the entries, in time order: it
// rebuilds a browser HAR's jar, tracks the session, and notes the flow
// errors to diagnose. Each chunk is dropped once read.
func indexEntries(chunks [][]scannedEntry, n int) (*lazyHAR, []history.Summary, []bool) {
	lz := &lazyHAR{refs: make([]entryRef, n)}
	sums := make([]history.Summary, n)
	fresh := make([]bool, n)
	jar := newSimJar()
	var session history.JarTracker
	var stub transport.Exchange
	withCookie := http.Header{"Cookie": {""}}
	rotation := -1
	k := 0
	for c, chunk := range chunks {
		for j := range chunk {
			it := &chunk[j]
			e := summaryExchange(it, k+1, jar, &stub)
			ref := entryRef{off: it.off, n: it.n, id: e.ID}
			if it.ext == nil {
				ref.jar = e.Jar
			}
			e.RequestHeader = nil
			if it.cookieSent {
				e.RequestHeader = withCookie
			}
			fresh[k] = session.Next(e)
			if e.Kind != history.KindOther {
				if e.Component == flow.ComponentFlowError && e.Diagnosis == "" && it.challenge {
					lz.diagnose = append(lz.diagnose, k)
				}
				lz.flowOnly = append(lz.flowOnly, k)
				if rotation < 0 && rotatesSession(e) {
					rotation = k
				}
			}
			ref.rotation = rotation
			sums[k] = history.Summary{
				ID: e.ID, Flow: e.Flow, Kind: e.Kind, Method: e.Method, URL: e.URL,
				Status: e.Status, Component: e.Component, Start: e.Start,
				Duration: e.Timing.Total, Flags: slices.Clone(e.Flags), Error: e.Error,
				Hidden: e.Kind == history.KindOther,
			}
			lz.refs[k] = ref
			k++
		}
		chunks[c] = nil // done with it
	}
	return lz, sums, fresh
}

// headerFromSummaries is history.HeaderFromExchanges from the rows.
func headerFromSummaries(sums []history.Summary) history.Header {
	var stubs []*transport.Exchange
	for i, s := range sums {
		if i == 0 || s.Kind == transport.KindExecutor || s.Kind == transport.KindPage {
			stubs = append(stubs, &transport.Exchange{Kind: s.Kind, URL: s.URL, Flow: s.Flow, Start: s.Start})
			if i > 0 {
				break
			}
		}
	}
	return history.HeaderFromExchanges(stubs)
}

// summaryExchange fills stub with what the timeline row of an indexed
// entry shows, as exchangeFromHAR would, without headers and bodies.
func summaryExchange(it *scannedEntry, id int, jar *simJar, stub *transport.Exchange) *transport.Exchange {
	*stub = transport.Exchange{ID: id, Method: it.method, URL: it.url, Status: it.status, Start: it.start}
	e := stub
	if x := it.ext; x != nil {
		e.ID, e.Flow, e.Kind, e.Component = x.ID, x.Flow, x.Kind, x.Component
		e.Jar, e.JarChanges, e.Flags = x.Jar, x.JarChanges, x.Flags
		e.Error, e.Diagnosis = x.Error, x.Diagnosis
		if x.Timing != nil {
			e.Timing = *x.Timing
		} else {
			e.Timing = timingFromHAR(it.timing)
		}
		if e.Component == "" && it.challenge {
			e.Component = it.component
		}
		return e
	}
	e.Timing = timingFromHAR(it.timing)
	e.Kind, e.Flow = history.ClassifyURL(e.URL)
	e.Jar, e.JarChanges = jar.apply(e, it.reqCookies, it.respCookies)
	if it.challenge {
		e.Component = it.component
	}
	if e.Status >= 300 && e.Status < 400 {
		e.Flags = append(e.Flags, transport.FlagRedirect)
	}
	if it.challenge && it.validation {
		e.Flags = append(e.Flags, transport.FlagValidation)
	}
	if e.Status == 0 {
		e.Flags = append(e.Flags, transport.FlagError)
		e.Error = "no response in the HAR (blocked or cancelled in the browser)"
	}
	return e
}

// entryRef is what reading an imported exchange again needs.
type entryRef struct {
	off, n   int64
	id       int
	jar      []transport.Cookie // a browser HAR's rebuilt jar after it (shared snapshots)
	rotation int                // the first flow exchange up to it that rotated the session, -1
	// Set by the diagnosis at import: what it added.
	diagnosed bool
	diagnosis string
	flags     []string
}

// lazyHAR reads the exchanges of an imported HAR on demand.
type lazyHAR struct {
	refs     []entryRef
	flowOnly []int // indices of the flow exchanges (not KindOther), in order
	diagnose []int // at import: the flow errors to diagnose
}

// load reads exchange i in full.
func (lz *lazyHAR) load(at io.ReaderAt, i int) (*transport.Exchange, error) {
	e, err := lz.decode(at, i)
	if err != nil {
		return nil, err
	}
	if ref := &lz.refs[i]; ref.diagnosed {
		e.Diagnosis, e.Flags = ref.diagnosis, slices.Clone(ref.flags)
	}
	return e, nil
}

// decode reads exchange i from its entry's bytes.
func (lz *lazyHAR) decode(at io.ReaderAt, i int) (*transport.Exchange, error) {
	ref := &lz.refs[i]
	raw := make([]byte, ref.n)
	if _, err := at.ReadAt(raw, ref.off); err != nil {
		return nil, fmt.Errorf("exchange %d: %w", i+1, err)
	}
	var en harEntry
	if err := json.Unmarshal(raw, &en); err != nil {
		return nil, fmt.Errorf("exchange %d: HAR entry %w: %s", i+1, history.ErrUnreadable, entryDecodeReason(err))
	}
	var before []transport.Cookie
	if i > 0 {
		before = lz.refs[i-1].jar
	}
	e, err := exchangeFromHAR(en, ref.id, func(*transport.Exchange, harEntry) ([]transport.Cookie, []transport.CookieChange) {
		return ref.jar, transport.DiffJar(before, ref.jar)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange %d: %w", i+1, err)
	}
	return e, nil
}

// diagnosed reads flow error k with the flow exchanges before it that its
// diagnosis looks at (see diagnoseFlowErrors), and diagnoses it.
func (lz *lazyHAR) diagnosed(at io.ReaderAt, k int) (*transport.Exchange, error) {
	e, err := lz.decode(at, k)
	if err != nil {
		return nil, err
	}
	var before []*transport.Exchange
	if rot := lz.refs[max(k-1, 0)].rotation; k > 0 && rot >= 0 && rot < k {
		x, err := lz.load(at, rot)
		if err != nil {
			return nil, err
		}
		before = append(before, x)
	}
	pos, _ := slices.BinarySearch(lz.flowOnly, k)
	for _, j := range lz.flowOnly[max(0, pos-diagnoseWindow):pos] {
		x, err := lz.load(at, j)
		if err != nil {
			return nil, err
		}
		before = append(before, x)
	}
	transport.DiagnoseRecorded(before, e)
	return e, nil
}
