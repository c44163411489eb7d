// Package history keeps akinspect sessions: the recording file format, its
// writer (which redacts through package history/redact) and lazy reader
// (Open, Recording), search over a recording, and the recent recordings of
// a directory.
//
// The rest lives in packages of their own, built on this one: history/har
// (HAR export and import; it registers with Open, see RegisterImporter),
// history/curl (an exchange as a curl command), history/replay (replay
// against a server, compare, recording diff) and history/load.
package history

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/akinspect/akinspect/transport"
)

// FormatVersion is the recording format this package writes and reads.
const FormatVersion = 1

// Version is the akinspect version written into headers; cmd sets it.
var Version = "dev"

// Header is the first line of a recording.
type Header struct {
	Recording int       `json:"akinspect_recording"` // FormatVersion
	Version   string    `json:"akinspect_version"`
	BaseURL   string    `json:"base_url"`
	Flow      string    `json:"flow"`
	Query     string    `json:"query"`
	Started   time.Time `json:"started"`
	Redacted  bool      `json:"redacted"`
}

// Record types: the "type" key of every line after the header.
const (
	TypeFlow     = "flow"
	TypeExchange = "exchange"
	TypeNote     = "note"
	// TypeLost is written last by a Writer that could not write everything
	// (a full disk): how many exchanges and notes the file lacks.
	TypeLost = "lost"
)

// FlowRun is one start of a flow in the session, in order: a new flow, a
// restart of the same flow, or a start in a new session. First is the index
// of its first exchange in the recording.
type FlowRun struct {
	Slug    string    `json:"flow"`
	Query   string    `json:"query"`
	Started time.Time `json:"started"`
	// NewSession: the run started with an emptied cookie jar (S in the
	// TUI), so whoever starts it again must empty the jar first. It comes
	// from the flow record; for older files (and HAR) it is worked out from
	// the run's page GET, sent without the cookies the jar held.
	NewSession bool `json:"new_session,omitempty"`
	First      int  `json:"-"`
}

// Note is a free-text line a person or tool added to the session. After is
// the number of exchanges recorded before it.
type Note struct {
	Time  time.Time `json:"time"`
	Text  string    `json:"text"`
	After int       `json:"-"`
}

type flowRecord struct {
	Type       string    `json:"type"`
	Flow       string    `json:"flow"`
	Query      string    `json:"query"`
	Started    time.Time `json:"started"`
	NewSession bool      `json:"new_session,omitempty"` // added after version 1 shipped; old readers ignore it
}

// lostRecord ends a recording whose writer failed: Exchanges exchanges
// (the first with ID FirstID) and Notes notes are not in the file.
type lostRecord struct {
	Type      string    `json:"type"`
	Time      time.Time `json:"time"`
	Exchanges int       `json:"exchanges"`
	FirstID   int       `json:"first_id,omitempty"`
	Notes     int       `json:"notes,omitempty"`
	Error     string    `json:"error"`
}

type noteRecord struct {
	Type string    `json:"type"`
	Time time.Time `json:"time"`
	Text string    `json:"text"`
}

// summaryEnd is the key that starts the part of an exchange line the reader
// decodes only on demand. Everything before it is the row summary. Inside a
// JSON string a quote is always escaped, so `,"request_headers":` can only
// appear here as the top-level key.
const summaryEnd = `,"request_headers":`

// summaryRecord is the leading part of an exchange line: what a row of the
// timeline needs. The reader decodes only this part when opening a file.
type summaryRecord struct {
	ID        int              `json:"id"`
	Flow      string           `json:"flow"`
	Kind      transport.Kind   `json:"kind"`
	Method    string           `json:"method"`
	URL       string           `json:"url"`
	Status    int              `json:"status"`
	Proto     string           `json:"proto,omitempty"`
	Component string           `json:"component,omitempty"`
	Start     time.Time        `json:"start"`
	Timing    transport.Timing `json:"timing"`
	Flags     []string         `json:"flags,omitempty"`
	Error     string           `json:"error,omitempty"`
}

// exchangeRecord is an exchange line. Field order matters: the cheap summary
// fields come first, then the heavy ones starting with request_headers.
type exchangeRecord struct {
	Type string `json:"type"`
	summaryRecord
	Diagnosis string `json:"diagnosis,omitempty"`
	Truncated bool   `json:"truncated,omitempty"`
	BodySize  int64  `json:"body_size"`

	RequestHeader        http.Header              `json:"request_headers"`
	RequestBody          *string                  `json:"request_body,omitempty"`
	RequestBodyEncoding  string                   `json:"request_body_encoding,omitempty"`
	Secrets              []string                 `json:"secrets,omitempty"`
	ResponseHeader       http.Header              `json:"response_headers,omitempty"`
	ResponseBody         *string                  `json:"response_body,omitempty"`
	ResponseBodyEncoding string                   `json:"response_body_encoding,omitempty"`
	Jar                  []transport.Cookie       `json:"jar"`
	JarChanges           []transport.CookieChange `json:"jar_changes,omitempty"`
}

// EncodingBase64 (a body's _encoding, in a recording and in a HAR) marks a
// body that was not valid UTF-8, or that is mostly control bytes.
const EncodingBase64 = "base64"

// EncodeBody is how a body is written, in a recording line and in a HAR:
// as text when it reads as text (bodyIsText), else as base64 with the
// encoding EncodingBase64; nil for an empty body.
func EncodeBody(b []byte) (*string, string) {
	if len(b) == 0 {
		return nil, ""
	}
	if bodyIsText(b) {
		s := string(b)
		return &s, ""
	}
	s := base64.StdEncoding.EncodeToString(b)
	return &s, EncodingBase64
}

// bodyIsText: the body is written as a JSON string, not as base64.
func bodyIsText(b []byte) bool { return utf8.Valid(b) && !controlHeavy(b) }

// controlHeavy: more than one byte in five is a control byte that JSON
// writes as \u00XX (six bytes). Such a body would be written at up to six
// times its size (a hostile server's 32 MiB of \x01 as a 192 MB line); as
// base64 it is 4/3. Ordinary text and JSON stay readable strings.
func controlHeavy(b []byte) bool {
	controls := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			controls++
		}
	}
	return controls > len(b)/5
}

func decodeBody(s *string, encoding string) ([]byte, error) {
	if s == nil {
		return nil, nil
	}
	switch encoding {
	case "":
		return []byte(*s), nil
	case EncodingBase64:
		return base64.StdEncoding.DecodeString(*s)
	default:
		return nil, fmt.Errorf("unknown body encoding %q", encoding)
	}
}

func toRecord(e *transport.Exchange) *exchangeRecord {
	r := &exchangeRecord{
		Type: TypeExchange,
		summaryRecord: summaryRecord{
			ID: e.ID, Flow: e.Flow, Kind: e.Kind, Method: e.Method, URL: e.URL,
			Status: e.Status, Proto: e.Proto, Component: e.Component,
			Start: e.Start, Timing: e.Timing, Flags: e.Flags, Error: e.Error,
		},
		Diagnosis: e.Diagnosis, Truncated: e.Truncated, BodySize: e.BodySize,
		RequestHeader: e.RequestHeader, Secrets: e.Secrets,
		ResponseHeader: e.ResponseHeader, Jar: e.Jar, JarChanges: e.JarChanges,
	}
	r.RequestBody, r.RequestBodyEncoding = EncodeBody(e.RequestBody)
	r.ResponseBody, r.ResponseBodyEncoding = EncodeBody(e.ResponseBody)
	return r
}

func (r *exchangeRecord) exchange() (*transport.Exchange, error) {
	e := &transport.Exchange{
		ID: r.ID, Flow: r.Flow, Kind: r.Kind, Method: r.Method, URL: r.URL,
		RequestHeader: r.RequestHeader, Secrets: r.Secrets, Status: r.Status,
		Proto: r.Proto, ResponseHeader: r.ResponseHeader, Truncated: r.Truncated,
		BodySize: r.BodySize, Start: r.Start, Timing: r.Timing,
		Component: r.Component, Jar: r.Jar, JarChanges: r.JarChanges,
		Error: r.Error, Diagnosis: r.Diagnosis, Flags: r.Flags,
	}
	var err error
	if e.RequestBody, err = decodeBody(r.RequestBody, r.RequestBodyEncoding); err != nil {
		return nil, fmt.Errorf("request body: %w", err)
	}
	if e.ResponseBody, err = decodeBody(r.ResponseBody, r.ResponseBodyEncoding); err != nil {
		return nil, fmt.Errorf("response body: %w", err)
	}
	FillChallenge(e)
	return e, nil
}
