package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"sync"

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
	items, skipped, total, parts, err := scanEntries(r, limit)
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
	if total > 0 && len(items) == 0 {
		first := slices.MinFunc(skipped, func(a, b skippedEntry) int { return a.index - b.index })
		return nil, fmt.Errorf("none of its %d entries could be read; entry %d (log.entries[%d]): %s", total, first.index+1, first.index, first.reason)
	}
	slices.SortFunc(items, func(a, b scannedEntry) int { // by time; in file order at the same time
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return a.index - b.index
	})
	lz := &lazyHAR{refs: make([]entryRef, len(items))}
	sums := make([]history.Summary, len(items))
	fresh := make([]bool, len(items))
	jar := newSimJar()
	var session history.JarTracker
	var stub transport.Exchange
	withCookie := http.Header{"Cookie": {""}}
	var flowOnly []int
	rotation := -1
	var diagnose []int
	for k := range items {
		it := &items[k]
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
				diagnose = append(diagnose, k)
			}
			flowOnly = append(flowOnly, k)
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
		*it = scannedEntry{} // done with it
	}
	lz.flowOnly = flowOnly
	items = nil
	for _, k := range diagnose {
		e, err := lz.diagnosed(at, k)
		if err != nil {
			continue // read again, and diagnosed, when shown
		}
		lz.refs[k].diagnosis, lz.refs[k].flags = e.Diagnosis, e.Flags
		lz.refs[k].diagnosed = true
		sums[k].Flags = slices.Clone(e.Flags)
	}
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

// scanEntries streams the HAR once and indexes its entries (scanEntry),
// on every CPU: the stream hands each entry's bytes to workers. Items come
// back in no particular order; skipped names the entries left out.
func scanEntries(r io.Reader, limit int64) (items []scannedEntry, skipped []skippedEntry, total int, parts harLogParts, err error) {
	type job struct {
		index  int
		off, n int64
		raw    []byte // nil: over the limit
	}
	type result struct {
		item scannedEntry
		skip *skippedEntry
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan job, 4*workers)
	results := make(chan result, 4*workers)
	free := make(chan []byte, 8*workers) // entry buffers, reused
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var sc entryScanner
			for j := range jobs {
				if j.raw == nil {
					results <- result{skip: &skippedEntry{j.index, fmt.Sprintf("%s, over the limit of %s for one entry", sizeText(j.n), sizeText(limit))}}
					continue
				}
				it, err := sc.scanEntry(j.raw)
				select {
				case free <- j.raw[:0]:
				default:
				}
				if err != nil {
					results <- result{skip: &skippedEntry{j.index, err.Error()}}
					continue
				}
				it.index, it.off, it.n = j.index, j.off, j.n
				results <- result{item: it}
			}
		})
	}
	collected := make(chan struct{})
	go func() {
		for res := range results {
			if res.skip != nil {
				skipped = append(skipped, *res.skip)
			} else {
				items = append(items, res.item)
			}
		}
		close(collected)
	}()
	parts, err = walkHAR(r, limit, func(i int, raw []byte, off, size int64) {
		total++
		j := job{index: i, off: off, n: size}
		if raw != nil {
			var buf []byte
			select {
			case buf = <-free:
			default:
			}
			j.raw = append(buf, raw...)
		}
		jobs <- j
	})
	close(jobs)
	wg.Wait()
	close(results)
	<-collected
	return items, skipped, total, parts, err
}
