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
			w.keep(errors.New("recording is closed"))
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
		var err error
		if item.e != nil {
			err = w.Write(item.e)
		} else {
			err = w.writeNote(item.note)
		}
		if err != nil {
			w.keep(err)
		}
	}
}

// keep remembers the first error of a queued write.
func (w *Writer) keep(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

// Err is the first error a queued write hit, nil if none. Records still
// queued are not written yet: Close waits for them.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Close writes everything still queued, syncs and closes the file, and
// returns the first error of any queued write or of closing. Closing twice
// is harmless.
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
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.err
	if serr := w.f.Sync(); err == nil {
		err = serr
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	return err
}
