package har

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

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

// diagnoseFlowErrors names the likely cause of each flow error that
// carries none (a browser's HAR never does), as a live client would have:
// from the flow exchanges before it in the session (a login that rotated
// the session cookie, the POST a redirect followed, the headers it sent).
// Entries that are not flow exchanges (assets, other API calls) are left
// out of what it looks at: they would break the redirect chain.
//
// What the diagnosis reads of the exchanges before is the last few (the
// redirect chain back to a POST, the challenge answered) and whether the
// session rotated at all, so it gets those: the first rotation and the
// last diagnoseWindow flow exchanges. A HAR of many flow errors then
// costs no more than one pass.
func diagnoseFlowErrors(exchanges []*transport.Exchange) {
	var flowOnly []*transport.Exchange
	var rotation *transport.Exchange
	var before []*transport.Exchange
	for _, e := range exchanges {
		if e.Kind == history.KindOther {
			continue
		}
		if e.Component == flow.ComponentFlowError && e.Diagnosis == "" {
			before = before[:0]
			if rotation != nil {
				before = append(before, rotation)
			}
			before = append(before, flowOnly[max(0, len(flowOnly)-diagnoseWindow):]...)
			transport.DiagnoseRecorded(before, e)
		}
		flowOnly = append(flowOnly, e)
		if rotation == nil && rotatesSession(e) {
			rotation = e
		}
	}
}

// diagnoseWindow is how many flow exchanges before a flow error its
// diagnosis looks at, besides the session's first rotation.
const diagnoseWindow = 32

// rotatesSession: the exchange changed the session cookie's value (a
// login does).
func rotatesSession(e *transport.Exchange) bool {
	if e.Has(transport.FlagSessionRotated) {
		return true
	}
	for _, ch := range e.JarChanges {
		if ch.Name == transport.SessionCookie && ch.Change == transport.ChangeChanged {
			return true
		}
	}
	return false
}

// skippedEntry is an entry left out of an import, and why.
type skippedEntry struct {
	index  int // 0-based, in log.entries
	reason string
}

// entryWarnings names the skipped entries in file order, the first
// maxEntryWarnings of them one by one:
// "HAR entry 17 skipped (log.entries[16]): response.content.text: bad base64 (...)".
func entryWarnings(skipped []skippedEntry) []string {
	slices.SortFunc(skipped, func(a, b skippedEntry) int { return a.index - b.index })
	var out []string
	for i, s := range skipped {
		if i == maxEntryWarnings {
			out = append(out, fmt.Sprintf("%d more HAR entries skipped", len(skipped)-i))
			break
		}
		out = append(out, fmt.Sprintf("HAR entry %d skipped (log.entries[%d]): %s", s.index+1, s.index, s.reason))
	}
	return out
}

// entryDecodeReason says why an entry's JSON does not decode, naming the
// field: "response.status: a string where a number belongs".
func entryDecodeReason(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		what := jsonKindOf(te.Type)
		if te.Field == "" {
			return fmt.Sprintf("%s where %s belongs", te.Value, what)
		}
		return fmt.Sprintf("%s: %s where %s belongs", te.Field, te.Value, what)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "not valid JSON: " + se.Error()
	}
	return err.Error()
}

// jsonKindOf names what JSON value a Go type reads.
func jsonKindOf(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another value"
}

func harStart(e harEntry) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, e.StartedDateTime)
	return t
}

// jarFunc gives an exchange of a browser HAR its jar and the changes to it.
type jarFunc func(e *transport.Exchange, en harEntry) ([]transport.Cookie, []transport.CookieChange)

func exchangeFromHAR(en harEntry, id int, jar jarFunc) (*transport.Exchange, error) {
	e := &transport.Exchange{
		ID: id, Method: en.Request.Method, URL: en.Request.URL,
		RequestHeader: headerFromHAR(en.Request.Headers), Status: int(en.Response.Status),
		Proto: en.Response.HTTPVersion, ResponseHeader: headerFromHAR(en.Response.Headers),
		BodySize: int64(en.Response.Content.Size), Start: harStart(en),
	}
	if pd := en.Request.PostData; pd != nil {
		body, err := harBody(pd.Text, pd.Encoding)
		if err != nil {
			return nil, fmt.Errorf("request.postData.text: %w", err)
		}
		if len(body) == 0 && len(pd.Params) > 0 {
			form := url.Values{}
			for _, p := range pd.Params {
				form.Add(p.Name, p.Value)
			}
			body = []byte(form.Encode())
		}
		e.RequestBody = body
	}
	body, err := harBody(en.Response.Content.Text, en.Response.Content.Encoding)
	if err != nil {
		return nil, fmt.Errorf("response.content.text: %w", err)
	}
	e.ResponseBody = body
	if x := en.Akinspect; x != nil {
		e.ID, e.Flow, e.Kind, e.Component = x.ID, x.Flow, x.Kind, x.Component
		e.Jar, e.JarChanges, e.Flags = x.Jar, x.JarChanges, x.Flags
		e.Error, e.Diagnosis, e.Secrets, e.Truncated = x.Error, x.Diagnosis, x.Secrets, x.Truncated
		if x.Timing != nil {
			e.Timing = *x.Timing
		} else {
			e.Timing = timingFromHAR(en.Timings)
		}
		history.FillChallenge(e)
		return e, nil
	}
	e.Timing = timingFromHAR(en.Timings)
	e.Kind, e.Flow = history.ClassifyURL(e.URL)
	e.Jar, e.JarChanges = jar(e, en)
	history.FillChallenge(e)
	if e.Status >= 300 && e.Status < 400 {
		e.Flags = append(e.Flags, transport.FlagRedirect)
	}
	if e.Challenge != nil && len(e.Challenge.ResponseErrors) > 0 {
		e.Flags = append(e.Flags, transport.FlagValidation)
	}
	if e.Status == 0 {
		e.Flags = append(e.Flags, transport.FlagError)
		e.Error = "no response in the HAR (blocked or cancelled in the browser)"
	}
	return e, nil
}

func harBody(text, encoding string) ([]byte, error) {
	if text == "" {
		return nil, nil
	}
	if encoding == history.EncodingBase64 {
		b, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			return nil, fmt.Errorf("bad base64 (%v)", err)
		}
		return b, nil
	}
	return []byte(text), nil
}

// headerFromHAR rebuilds a header map; HTTP/2 pseudo-headers are dropped.
func headerFromHAR(nv []harNV) http.Header {
	h := http.Header{}
	for _, p := range nv {
		if p.Name == "" || strings.HasPrefix(p.Name, ":") {
			continue
		}
		k := textproto.CanonicalMIMEHeaderKey(p.Name)
		h[k] = append(h[k], p.Value)
	}
	return h
}

// timingFromHAR turns HAR phases back into httptrace's cumulative marks.
func timingFromHAR(t harTimings) transport.Timing {
	d := func(v float64) time.Duration {
		if v <= 0 {
			return 0
		}
		return time.Duration(v * float64(time.Millisecond))
	}
	ssl := d(t.SSL)
	connect := d(t.Connect) - ssl
	if connect < 0 {
		connect = 0
	}
	send := d(t.Blocked) + d(t.DNS) + d(t.Connect) + d(t.Send)
	first := send + d(t.Wait)
	return transport.Timing{
		DNS: d(t.DNS), Connect: connect, TLS: ssl,
		Send: send, FirstByte: first, Total: first + d(t.Receive),
	}
}

// simJar rebuilds the cookie jar of a browser HAR from what it shows: the
// cookies each request sent and each response set. Browsers' sanitized
// exports omit cookies; the jar is then empty. It keeps the jar as
// transport's snapshots, so every exchange gets its own.
type simJar struct{ cookies []transport.Cookie }

func newSimJar() *simJar { return &simJar{} }

func (j *simJar) apply(e *transport.Exchange, sent, set []harCookie) ([]transport.Cookie, []transport.CookieChange) {
	before := j.cookies
	host := ""
	if u, err := url.Parse(e.URL); err == nil {
		host = u.Hostname()
	}
	if e.Kind != history.KindOther {
		for _, c := range sent {
			j.cookies = jarWith(j.cookies, transport.Cookie{Name: c.Name, Value: c.Value, Domain: host, Path: "/"})
		}
		for _, c := range set {
			tc := transport.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path, HTTPOnly: c.HTTPOnly, Secure: c.Secure}
			if tc.Domain == "" {
				tc.Domain = host
			}
			if tc.Path == "" {
				tc.Path = "/"
			}
			expired := false
			if c.Expires != "" {
				if t, err := time.Parse(time.RFC3339Nano, c.Expires); err == nil {
					tc.Expires = t
					expired = t.Before(e.Start) && !e.Start.IsZero()
				}
			}
			if expired || c.Value == "" {
				j.cookies = jarWithout(j.cookies, tc)
			} else {
				j.cookies = jarWith(j.cookies, tc)
			}
		}
	}
	if len(before) == len(j.cookies) && (len(before) == 0 || &before[0] == &j.cookies[0]) {
		return j.cookies, nil // the same snapshot: nothing changed
	}
	return j.cookies, transport.DiffJar(before, j.cookies)
}

// jarWith is transport.JarWith, but a jar that holds c already is kept:
// a HAR's requests send the same cookies over and over, and each exchange
// keeps its jar, so unchanged jars share one snapshot.
func jarWith(jar []transport.Cookie, c transport.Cookie) []transport.Cookie {
	if slices.Contains(jar, c) {
		return jar
	}
	return transport.JarWith(jar, c)
}

// jarWithout is transport.JarWithout, keeping a jar without the cookie.
func jarWithout(jar []transport.Cookie, c transport.Cookie) []transport.Cookie {
	if !slices.ContainsFunc(jar, func(o transport.Cookie) bool {
		return o.Name == c.Name && o.Domain == c.Domain && o.Path == c.Path
	}) {
		return jar
	}
	return transport.JarWithout(jar, c)
}
