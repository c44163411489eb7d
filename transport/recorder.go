package transport

import (
	"sort"
	"sync"
)

// Recorder keeps every exchange in order and tells observers of each one as
// it completes. Safe for concurrent use. A Recorder works on its own too:
// replay and history add exchanges they read from disk with Add.
type Recorder struct {
	mu        sync.Mutex
	exchanges []*Exchange // sorted by ID
	retain    int         // keep at most this many, newest first; < 0 all
	observers map[int]func(*Exchange)
	nextObs   int
	lastID    int
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{observers: map[int]func(*Exchange){}, retain: -1} }

// Retain keeps at most the n newest exchanges (n < 0: all, the default).
// A session whose observers keep what they need (the TUI's window, the
// recording) retains none, so its memory does not grow with its length.
// Exchanges, Len and Get then see only those kept.
func (r *Recorder) Retain(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.retain = n
	r.trim()
}

// trim drops the oldest exchanges over the retention; r.mu held.
func (r *Recorder) trim() {
	if r.retain < 0 || len(r.exchanges) <= r.retain {
		return
	}
	drop := len(r.exchanges) - r.retain
	clear(r.exchanges[:drop]) // let the dropped exchanges be collected
	r.exchanges = r.exchanges[drop:]
	if r.retain == 0 {
		r.exchanges = nil
	}
}

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

// Exchanges returns a copy of the list of exchanges so far, in ID order.
func (r *Recorder) Exchanges() []*Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Exchange(nil), r.exchanges...)
}

// Len is the number of exchanges recorded.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.exchanges)
}

// Get returns the exchange with the given ID, nil when there is none.
func (r *Recorder) Get(id int) *Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	i := sort.Search(len(r.exchanges), func(i int) bool { return r.exchanges[i].ID >= id })
	if i < len(r.exchanges) && r.exchanges[i].ID == id {
		return r.exchanges[i]
	}
	return nil
}

// reserve hands out the next ID when an exchange starts, so IDs follow the
// order of start even when exchanges finish out of order.
func (r *Recorder) reserve() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastID++
	return r.lastID
}

// Add records a finished exchange and notifies the observers. An exchange
// with ID 0 gets the next ID; one that has an ID (read back from a
// recording) keeps it and later IDs continue after it. The exchange must
// not be changed afterwards.
func (r *Recorder) Add(ex *Exchange) {
	r.mu.Lock()
	if ex.ID == 0 {
		r.lastID++
		ex.ID = r.lastID
	} else if ex.ID > r.lastID {
		r.lastID = ex.ID
	}
	i := sort.Search(len(r.exchanges), func(i int) bool { return r.exchanges[i].ID > ex.ID })
	r.exchanges = append(r.exchanges, nil)
	copy(r.exchanges[i+1:], r.exchanges[i:])
	r.exchanges[i] = ex
	r.trim()
	var fns []func(*Exchange)
	if len(r.observers) > 0 {
		fns = r.observerList()
	}
	r.mu.Unlock()
	for _, fn := range fns {
		fn(ex)
	}
}

// observerList is the observers in registration order; r.mu must be held.
func (r *Recorder) observerList() []func(*Exchange) {
	ids := make([]int, 0, len(r.observers))
	for id := range r.observers {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	fns := make([]func(*Exchange), len(ids))
	for i, id := range ids {
		fns[i] = r.observers[id]
	}
	return fns
}
