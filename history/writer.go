package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/akinspect/akinspect/history/internal/jsonobj"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/transport"
)

// WriterOptions tune a Writer.
type WriterOptions struct {
	// NoRedact writes secrets as they were sent and received.
	NoRedact bool
	// NoSync skips the fsync after each line (benchmarks, throwaway files).
	NoSync bool
}

// Writer appends a session to a recording file, one line per record. Each
// line is written (with one write call when it fits the 64 KiB line
// buffer; an exchange line is streamed, bodies straight from the exchange)
// and synced before Write returns, so a process killed at any moment leaves
// a file that opens, having lost at most the exchange in flight. Observed exchanges are written the same way by
// one goroutine of the Writer's own, so the client never waits for a sync.
// Safe for concurrent use.
//
// After a write fails (a full disk) the Writer writes no more records: the
// file stays a whole prefix of the session. It counts what it leaves out,
// Failure reports it, and Close returns it and, if the disk lets it, ends
// the file with a "lost" record that says so to readers.
type Writer struct {
	mu      sync.Mutex
	f       recordFile
	path    string
	opts    WriterOptions
	red     *redact.Redactor
	runs    runTracker
	session JarTracker // tells a run started with an emptied jar
	buf     bytes.Buffer
	line    lineWriter // streams exchange lines (writeExchange)

	end  int64        // file size up to the end of its last whole line
	rb   readBack     // where each exchange line is (writer_readback.go)
	fail WriteFailure // fail.Err is the first error of any write
	torn []byte       // the start of a line a failed write cut off

	qmu     sync.Mutex // guards queue and qclosed
	queue   chan queued
	drained chan struct{} // closed when the goroutine has written all
	qclosed bool
}

// recordFile is what a Writer writes to: the recording, opened O_APPEND
// (tests put a file that runs out of room in its place).
type recordFile interface {
	Write([]byte) (int, error)
	Sync() error
	Truncate(size int64) error
	Close() error
}

// WriteFailure is why a recording is incomplete: the first error writing
// it, and the records left out because of it (every record after a failed
// write is left out). Exchanges is how many exchanges the file lacks;
// FirstID is the ID of the first of them (0 when none).
type WriteFailure struct {
	Err       error
	Exchanges int
	FirstID   int
	Notes     int
}

func (f *WriteFailure) Error() string {
	if f.Exchanges == 0 && f.Notes == 0 {
		return f.Err.Error()
	}
	var lost []string
	if f.Exchanges > 0 {
		what := plural(f.Exchanges, "exchange")
		if f.FirstID > 0 {
			what += " (from exchange " + strconv.Itoa(f.FirstID) + ")"
		}
		lost = append(lost, what)
	}
	if f.Notes > 0 {
		lost = append(lost, plural(f.Notes, "note"))
	}
	return strings.Join(lost, " and ") + " not written: " + f.Err.Error()
}

func (f *WriteFailure) Unwrap() error { return f.Err }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// Create makes the directory (0700) and the file (0600), writes the header
// and syncs it. The header is written to a temporary file renamed into
// place, so path never exists without a whole header. An existing file is
// an error: recordings are never overwritten.
func Create(path string, h Header, opts WriterOptions) (*Writer, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("recording directory: %w", err)
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("recording %s already exists", path)
	}
	h.Recording = FormatVersion
	if h.Version == "" {
		h.Version = Version
	}
	if h.Started.IsZero() {
		h.Started = time.Now().UTC()
	}
	h.Redacted = !opts.NoRedact
	var red *redact.Redactor
	if !opts.NoRedact {
		red = redact.NewRedactor()
		// A page query can carry a credential (a recovery link's flow_token).
		h.Query = red.RedactPageQuery(h.Query)
	}
	tmp, err := os.CreateTemp(dir, ".recording-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create recording: %w", err)
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	if err := tmp.Chmod(0o600); err != nil {
		cleanup()
		return nil, err
	}
	line := append(jsonobj.MarshalNoEscape(h), '\n')
	if _, err := tmp.Write(line); err != nil {
		cleanup()
		return nil, fmt.Errorf("write header: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		cleanup()
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil { // fails if path appeared meanwhile
		cleanup()
		return nil, fmt.Errorf("create recording: %w", err)
	}
	os.Remove(tmp.Name())
	syncDir(dir)
	w := &Writer{path: path, opts: opts, red: red, end: int64(len(line))}
	w.runs.begin(h.Flow)
	// The temp name is gone but the open file is the same inode; reopen in
	// append mode so every write lands at the end.
	tmp.Close()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	w.f = f
	if err := w.openReadBack(); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Path is where the recording is written.
func (w *Writer) Path() string { return w.path }

// Write appends one exchange (a redacted copy unless NoRedact). A flow
// record is written first, with the query read from the exchange URL, when
// the exchange starts a new flow run: it belongs to another flow, or it is
// a flow page GET after the current run has made requests (a restart). The
// record has new_session set when that page GET carried no cookies although
// the jar before it had some (the client emptied its jar).
func (w *Writer) Write(e *transport.Exchange) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return errors.New("recording is closed")
	}
	if w.fail.Err != nil {
		w.lost(e)
		return w.failure()
	}
	fresh := w.session.Next(e)
	newRun := w.runs.startsRun(e.Flow, e.Kind) || fresh
	w.runs.saw(e.Kind)
	if w.red != nil {
		e = w.red.Redact(e)
	}
	if newRun {
		slug := e.Flow
		if slug == "" {
			slug = w.runs.slug
		}
		// The query comes from the redacted copy: a URL may hold a secret.
		if err := w.writeFlow(flowRecord{Flow: slug, Query: PageQuery(e), Started: e.Start, NewSession: fresh}); err != nil {
			w.lost(e)
			return err
		}
		w.runs.saw(e.Kind)
	}
	if written, err := w.writeExchange(e); err != nil {
		if !written {
			w.lost(e)
		}
		return err
	}
	return nil
}

// lost counts an exchange that is not in the file.
func (w *Writer) lost(e *transport.Exchange) {
	if w.fail.Exchanges == 0 || e.ID < w.fail.FirstID {
		w.fail.FirstID = e.ID
	}
	w.fail.Exchanges++
}

// Note appends a free-text note. While the Writer observes a recorder the
// note joins the queue behind the exchanges already delivered, and an error
// writing it is reported by Err and Close.
func (w *Writer) Note(text string) error {
	n := &noteRecord{Type: TypeNote, Time: time.Now().UTC(), Text: text}
	if w.enqueue(queued{note: n}) {
		return nil
	}
	return w.writeNote(n)
}

func (w *Writer) writeNote(n *noteRecord) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return errors.New("recording is closed")
	}
	if w.fail.Err != nil {
		w.fail.Notes++
		return w.failure()
	}
	if written, err := w.writeLine(n); err != nil {
		if !written {
			w.fail.Notes++
		}
		return err
	}
	return nil
}

func (w *Writer) writeFlow(f flowRecord) error {
	w.runs.begin(f.Flow)
	f.Type = TypeFlow
	_, err := w.writeLine(f)
	return err
}

// writeLine encodes v and appends it with a single write, then syncs.
// written tells whether the line is in the file (whole) even on an error:
// a failed sync leaves it there. Any error ends writing (see Writer).
func (w *Writer) writeLine(v any) (written bool, err error) {
	w.buf.Reset()
	enc := json.NewEncoder(&w.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return false, w.failed(fmt.Errorf("encode record: %w", err))
	}
	n, err := w.f.Write(w.buf.Bytes())
	if err != nil || n < w.buf.Len() {
		if n > 0 && w.torn == nil {
			w.torn = append([]byte(nil), w.buf.Bytes()[:min(n, tornKept)]...)
		}
		if err == nil {
			err = io.ErrShortWrite
		}
		return false, w.failed(fmt.Errorf("write recording: %w", err))
	}
	w.end += int64(n)
	if w.opts.NoSync {
		return true, nil
	}
	if err := w.f.Sync(); err != nil {
		return true, w.failed(fmt.Errorf("sync recording: %w", err))
	}
	return true, nil
}

// writeExchange streams an exchange line to the file (encodeExchange):
// the bodies go from the exchange to the file through a fixed buffer, so
// a line costs no memory of its size. A line that fits the buffer is
// still one write call; a longer one is several, and a crash between
// them leaves a cut-off last line, which the reader reports. Then it
// syncs. written and the errors are as for writeLine.
func (w *Writer) writeExchange(e *transport.Exchange) (written bool, err error) {
	l := &w.line
	l.reset(w.f)
	if err := encodeExchange(l, &w.buf, e); err != nil {
		if l.n > 0 { // only when a line is longer than the buffer
			w.keepTorn(l)
		}
		return false, w.failed(fmt.Errorf("encode record: %w", err))
	}
	l.flush()
	if l.err != nil {
		w.keepTorn(l)
		return false, w.failed(fmt.Errorf("write recording: %w", l.err))
	}
	w.remember(e.ID, span{off: w.end, n: l.n})
	w.end += l.n
	if w.opts.NoSync {
		return true, nil
	}
	if err := w.f.Sync(); err != nil {
		return true, w.failed(fmt.Errorf("sync recording: %w", err))
	}
	return true, nil
}

// keepTorn keeps the start of a line cut off in the file.
func (w *Writer) keepTorn(l *lineWriter) {
	if l.n > 0 && w.torn == nil {
		w.torn = append([]byte(nil), l.head[:min(l.n, int64(len(l.head)))]...)
	}
}

// tornKept is how much of a line cut off by a failed write the Writer
// keeps, to put back if the "lost" record does not fit: enough for a
// reader to see its type and ID.
const tornKept = 64

// failed keeps the first write error; the Writer writes nothing after it.
func (w *Writer) failed(err error) error {
	if w.fail.Err == nil {
		w.fail.Err = err
	}
	return err
}

// Failure is what the Writer could not write: nil while every record made
// it to the file, else the first write error and how many exchanges (and
// notes) the file lacks because of it. Records still queued are not
// counted yet; after Close it is final.
func (w *Writer) Failure() *WriteFailure {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failure()
}

func (w *Writer) failure() *WriteFailure {
	if w.fail.Err == nil {
		return nil
	}
	f := w.fail
	return &f
}

// writeLost ends the file with a "lost" record. On a full disk the room
// comes from the line the failed write cut off, so that is cut away first;
// if the record still does not fit, the start of the cut-off line is put
// back, and the reader reports the file as cut off instead.
func (w *Writer) writeLost() {
	msg := w.fail.Err.Error()
	var pe *fs.PathError
	if errors.As(w.fail.Err, &pe) {
		msg = pe.Err.Error() // the path is this file's
	}
	line, err := json.Marshal(lostRecord{Type: TypeLost, Time: time.Now().UTC(), Exchanges: w.fail.Exchanges,
		FirstID: w.fail.FirstID, Notes: w.fail.Notes, Error: msg})
	if err != nil {
		return
	}
	line = append(line, '\n')
	if w.f.Truncate(w.end) != nil {
		if w.torn != nil {
			line = append([]byte{'\n'}, line...) // after the cut-off bytes, on a line of its own
		}
		_, _ = w.f.Write(line)
		return
	}
	if n, err := w.f.Write(line); err == nil && n == len(line) {
		return
	}
	if w.f.Truncate(w.end) == nil && w.torn != nil {
		_, _ = w.f.Write(w.torn)
	}
}

// PageQuery reads the page query from an exchange URL: the `query` parameter
// of API calls, the raw query of the /if/flow/ page.
func PageQuery(e *transport.Exchange) string { return queryOfURL(e.URL) }

func queryOfURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if strings.Contains(u.Path, "/if/flow/") {
		return u.RawQuery
	}
	return u.Query().Get("query")
}

// DefaultDir is where recordings go: $XDG_STATE_HOME/akinspect/recordings,
// else ~/.local/state/akinspect/recordings.
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "akinspect", "recordings"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no recordings directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", "akinspect", "recordings"), nil
}

// Extension is the file name suffix of recordings.
const Extension = ".akinspect.jsonl"

// FileName names a recording after its start time and flow slug:
// 20261126T131500.000Z-default-authentication-flow.akinspect.jsonl.
func FileName(t time.Time, slug string) string {
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, slug)
	if clean == "" {
		clean = "flow"
	}
	return t.UTC().Format("20060102T150405.000Z") + "-" + clean + Extension
}

// DefaultPath is DefaultDir joined with FileName(t, slug).
func DefaultPath(t time.Time, slug string) (string, error) {
	dir, err := DefaultDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, FileName(t, slug)), nil
}
