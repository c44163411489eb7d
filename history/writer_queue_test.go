package history

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/transport"
)

func createObserved(t *testing.T) (*Writer, *transport.Recorder, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "queued"+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "default-authentication-flow"}, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec := transport.NewRecorder()
	w.Observe(rec)
	return w, rec, path
}

// A redirect hop must not wait for the disk: while the writer is stuck (its
// lock held here, as by a slow fsync) the client's Add still returns, and
// Close then writes everything in the order delivered.
func TestObservedExchangesDoNotWaitForTheDisk(t *testing.T) {
	w, rec, path := createObserved(t)
	session := syntheticSession()
	w.mu.Lock() // the writer goroutine is busy syncing
	added := make(chan struct{})
	go func() {
		for _, e := range session {
			rec.Add(e)
		}
		close(added)
	}()
	select {
	case <-added:
	case <-time.After(time.Minute): // a hang guard, not a speed check
		w.mu.Unlock()
		t.Fatal("the client's request path waited for the recording to be written")
	}
	w.mu.Unlock()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != len(session) {
		t.Fatalf("Close kept %d of %d queued exchanges", r.Len(), len(session))
	}
	for i := range session {
		if r.Summary(i).ID != session[i].ID {
			t.Fatalf("exchange %d has ID %d: the queue changed the order", i, r.Summary(i).ID)
		}
	}
}

// A queued write that fails is not lost silently: Close returns the error
// and Err reports it.
func TestQueuedWriteErrorIsReportedByCloseAndErr(t *testing.T) {
	w, rec, _ := createObserved(t)
	w.mu.Lock()
	w.f.Close() // the disk goes away under the writer
	w.mu.Unlock()
	rec.Add(syntheticSession()[0])
	err := w.Close()
	if err == nil || !strings.Contains(err.Error(), "write recording") {
		t.Fatalf("Close after a failed queued write: %v", err)
	}
	if w.Err() == nil {
		t.Error("Err does not report the failed write")
	}
}

// Notes keep their place behind the exchanges already delivered.
func TestNoteWhileObservingKeepsItsPlace(t *testing.T) {
	w, rec, path := createObserved(t)
	session := syntheticSession()
	rec.Add(session[0])
	rec.Add(session[1])
	if err := w.Note("after two"); err != nil {
		t.Fatal(err)
	}
	rec.Add(session[2])
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Notes) != 1 || r.Notes[0].After != 2 || r.Len() != 3 {
		t.Errorf("notes %+v, %d exchanges", r.Notes, r.Len())
	}
}
