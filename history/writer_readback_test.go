package history

import (
	"reflect"
	"testing"
	"time"
)

// What the live TUI reads back of an exchange it no longer holds is what
// `open` shows of it: ReadBack of every exchange, while the Writer is still
// open, equals the same exchange of the recording opened afterwards.
func TestReadBackIsWhatOpenShows(t *testing.T) {
	w, rec, path := createObserved(t)
	session := syntheticSession()
	for _, e := range session {
		rec.Add(e)
	}
	waitStored(t, w, session[len(session)-1].ID)
	got := map[int]any{}
	for _, e := range session {
		x, err := w.ReadBack(e.ID)
		if err != nil {
			t.Fatal(err)
		}
		got[e.ID] = x
	}
	if w.Stored(999) {
		t.Error("an exchange never written reads as stored")
	}
	if _, err := w.ReadBack(999); err == nil {
		t.Error("ReadBack of an exchange never written gave no error")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Len() {
		want, err := r.Exchange(i)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[want.ID], want) {
			t.Errorf("exchange #%d read back differs from the recording's", want.ID)
		}
	}
}

// An exchange a full disk left out is not stored, so the TUI keeps it in
// memory rather than losing it.
func TestLeftOutExchangeIsNotStored(t *testing.T) {
	id := syntheticSession()[2].ID
	_, w, _ := recordOnFullDisk(t, roomBefore(t, id))
	_ = w.Close() // writes what is queued; its error is the full disk
	for _, e := range syntheticSession() {
		if stored := w.Stored(e.ID); stored != (e.ID < id) {
			t.Errorf("exchange #%d: stored = %v, want %v", e.ID, stored, e.ID < id)
		}
	}
}

// waitStored waits for the writer goroutine to have written exchange id.
func waitStored(t *testing.T, w *Writer, id int) {
	t.Helper()
	for range 10000 { // ten seconds at most: a hang guard
		if w.Stored(id) {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("exchange #%d was never written", id)
}
