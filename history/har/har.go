// Package har reads and writes HAR 1.2 logs: Export writes exchanges (a
// recording or the live session) for browsers' devtools, Import reads an
// akinspect or browser HAR into a history.Recording. Importing the package
// registers Import with history.Open, which then opens HAR files as well as
// recordings (history.RegisterImporter).
package har

import (
	"encoding/json"
	"time"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/). Custom fields
// start with "_" as the spec requires; other tools ignore them.

type harFile struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version   string      `json:"version"`
	Creator   harCreator  `json:"creator"`
	Browser   *harCreator `json:"browser,omitempty"`
	Pages     []harPage   `json:"pages,omitempty"`
	Entries   []harEntry  `json:"entries"`
	Comment   string      `json:"comment,omitempty"`
	Akinspect *harLogExt  `json:"_akinspect,omitempty"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harPage struct {
	StartedDateTime string         `json:"startedDateTime"`
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	PageTimings     harPageTimings `json:"pageTimings"`
}

type harPageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

type harEntry struct {
	Pageref         string       `json:"pageref,omitempty"`
	StartedDateTime string       `json:"startedDateTime"`
	Time            float64      `json:"time"`
	Request         harRequest   `json:"request"`
	Response        harResponse  `json:"response"`
	Cache           struct{}     `json:"cache"`
	Timings         harTimings   `json:"timings"`
	Akinspect       *harEntryExt `json:"_akinspect,omitempty"`
}

type harRequest struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []harCookie  `json:"cookies"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	PostData    *harPostData `json:"postData,omitempty"`
	HeadersSize harInt       `json:"headersSize"`
	BodySize    harInt       `json:"bodySize"`
}

type harResponse struct {
	Status      harInt      `json:"status"`
	StatusText  string      `json:"statusText"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []harCookie `json:"cookies"`
	Headers     []harNV     `json:"headers"`
	Content     harContent  `json:"content"`
	RedirectURL string      `json:"redirectURL"`
	HeadersSize harInt      `json:"headersSize"`
	BodySize    harInt      `json:"bodySize"`
}

type harCookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Path     string `json:"path,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Expires  string `json:"expires,omitempty"`
	HTTPOnly bool   `json:"httpOnly,omitempty"`
	Secure   bool   `json:"secure,omitempty"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harPostData struct {
	MimeType string  `json:"mimeType"`
	Text     string  `json:"text"`
	Params   []harNV `json:"params,omitempty"` // read only: we always write text
	Encoding string  `json:"_encoding,omitempty"`
}

type harContent struct {
	Size     harInt `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

type harTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	SSL     float64 `json:"ssl"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// harEntryExt carries what HAR has no field for.
type harEntryExt struct {
	ID         int                      `json:"id"`
	Flow       string                   `json:"flow,omitempty"`
	Kind       transport.Kind           `json:"kind,omitempty"`
	Component  string                   `json:"component,omitempty"`
	Jar        []transport.Cookie       `json:"jar"`
	JarChanges []transport.CookieChange `json:"jarChanges,omitempty"`
	Flags      []string                 `json:"flags,omitempty"`
	Error      string                   `json:"error,omitempty"`
	Diagnosis  string                   `json:"diagnosis,omitempty"`
	Secrets    []string                 `json:"secrets,omitempty"`
	Truncated  bool                     `json:"truncated,omitempty"`
	Timing     *transport.Timing        `json:"timing,omitempty"` // exact, in ns
}

type harLogExt struct {
	Header history.Header `json:"header"`
}

// harInt reads numbers leniently (some tools write -1.0 or null); it
// writes a plain integer.
type harInt int64

func (n *harInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = 0
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = harInt(f)
	return nil
}

const harTime = "2006-01-02T15:04:05.000Z07:00"

func ms(d time.Duration) float64 {
	return float64(d.Round(time.Microsecond).Microseconds()) / 1000
}

func init() { history.RegisterImporter("HAR", importHAR) }
