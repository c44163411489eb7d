package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/akinspect/akinspect/transport"
)

// fullDisk is a recording file on a disk that has room for limit bytes:
// a write past it writes what fits and fails with ENOSPC, as write(2) does.
// Truncating gives the room back.
type fullDisk struct {
	f     *os.File
	size  int64
	limit int64
}

func (d *fullDisk) Write(p []byte) (int, error) {
	room := max(d.limit-d.size, 0)
	if int64(len(p)) <= room {
		n, err := d.f.Write(p)
		d.size += int64(n)
		return n, err
	}
	n, err := d.f.Write(p[:room])
	d.size += int64(n)
	if err == nil {
		err = &os.PathError{Op: "write", Path: d.f.Name(), Err: syscall.ENOSPC}
	}
	return n, err
}

func (d *fullDisk) Sync() error  { return d.f.Sync() }
func (d *fullDisk) Close() error { return d.f.Close() }
func (d *fullDisk) Truncate(n int64) error {
	if err := d.f.Truncate(n); err != nil {
		return err
	}
	d.size = n
	return nil
}

// onFullDisk puts w's file on a disk with room for room more bytes.
func onFullDisk(t *testing.T, w *Writer, room int64) {
	t.Helper()
	f := w.f.(*os.File)
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	w.f = &fullDisk{f: f, size: st.Size(), limit: st.Size() + room}
}

var fullDiskStart = time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)

func createForFullDisk(t *testing.T, name string) (string, *Writer) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "default-authentication-flow", Started: fullDiskStart}, WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	return path, w
}

// roomBefore is how many bytes the synthetic session takes after the
// header up to the line of exchange id, written on a disk with room.
func roomBefore(t *testing.T, id int) int64 {
	t.Helper()
	path, w := createForFullDisk(t, "sizing")
	header := fileSize(t, path)
	for _, e := range syntheticSession() {
		if e.ID == id {
			break
		}
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	return fileSize(t, path) - header
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// recordOnFullDisk records the synthetic session through an observed
// recorder, as a session does, on a disk that fills up room bytes in.
func recordOnFullDisk(t *testing.T, room int64) (string, *Writer, int) {
	t.Helper()
	path, w := createForFullDisk(t, "full")
	onFullDisk(t, w, room)
	rec := transport.NewRecorder()
	stop := w.Observe(rec)
	session := syntheticSession()
	for _, e := range session {
		rec.Add(e)
	}
	stop()
	return path, w, len(session)
}

func TestFullDiskIsReportedByTheWriterAndCountedByTheReader(t *testing.T) {
	room := roomBefore(t, 5) + 300 // exchange 5 is cut off 300 bytes in
	path, w, total := recordOnFullDisk(t, room)
	err := w.Close()
	var wf *WriteFailure
	if !errors.As(err, &wf) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Close = %v, want a *WriteFailure for ENOSPC", err)
	}
	lost := total - 4
	if f := w.Failure(); f == nil || f.Exchanges != lost || f.FirstID != 5 {
		t.Fatalf("Failure() = %+v, want %d exchanges lost from exchange 5", f, lost)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("%d exchanges (from exchange 5) not written", lost)) {
		t.Errorf("Close error %q does not say what was lost", err)
	}

	data, _ := os.ReadFile(path)
	for i, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(line) > 0 && (!bytes.HasSuffix(line, []byte("\n")) || !json.Valid(line)) {
			t.Errorf("line %d is damaged (%.40q): the cut-off exchange was left in the file", i+1, line)
		}
	}
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Len() != 4 {
		t.Errorf("opened %d exchanges, want the 4 written whole", rec.Len())
	}
	want := fmt.Sprintf("%d exchanges (from exchange 5) lost", lost)
	if len(rec.Warnings) != 1 || !strings.Contains(rec.Warnings[0], want) || !strings.Contains(rec.Warnings[0], "no space left on device") {
		t.Errorf("warnings = %q, want one saying %q and why", rec.Warnings, want)
	}
}

// With no room even for the "lost" record, the file still shows that it
// ends early, and the Writer still knows how much is missing.
func TestFullDiskWithoutRoomForTheLostRecordLeavesTheCutOffLine(t *testing.T) {
	room := roomBefore(t, 5) + 40
	path, w, total := recordOnFullDisk(t, room)
	if err := w.Close(); err == nil {
		t.Fatal("Close reported no error on a full disk")
	}
	if f := w.Failure(); f == nil || f.Exchanges != total-4 {
		t.Fatalf("Failure() = %+v, want %d exchanges lost", f, total-4)
	}
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Len() != 4 || len(rec.Warnings) != 1 || !strings.Contains(rec.Warnings[0], "cut off") ||
		!strings.Contains(rec.Warnings[0], "at least 1 exchange lost, from exchange 5") {
		t.Errorf("len %d, warnings %q", rec.Len(), rec.Warnings)
	}
}

func TestWriterWithRoomReportsNoFailure(t *testing.T) {
	path, w, total := recordOnFullDisk(t, 1<<30)
	if err := w.Close(); err != nil || w.Failure() != nil || w.Err() != nil {
		t.Fatalf("Close = %v, Failure = %v, Err = %v", err, w.Failure(), w.Err())
	}
	rec, err := Open(path)
	if err != nil || rec.Len() != total || len(rec.Warnings) != 0 {
		t.Fatalf("len %d, warnings %q, err %v", rec.Len(), rec.Warnings, err)
	}
}

// Exchange IDs are given one each, in order: a gap is exchanges that
// never reached the file, even without the writer's "lost" record.
func TestOpenCountsExchangesMissingFromTheMiddle(t *testing.T) {
	path, w := writeSession(t, WriterOptions{NoSync: true})
	w.Close()
	data, _ := os.ReadFile(path)
	var kept [][]byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if bytes.HasPrefix(line, []byte(`{"type":"exchange","id":3,`)) || bytes.HasPrefix(line, []byte(`{"type":"exchange","id":4,`)) {
			continue
		}
		kept = append(kept, line)
	}
	if err := os.WriteFile(path, bytes.Join(kept, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Warnings) != 1 || !strings.Contains(rec.Warnings[0], "2 exchanges missing") || !strings.Contains(rec.Warnings[0], "3–4") {
		t.Errorf("warnings = %q, want exchanges 3–4 named missing", rec.Warnings)
	}
}
