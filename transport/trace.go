package transport

import (
	"bytes"
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
// most limit bytes and counting up to limit more.
// A body of known length is read into one exact allocation.
func readCapped(r io.Reader, limit int64, sizeHint int64) (body []byte, size int64, truncated bool, err error) {
	if sizeHint >= 0 && sizeHint <= limit {
		// One spare byte detects a body longer than announced.
		buf := make([]byte, sizeHint+1)
		n, err := io.ReadFull(r, buf)
		switch {
		case err == io.ErrUnexpectedEOF || err == io.EOF:
			return buf[:n], int64(n), false, nil
		case err != nil:
			return buf[:n], int64(n), false, err
		}
		// Longer than announced: fall through with what was read.
		return readRest(bytes.NewBuffer(buf), r, limit)
	}
	if sizeHint > limit {
		// Announced over the cap: the kept part is known, allocate it once
		// instead of growing a buffer by doubling (a hostile body would
		// leave a cap's worth of garbage behind).
		buf := make([]byte, limit)
		n, err := io.ReadFull(r, buf)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return buf[:n], int64(n), false, err
		}
		return readRest(bytes.NewBuffer(buf[:n]), r, limit)
	}
	return readRest(&bytes.Buffer{}, r, limit)
}

func readRest(buf *bytes.Buffer, r io.Reader, limit int64) ([]byte, int64, bool, error) {
	if room := limit - int64(buf.Len()); room > 0 {
		if _, err := io.Copy(buf, io.LimitReader(r, room)); err != nil {
			return buf.Bytes(), int64(buf.Len()), false, err
		}
	}
	kept := buf.Bytes()
	if int64(len(kept)) > limit {
		kept = kept[:limit]
	}
	// Count on past the cap, but only so far: a 4 MB gzip that expands to
	// 4 GiB must not keep us decompressing into the void. Past that the
	// size is a lower bound and the connection is dropped, not drained.
	rest, err := io.Copy(io.Discard, io.LimitReader(r, limit))
	size := int64(buf.Len()) + rest
	return kept, size, size > int64(len(kept)), err
}
