package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/transport"
)

// Open reads a recording: akinspect's JSON Lines, or a HAR file (told apart
// by content). Only summaries are decoded now; bodies are read on demand. A
// torn last line (the writer was killed mid-write) is skipped with a warning.
func Open(path string) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	first, err := readLine(br)
	if err != nil && len(first) == 0 {
		if err == io.EOF {
			return nil, fmt.Errorf("%s is empty", path)
		}
		return nil, err
	}
	h, ok := parseHeader(first)
	if !ok {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		rec, herr := ImportHAR(f)
		if herr != nil {
			return nil, fmt.Errorf("%s: %w (as HAR: %v)", path, errNotRecording, herr)
		}
		rec.Path = path
		return rec, nil
	}
	if h.Recording > FormatVersion {
		return nil, fmt.Errorf("%s is recording format %d; this akinspect reads format %d (upgrade akinspect)", path, h.Recording, FormatVersion)
	}
	rec := &Recording{Header: h, Path: path, Format: FormatNative, sums: newRowTable()}
	rec.Flows = []FlowRun{{Slug: h.Flow, Query: h.Query, Started: h.Started}}
	rec.runs.begin(h.Flow)
	if err := rec.scan(br, int64(len(first))); err != nil {
		return rec, err
	}
	rec.findNewSessions()
	return rec, nil
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

// readLine returns the next line including its '\n' (absent on a last line
// that was cut off), however long it is.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	long := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		line, err = br.ReadSlice('\n')
		long = append(long, line...)
	}
	return long, err
}

// scan indexes the records after the header.
func (r *Recording) scan(br *bufio.Reader, off int64) error {
	in := r.sums.in
	var scratch []byte
	for lineNo := 2; ; lineNo++ {
		line, err := readLine(br)
		if len(line) == 0 {
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
		start := off
		off += int64(len(line))
		complete := len(line) > 0 && line[len(line)-1] == '\n'
		body := bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(body)) == 0 {
			if err == io.EOF {
				return nil
			}
			continue
		}
		if !complete && !json.Valid(body) {
			r.Warnings = append(r.Warnings, tornWarning(body))
			return nil
		}
		if isExchangeLine(body) {
			scratch, err = r.addExchange(body, start, scratch, in)
		} else {
			err = r.addOther(body)
		}
		if err != nil {
			r.Warnings = append(r.Warnings, fmt.Sprintf("line %d skipped: %v", lineNo, err))
		}
		if !complete {
			return nil
		}
	}
}

func tornWarning(body []byte) string {
	lost := "1 record"
	switch {
	case bytes.HasPrefix(body, []byte(`{"type":"exchange"`)):
		lost = "1 exchange"
	case bytes.HasPrefix(body, []byte(`{"type":"flow"`)):
		lost = "the start of a flow"
	case bytes.HasPrefix(body, []byte(`{"type":"note"`)):
		lost = "1 note"
	}
	return fmt.Sprintf("last line was cut off (the writer stopped mid-write); %s lost", lost)
}

func (r *Recording) addExchange(line []byte, off int64, scratch []byte, in *interner) ([]byte, error) {
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
	if r.runs.startsRun(s.Flow, s.Kind) {
		// A restart or a slug change without a flow record (older writers).
		r.addFlow(FlowRun{Slug: s.Flow, Query: queryOfURL(s.URL), Started: s.Start}, r.sums.len())
	}
	r.runs.saw(s.Kind)
	r.sums.add(Summary{
		ID: s.ID, Flow: s.Flow, Kind: s.Kind, Method: s.Method, URL: s.URL, Status: s.Status,
		Component: s.Component, Start: s.Start, Duration: s.Timing.Total, Flags: s.Flags, Error: s.Error,
	})
	r.spans = append(r.spans, span{off: off, n: len(line)})
	return scratch, nil
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
	default:
		// Unknown record types from newer writers are skipped silently.
	}
	return nil
}

func readExchangeAt(f *os.File, s span) (*transport.Exchange, error) {
	buf := make([]byte, s.n)
	if _, err := f.ReadAt(buf, s.off); err != nil {
		return nil, err
	}
	return decodeExchangeLine(bytes.TrimRight(buf, "\r\n"))
}

func decodeExchangeLine(line []byte) (*transport.Exchange, error) {
	var rec exchangeRecord
	if err := json.Unmarshal(line, &rec); err != nil {
		return nil, err
	}
	return rec.exchange()
}

// fillChallenge decodes the response body into Challenge when it is one.
func fillChallenge(e *transport.Exchange) {
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
