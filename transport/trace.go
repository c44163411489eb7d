package transport

import (
	"crypto/tls"
	"io"
	"net/http/httptrace"
	"sync"
	"time"
)

// tracer collects the httptrace phases of one round trip. The callbacks
// may run on the transport's dialing goroutines, hence the lock.
type tracer struct {
	mu                            sync.Mutex
	start                         time.Time
	dnsStart, connStart, tlsStart time.Time
	t                             Timing
	hooks                         httptrace.ClientTrace // in the same allocation
}

func newTracer(start time.Time) *tracer {
	tr := &tracer{start: start}
	tr.hooks = httptrace.ClientTrace{
		DNSStart:             func(httptrace.DNSStartInfo) { tr.mark(&tr.dnsStart) },
		DNSDone:              func(httptrace.DNSDoneInfo) { tr.since(&tr.t.DNS, &tr.dnsStart) },
		ConnectStart:         func(_, _ string) { tr.mark(&tr.connStart) },
		ConnectDone:          func(_, _ string, _ error) { tr.since(&tr.t.Connect, &tr.connStart) },
		TLSHandshakeStart:    func() { tr.mark(&tr.tlsStart) },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { tr.since(&tr.t.TLS, &tr.tlsStart) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { tr.since(&tr.t.Send, &tr.start) },
		GotFirstResponseByte: func() { tr.since(&tr.t.FirstByte, &tr.start) },
	}
	return tr
}

func (tr *tracer) clientTrace() *httptrace.ClientTrace { return &tr.hooks }

func (tr *tracer) mark(at *time.Time) {
	tr.mu.Lock()
	*at = time.Now()
	tr.mu.Unlock()
}

// since sets *d to the time elapsed from *from, if *from was marked.
func (tr *tracer) since(d *time.Duration, from *time.Time) {
	tr.mu.Lock()
	if !from.IsZero() {
		*d = time.Since(*from)
	}
	tr.mu.Unlock()
}

// done closes the timing at the end of the body.
func (tr *tracer) done() Timing {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.t.Total = time.Since(tr.start)
	return tr.t
}

// readCapped reads a body (decoded: Go's transport gunzips it), keeping at
// most limit bytes and counting up to limit more. The kept bytes grow in
// one buffer that never passes the cap: a body of known length is read
// into one exact allocation, and one of unknown length (a gzip that
// expands to gigabytes) leaves at most a cap's worth of garbage behind.
func readCapped(r io.Reader, limit int64, sizeHint int64) (body []byte, size int64, truncated bool, err error) {
	first := min(limit, 64<<10)
	switch {
	case sizeHint >= 0 && sizeHint <= limit:
		first = sizeHint + 1 // one spare byte tells a body longer than announced
	case sizeHint > limit:
		first = limit
	}
	buf := make([]byte, 0, max(first, 1))
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(limit, 2*int64(cap(buf))))
			copy(grown, buf)
			buf = grown
		}
		n, rerr := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if rerr == io.EOF {
			return buf, int64(len(buf)), false, nil
		}
		if rerr != nil {
			return buf, int64(len(buf)), false, rerr
		}
	}
	// At the cap: count on, but only so far, so that a 4 MB gzip that
	// expands to 4 GiB does not keep us decompressing into the void. Past
	// that the size is a lower bound and the connection is dropped.
	rest, err := io.Copy(io.Discard, io.LimitReader(r, limit))
	size = int64(len(buf)) + rest
	return buf, size, size > int64(len(buf)), err
}
