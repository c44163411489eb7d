package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/bytesize"
	"github.com/akinspect/akinspect/transport"
)

// DefaultMaxLine bounds what one recording line (an exchange with its
// bodies, headers and jar) or one HAR entry may cost to read: four times
// transport.MaxBodyCap, the largest body cap a client takes, so that every
// line akinspect writes reads back. A response body at that cap is written
// at most 2.8 times its size (a fifth of control bytes as \u00XX, the rest
// quotes as \"; more control bytes and it goes as base64, 4/3); the rest
// is room for its headers (transport.MaxHeaderBytes, escaped), the jar and
// the request.
const DefaultMaxLine = 4 * transport.MaxBodyCap

// ReadOptions bound what reading a recording may cost.
type ReadOptions struct {
	// MaxLine is the longest recording line or HAR entry read into
	// memory; 0 means DefaultMaxLine. An exchange line over it keeps its
	// timeline row, but reading the exchange gives only that summary,
	// flagged truncated (Replay refuses to send such an answer); another
	// line, or a HAR entry, over it is skipped. Recording.Warnings names
	// each.
	MaxLine int64
}

// Limit is MaxLine, or DefaultMaxLine when MaxLine is 0.
func (o ReadOptions) Limit() int64 {
	if o.MaxLine > 0 {
		return o.MaxLine
	}
	return DefaultMaxLine
}

// Open reads a recording: akinspect's JSON Lines, or a HAR file (told apart
// by content). Only summaries are decoded now; bodies are read on demand. A
// torn last line (the writer was killed mid-write) is skipped with a warning.
// It reads with the default limits (ReadOptions).
func Open(path string) (*Recording, error) {
	return OpenWith(path, ReadOptions{})
}

// OpenWith is Open with limits on what a line may cost.
func OpenWith(path string, opts ReadOptions) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return openFrom(path, f, size, nil, opts)
}

// OpenBytes opens a recording (or HAR) held in memory, as OpenWith opens a
// file: exchanges are read from data on demand. The fuzz tests use it to
// spare every input a temporary file.
func OpenBytes(data []byte, opts ReadOptions) (*Recording, error) {
	if data == nil {
		data = []byte{} // non-nil: the recording reads from it
	}
	return openFrom("memory", bytes.NewReader(data), int64(len(data)), data, opts)
}

// readBufSize is the buffer for reading size bytes (-1: unknown) line by
// line: up to 1 MiB, no more than the data needs.
func readBufSize(size int64) int {
	const most = 1 << 20
	if size < 0 || size >= most {
		return most
	}
	return max(int(size)+1, 16)
}

// An Importer reads a session in a format other than akinspect's own (a HAR
// file) into a Recording, with the limits of opts. Its errors need not name
// the format: Open does.
type Importer func(r io.Reader, opts ReadOptions) (*Recording, error)

// foreign is the importer Open falls back on for a file that is not a
// recording.
var foreign struct {
	name string
	read Importer
}

// RegisterImporter makes Open read a file that is not a recording with
// read; name is the format's name in errors ("HAR"). Package history/har
// registers itself when it is imported, so that history itself stays free
// of HAR: a program that opens HAR files imports history/har (for its side
// effect alone if need be). Call it from an init function; a second call
// replaces the first.
func RegisterImporter(name string, read Importer) {
	foreign.name, foreign.read = name, read
}

// openFrom is OpenWith on f, a file or data (data is nil for a file).
func openFrom(path string, f io.ReadSeeker, size int64, data []byte, opts ReadOptions) (*Recording, error) {
	limit := opts.Limit()
	br := bufio.NewReaderSize(f, readBufSize(size))
	over, err := firstLineOver(br, f, size, limit)
	if err != nil {
		return nil, err
	}
	var (
		first []byte
		n     int64
		h     Header
		ok    bool
	)
	if !over {
		first, n, _, err = readLineMax(br, limit)
		if err != nil && n == 0 {
			if err == io.EOF {
				return nil, fmt.Errorf("%s is empty", path)
			}
			return nil, err
		}
		h, ok = parseHeader(first)
	}
	if over || n > limit || !ok {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		if foreign.read == nil {
			return nil, fmt.Errorf("%s: %w", path, errNotRecording)
		}
		rec, herr := foreign.read(f, opts)
		if herr != nil {
			return nil, fmt.Errorf("%s: %w (as %s: %v)", path, errNotRecording, foreign.name, herr)
		}
		if data == nil {
			rec.Path = path
		}
		return rec, nil
	}
	if h.Recording > FormatVersion {
		return nil, fmt.Errorf("%s is recording format %d; this akinspect reads format %d (upgrade akinspect)", path, h.Recording, FormatVersion)
	}
	rec := &Recording{Header: h, Path: path, Format: FormatNative, sums: newRowTable(), maxLine: limit, data: data}
	if data != nil {
		rec.Path = "" // built in memory
	}
	rec.Flows = []FlowRun{{Slug: h.Flow, Query: h.Query, Started: h.Started}}
	rec.runs.begin(h.Flow)
	if err := rec.scan(br, n); err != nil {
		return rec, err
	}
	rec.reportLoss()
	rec.findNewSessions()
	return rec, nil
}

// firstLineOver reports whether the first line of br (reading f, of size
// bytes, -1 when unknown) is longer than limit bytes, its '\n' counted: a
// file whose first line is over the limit is not a recording, whatever the
// line holds, so Open need not read that line (a HAR written on one line
// is the whole file) nor decode it. It looks at what one buffer holds and
// consumes none of it; only when the buffer is full without a line end
// does it read on, no further than limit+1 bytes, and then it rewinds f
// and resets br unless the line turned out over the limit. false means:
// read the first line as before.
func firstLineOver(br *bufio.Reader, f io.ReadSeeker, size, limit int64) (bool, error) {
	peek, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(peek, '\n'); i >= 0 {
		return int64(i)+1 > limit, nil
	}
	if int64(len(peek)) > limit {
		return true, nil
	}
	if len(peek) < br.Size() || size < 0 {
		// The whole line is in peek (the data ends, or the read failed,
		// after it), or f may not rewind (a pipe): read it as before.
		return false, nil
	}
	var n int64
	for n <= limit {
		chunk, err := br.ReadSlice('\n')
		n += int64(len(chunk))
		if err != bufio.ErrBufferFull {
			break // the line's end, the data's, or a read error
		}
	}
	if n > limit {
		return true, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return false, err
	}
	br.Reset(f)
	return false, nil
}

func parseHeader(line []byte) (Header, bool) {
	line = bytes.TrimPrefix(bytes.TrimSpace(line), []byte("\xef\xbb\xbf"))
	var probe struct {
		Recording *int `json:"akinspect_recording"`
	}
	if json.Unmarshal(line, &probe) != nil || probe.Recording == nil || *probe.Recording < 1 {
		return Header{}, false
	}
	var h Header
	if json.Unmarshal(line, &h) != nil {
		return Header{}, false
	}
	return h, true
}

// readLineMax reads the next line, however long, and returns at most its
// first limit bytes (with its '\n' when the line fits), its full length n,
// and whether it ended with '\n' (a last line cut off does not). A line
// that fits in the reader's buffer is returned without a copy, valid until
// the next read.
func readLineMax(br *bufio.Reader, limit int64) (line []byte, n int64, complete bool, err error) {
	chunk, err := br.ReadSlice('\n')
	return finishLine(br, chunk, err, limit)
}

// finishLine is readLineMax after its first ReadSlice gave chunk and err.
func finishLine(br *bufio.Reader, chunk []byte, err error, limit int64) (line []byte, n int64, complete bool, _ error) {
	if err != bufio.ErrBufferFull && int64(len(chunk)) <= limit {
		return chunk, int64(len(chunk)), err == nil, err
	}
	for {
		n += int64(len(chunk))
		if room := limit - int64(len(line)); room > 0 {
			line = append(line, chunk[:min(int64(len(chunk)), room)]...)
		}
		if err != bufio.ErrBufferFull {
			return line, n, err == nil, err
		}
		chunk, err = br.ReadSlice('\n')
	}
}

// record is one line as scan reads it. head: the line is an exchange
// longer than the reader's buffer, and line is only its summary part (up
// to and with summaryEnd), which is all indexing needs: its bodies are
// not copied into memory while the file is opened. last is then the
// line's last byte before its line end, and text its length without it.
type record struct {
	line     []byte
	n        int64
	complete bool
	head     bool
	last     byte
	text     int64
}

// readRecord reads the next line for scan: as readLineMax, or, for a long
// exchange line whose summary ends in the reader's first buffer, only that
// summary (record.head).
func readRecord(br *bufio.Reader, limit int64) (record, error) {
	chunk, err := br.ReadSlice('\n')
	i := -1
	if err == bufio.ErrBufferFull && bytes.HasPrefix(chunk, []byte(`{"type":"exchange"`)) {
		i = bytes.Index(chunk, []byte(summaryEnd))
	}
	if i <= 0 {
		line, n, complete, err := finishLine(br, chunk, err, limit)
		return record{line: line, n: n, complete: complete}, err
	}
	rec := record{line: append([]byte(nil), chunk[:i+len(summaryEnd)]...), head: true}
	var tail []byte // the line's last bytes, its line end trimmed at the end
	for {
		rec.n += int64(len(chunk))
		tail = append(tail, chunk[max(0, len(chunk)-2):]...)
		tail = tail[max(0, len(tail)-2):]
		if err != bufio.ErrBufferFull {
			rec.complete = err == nil
			trimmed := bytes.TrimRight(tail, "\r\n")
			rec.text = rec.n - int64(len(tail)-len(trimmed))
			if len(trimmed) > 0 {
				rec.last = trimmed[len(trimmed)-1]
			}
			return rec, err
		}
		chunk, err = br.ReadSlice('\n')
	}
}

// scan indexes the records after the header.
func (r *Recording) scan(br *bufio.Reader, off int64) error {
	in := r.sums.in
	var scratch []byte
	for lineNo := 2; ; lineNo++ {
		rec, err := readRecord(br, r.maxLine)
		line, n, complete := rec.line, rec.n, rec.complete
		if n == 0 {
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
		start := off
		off += n
		if n > r.maxLine {
			if !complete {
				r.tornAt(line)
				return nil
			}
			r.addOversized(line, start, n, lineNo, in)
			continue
		}
		if rec.head {
			// An exchange line ends with '}': without it a last line
			// without '\n' is cut off (a whole one is JSON, as below).
			if !complete && rec.last != '}' {
				r.tornAt(line)
				return nil
			}
			if scratch, err = r.addExchange(line, start, rec.text, scratch, in); err != nil {
				r.Warnings = append(r.Warnings, fmt.Sprintf("line %d skipped: %v", lineNo, err))
				r.loss.skipped(line)
			}
			if !complete {
				return nil
			}
			continue
		}
		body := bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(body)) == 0 {
			if err == io.EOF {
				return nil
			}
			continue
		}
		if !complete && !json.Valid(body) {
			r.tornAt(body)
			return nil
		}
		if isExchangeLine(body) {
			scratch, err = r.addExchange(body, start, int64(len(body)), scratch, in)
		} else {
			err = r.addOther(body)
		}
		if err != nil {
			r.Warnings = append(r.Warnings, fmt.Sprintf("line %d skipped: %v", lineNo, err))
			r.loss.skipped(body)
		}
		if !complete {
			return nil
		}
	}
}

// addExchange indexes the exchange line at off, n bytes long, from line:
// the line, or (record.head) its summary part.
func (r *Recording) addExchange(line []byte, off, n int64, scratch []byte, in *interner) ([]byte, error) {
	var s summaryRecord
	if i := bytes.Index(line, []byte(summaryEnd)); i > 0 {
		scratch = append(append(scratch[:0], line[:i]...), '}')
		if parseSummary(scratch, &s, in) != nil {
			s = summaryRecord{}
			if err := json.Unmarshal(scratch, &s); err != nil {
				return scratch, err
			}
		}
	} else if err := json.Unmarshal(line, &s); err != nil {
		return scratch, err
	}
	r.addRow(&s, span{off: off, n: n})
	return scratch, nil
}

func (r *Recording) addRow(s *summaryRecord, sp span) {
	if r.runs.startsRun(s.Flow, s.Kind) {
		// A restart or a slug change without a flow record (older writers).
		r.addFlow(FlowRun{Slug: s.Flow, Query: queryOfURL(s.URL), Started: s.Start}, r.sums.len())
	}
	r.runs.saw(s.Kind)
	r.sums.add(Summary{
		ID: s.ID, Flow: s.Flow, Kind: s.Kind, Method: s.Method, URL: s.URL, Status: s.Status,
		Component: s.Component, Start: s.Start, Duration: s.Timing.Total, Flags: s.Flags, Error: s.Error,
	})
	r.spans = append(r.spans, sp)
}

// addOversized indexes a line over the limit from the part that was read:
// an exchange keeps its row when its summary is in that part.
func (r *Recording) addOversized(prefix []byte, off, n int64, lineNo int, in *interner) {
	if bytes.HasPrefix(prefix, []byte(`{"type":"exchange"`)) {
		if i := bytes.Index(prefix, []byte(summaryEnd)); i > 0 {
			var s summaryRecord
			b := append(prefix[:i:i], '}')
			if parseSummary(b, &s, in) == nil || json.Unmarshal(b, &s) == nil {
				r.addRow(&s, span{off: off, n: n, over: true})
				r.Warnings = append(r.Warnings, fmt.Sprintf("exchange %d: line of %s, over the limit of %s; only its summary was read",
					s.ID, bytesize.Text(n), bytesize.Text(r.maxLine)))
				return
			}
		}
	}
	r.Warnings = append(r.Warnings, fmt.Sprintf("line %d: %s, over the limit of %s; skipped", lineNo, bytesize.Text(n), bytesize.Text(r.maxLine)))
	r.loss.skipped(prefix)
}

// isExchangeLine is true for exchange records; the fast path is the key
// order this package writes, the slow one any other order.
func isExchangeLine(line []byte) bool {
	if bytes.HasPrefix(line, []byte(`{"type":"exchange"`)) {
		return true
	}
	var probe struct {
		Type string `json:"type"`
	}
	return json.Unmarshal(line, &probe) == nil && probe.Type == TypeExchange
}

func (r *Recording) addOther(line []byte) error {
	var probe struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(line, &probe); err != nil {
		return err
	}
	switch probe.Type {
	case TypeFlow:
		var f flowRecord
		if err := json.Unmarshal(line, &f); err != nil {
			return err
		}
		r.addFlow(FlowRun{Slug: f.Flow, Query: f.Query, Started: f.Started, NewSession: f.NewSession}, r.sums.len())
	case TypeNote:
		var n noteRecord
		if err := json.Unmarshal(line, &n); err != nil {
			return err
		}
		r.Notes = append(r.Notes, Note{Time: n.Time, Text: n.Text, After: r.sums.len()})
	case TypeLost:
		var l lostRecord
		if err := json.Unmarshal(line, &l); err != nil {
			return err
		}
		r.loss.trailer = &l
	default:
		// Unknown record types from newer writers are skipped silently.
	}
	return nil
}

func readExchangeAt(f io.ReaderAt, s span) (*transport.Exchange, error) {
	line, err := readLineAt(f, s, nil)
	if err != nil {
		return nil, err
	}
	return decodeExchangeLine(line)
}

// readLineAt reads the line at s into buf (grown when short), without its
// line end.
func readLineAt(f io.ReaderAt, s span, buf []byte) ([]byte, error) {
	if s.over {
		return buf, errors.New("line over the limit")
	}
	if int64(cap(buf)) < s.n {
		buf = make([]byte, s.n)
	}
	buf = buf[:s.n]
	if _, err := f.ReadAt(buf, s.off); err != nil {
		return buf, err
	}
	return bytes.TrimRight(buf, "\r\n"), nil
}

// FillChallenge decodes e's response body into e.Challenge when it is a
// challenge (and sets e.Component when empty).
func FillChallenge(e *transport.Exchange) {
	if len(e.ResponseBody) == 0 {
		return
	}
	if c, err := flow.Decode(e.ResponseBody); err == nil {
		e.Challenge = c
		if e.Component == "" {
			e.Component = c.Component
		}
	}
}
