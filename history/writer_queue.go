package history

import (
	"errors"

	"github.com/akinspect/akinspect/transport"
)

// queueSize is how many observed records may wait for the writer goroutine
// before the client's observer blocks (back-pressure, nothing is dropped).
const queueSize = 256

// queued is one record waiting for the writer goroutine: an exchange or a
// note.
type queued struct {
	e    *transport.Exchange
	note *noteRecord
}

// Observe writes every exchange the recorder delivers from now on. The
// recorder's callback only queues the exchange; one goroutine writes and
// syncs each as soon as it gets it, in the order delivered. Write errors
// are kept: Err returns the first, and so does Close, which first writes
// everything queued. Call the returned func to stop observing.
func (w *Writer) Observe(rec *transport.Recorder) (stop func()) {
	w.startQueue()
	return rec.Observe(func(e *transport.Exchange) { w.enqueue(queued{e: e}) })
}

func (w *Writer) startQueue() {
	w.qmu.Lock()
	defer w.qmu.Unlock()
	if w.queue != nil || w.qclosed {
		return
	}
	w.queue = make(chan queued, queueSize)
	w.drained = make(chan struct{})
	go w.drain(w.queue, w.drained)
}

// enqueue hands a record to the goroutine; false when there is none (the
// Writer does not observe, the caller writes itself). After Close a queued
// exchange is an error kept for Err.
func (w *Writer) enqueue(q queued) bool {
	w.qmu.Lock()
	defer w.qmu.Unlock()
	if w.qclosed {
		if q.e != nil {
			w.keep(q.e, errors.New("recording is closed"))
			return true
		}
		return false
	}
	if w.queue == nil {
		return false
	}
	w.queue <- q // blocks only while queueSize records wait
	return true
}

func (w *Writer) drain(q <-chan queued, done chan<- struct{}) {
	defer close(done)
	for item := range q {
		// An error is kept by the Writer: Failure, Err and Close report it.
		if item.e != nil {
			_ = w.Write(item.e)
		} else {
			_ = w.writeNote(item.note)
		}
	}
}

// keep remembers an exchange delivered after Close: it is not written.
func (w *Writer) keep(e *transport.Exchange, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.failed(err)
	w.lost(e)
}

// Err is the first error writing the recording hit, nil if none: a
// *WriteFailure that also counts the records left out. Records still
// queued are not written yet: Close waits for them.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if f := w.failure(); f != nil {
		return f
	}
	return nil
}

// Close writes everything still queued, syncs and closes the file, and
// returns the first error of writing (a *WriteFailure that counts the
// records left out, see Failure) or of closing. When records were left
// out it first ends the file with a "lost" record, if there is room.
// Closing twice is harmless.
func (w *Writer) Close() error {
	w.qmu.Lock()
	done := w.drained
	if !w.qclosed {
		w.qclosed = true
		if w.queue != nil {
			close(w.queue)
		}
	}
	w.qmu.Unlock()
	if done != nil {
		<-done
	}
	w.closeReadBack()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	var err error
	if f := w.failure(); f != nil {
		if f.Exchanges > 0 || f.Notes > 0 {
			w.writeLost()
		}
		err = f
	}
	if serr := w.f.Sync(); err == nil {
		err = serr
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	return err
}
