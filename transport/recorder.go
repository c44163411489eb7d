package transport

import "sync"

// Recorder keeps every exchange in order and tells observers of each one as
// it completes. Safe for concurrent use.
type Recorder struct {
	mu        sync.Mutex
	exchanges []*Exchange
	observers map[int]func(*Exchange)
	nextObs   int
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{observers: map[int]func(*Exchange){}} }

// Observe registers fn to be called with every exchange as it completes,
// from the goroutine that made it. The returned func unregisters it.
func (r *Recorder) Observe(fn func(*Exchange)) (stop func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := r.nextObs
	r.nextObs++
	r.observers[id] = fn
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		delete(r.observers, id)
	}
}

// Exchanges returns a copy of the list of exchanges so far.
func (r *Recorder) Exchanges() []*Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Exchange(nil), r.exchanges...)
}
