package model

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/transport"
)

// exchangesMsg carries exchanges the recorder completed since the last one.
type exchangesMsg struct{ xs []*transport.Exchange }

// feed forwards the recorder's exchanges to the event loop as they
// complete, so a slow multi-hop step shows its hops as they happen. The
// recorder calls push from the request goroutine; the queue never blocks
// it, and one listen command drains everything queued at once.
type feed struct {
	mu     sync.Mutex
	queue  []*transport.Exchange
	signal chan struct{} // capacity 1: "something is queued"
	done   chan struct{}
	once   sync.Once
	stop   func()
}

func newFeed(rec *transport.Recorder) *feed {
	f := &feed{signal: make(chan struct{}, 1), done: make(chan struct{})}
	f.stop = rec.Observe(f.push)
	return f
}

func (f *feed) push(x *transport.Exchange) {
	f.mu.Lock()
	f.queue = append(f.queue, x)
	f.mu.Unlock()
	select {
	case f.signal <- struct{}{}:
	default:
	}
}

// drain takes everything queued so far without waiting.
func (f *feed) drain() []*transport.Exchange {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	xs := f.queue
	f.queue = nil
	return xs
}

// listen waits for the next exchanges; the model re-issues it after each
// message. It returns nil once the feed is closed.
func (f *feed) listen() tea.Cmd {
	return func() tea.Msg {
		select {
		case <-f.signal:
			return exchangesMsg{xs: f.drain()}
		case <-f.done:
			return nil
		}
	}
}

func (f *feed) close() {
	f.once.Do(func() {
		f.stop()
		close(f.done)
	})
}
