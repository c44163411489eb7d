package history

import (
	"fmt"
	"os"
	"sync"

	"github.com/akinspect/akinspect/transport"
)

// A session's recording doubles as its archive: the live TUI keeps only
// its newest exchanges in memory and reads older ones back from the file
// the Writer wrote them to, as `open` would show them (redacted unless the
// recording is not). The Writer remembers where each exchange line is, and
// reads through a descriptor opened with the file: moving or deleting the
// file (a spill file unlinks itself at once) does not stop it.
type readBack struct {
	mu     sync.Mutex
	spans  map[int]span // exchange ID → its whole line in the file
	f      *os.File     // opened by Create; nil once closed
	closed bool
}

// openReadBack opens the descriptor ReadBack reads through; called by
// Create, with the file just made.
func (w *Writer) openReadBack() error {
	f, err := os.Open(w.path)
	if err != nil {
		return err
	}
	w.rb.f = f
	return nil
}

// remember notes that exchange id is the whole line at s.
func (w *Writer) remember(id int, s span) {
	w.rb.mu.Lock()
	defer w.rb.mu.Unlock()
	if w.rb.spans == nil {
		w.rb.spans = map[int]span{}
	}
	w.rb.spans[id] = s
}

// Stored reports whether exchange id is in the file, whole, so that
// ReadBack can read it. An exchange still queued, or left out after a
// write failed, is not.
func (w *Writer) Stored(id int) bool {
	w.rb.mu.Lock()
	defer w.rb.mu.Unlock()
	_, ok := w.rb.spans[id]
	return ok
}

// ReadBack reads exchange id from the file as it was written. Safe to call
// while the Writer writes; after Close it fails.
func (w *Writer) ReadBack(id int) (*transport.Exchange, error) {
	w.rb.mu.Lock()
	s, ok := w.rb.spans[id]
	f, closed := w.rb.f, w.rb.closed
	w.rb.mu.Unlock()
	switch {
	case !ok:
		return nil, fmt.Errorf("exchange #%d is not in the recording", id)
	case closed || f == nil:
		return nil, fmt.Errorf("exchange #%d: the recording is closed", id)
	}
	e, err := readExchangeAt(f, s)
	if err != nil {
		return nil, fmt.Errorf("read back exchange #%d: %w", id, err)
	}
	return e, nil
}

// closeReadBack closes the reading descriptor for good.
func (w *Writer) closeReadBack() {
	w.rb.mu.Lock()
	defer w.rb.mu.Unlock()
	w.rb.closed = true
	if w.rb.f != nil {
		w.rb.f.Close()
		w.rb.f = nil
	}
}
