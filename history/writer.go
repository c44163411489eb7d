package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

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
// line is written with one write call and synced before Write returns, so a
// process killed at any moment leaves a file that opens, having lost at most
// the exchange in flight. Observed exchanges are written the same way by
// one goroutine of the Writer's own, so the client never waits for a sync.
// Safe for concurrent use.
type Writer struct {
	mu      sync.Mutex
	f       *os.File
	path    string
	opts    WriterOptions
	red     *Redactor
	runs    runTracker
	session jarTracker // tells a run started with an emptied jar
	err     error      // first error of a queued write
	buf     bytes.Buffer
	written int

	qmu     sync.Mutex // guards queue and qclosed
	queue   chan queued
	drained chan struct{} // closed when the goroutine has written all
	qclosed bool
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
	var red *Redactor
	if !opts.NoRedact {
		red = NewRedactor()
		// A page query can carry a credential (a recovery link's flow_token).
		h.Query = red.redactPageQuery(h.Query)
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
	line := append(marshalNoEscape(h), '\n')
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
	w := &Writer{f: tmp, path: path, opts: opts, red: red}
	w.runs.begin(h.Flow)
	// The temp name is gone but the open file is the same inode; reopen in
	// append mode so every write lands at the end.
	tmp.Close()
	if w.f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600); err != nil {
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
	fresh := w.session.next(e)
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
		if err := w.writeFlow(flowRecord{Flow: slug, Query: queryOf(e), Started: e.Start, NewSession: fresh}); err != nil {
			return err
		}
		w.runs.saw(e.Kind)
	}
	w.written++
	return w.writeLine(toRecord(e))
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
	return w.writeLine(n)
}

func (w *Writer) writeFlow(f flowRecord) error {
	w.runs.begin(f.Flow)
	f.Type = TypeFlow
	return w.writeLine(f)
}

// writeLine encodes v and appends it with a single write, then syncs.
func (w *Writer) writeLine(v any) error {
	w.buf.Reset()
	enc := json.NewEncoder(&w.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	if _, err := w.f.Write(w.buf.Bytes()); err != nil {
		return fmt.Errorf("write recording: %w", err)
	}
	if w.opts.NoSync {
		return nil
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("sync recording: %w", err)
	}
	return nil
}

// queryOf reads the page query from an exchange URL: the `query` parameter
// of API calls, the raw query of the /if/flow/ page.
func queryOf(e *transport.Exchange) string { return queryOfURL(e.URL) }

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
