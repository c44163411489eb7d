package history

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/akinspect/akinspect/transport"
)

// Hit is one exchange field that contains a search query.
type Hit struct {
	Index   int    // exchange index (0-based)
	Field   string // "url", "request body", "response body", "request header Cookie", "error"
	Offset  int    // byte offset of the first match in that field
	Count   int    // matches in that field
	Snippet string // the text around the first match, on one line
}

// MaxHits bounds a search so that a one-letter query stays cheap.
const MaxHits = 10_000

// SearchResult is what Search found.
type SearchResult struct {
	Hits []Hit
	// Capped: the search stopped at MaxHits hits; later exchanges may
	// match too.
	Capped bool
}

// Search finds query (case-insensitive) in every exchange's URL, headers,
// bodies and error, reading all stored bodies, not only loaded ones. The
// error is the first read or decode error; the hits found are kept (a line
// that fails to decode is skipped, and the search goes on past it unless
// the file itself could not be read).
func (r *Recording) Search(query string) (SearchResult, error) {
	if query == "" {
		return SearchResult{}, nil
	}
	lq := strings.ToLower(query)
	// A line whose raw text cannot contain the query is skipped without
	// decoding. The raw text holds strings JSON-escaped, so this shortcut
	// only applies to queries escaping leaves alone.
	prefilter := isPlainQuery(query)
	lower := []byte(lq)
	var res SearchResult
	visit := func(i int, e *transport.Exchange) error {
		res.Hits = append(res.Hits, searchExchange(i, e, lq)...)
		if len(res.Hits) >= MaxHits {
			res.Capped = true
			return errStopSearch
		}
		return nil
	}
	if r.mem != nil || r.load != nil || !prefilter {
		err := r.each(visit)
		if err == errStopSearch {
			err = nil
		}
		return res, err
	}
	var decodeErr error
	err := r.eachLine(func(i int, buf []byte) error {
		if !bytes.Contains(buf, []byte(`_encoding":"base64"`)) && !containsFold(buf, lower) {
			return nil
		}
		e, err := decodeExchangeLine(bytes.TrimRight(buf, "\r\n"))
		if err != nil {
			if decodeErr == nil {
				decodeErr = fmt.Errorf("exchange %d: %w", i+1, err)
			}
			return nil
		}
		return visit(i, e)
	})
	if err == nil {
		err = decodeErr
	}
	return res, err
}

func isPlainQuery(q string) bool {
	for _, c := range []byte(q) {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// containsFold is an ASCII case-insensitive bytes.Contains for a lowercase
// needle, without allocating.
func containsFold(hay, needle []byte) bool {
	if len(needle) == 0 {
		return true
	}
	first := needle[0]
	upper := first
	if first >= 'a' && first <= 'z' {
		upper = first - 32
	}
	for i := 0; i+len(needle) <= len(hay); i++ {
		c := hay[i]
		if c != first && c != upper {
			continue
		}
		match := true
		for j := 1; j < len(needle); j++ {
			h := hay[i+j]
			if h >= 'A' && h <= 'Z' {
				h += 32
			}
			if h != needle[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func searchExchange(i int, e *transport.Exchange, lq string) []Hit {
	var hits []Hit
	check := func(field, text string) {
		lt := strings.ToLower(text)
		at := strings.Index(lt, lq)
		if at < 0 {
			return
		}
		hits = append(hits, Hit{Index: i, Field: field, Offset: at, Count: strings.Count(lt, lq), Snippet: snippet(text, at, len(lq))})
	}
	check("url", e.URL)
	checkHeaders("request header ", e.RequestHeader, check)
	if utf8.Valid(e.RequestBody) {
		check("request body", string(e.RequestBody))
	}
	checkHeaders("response header ", e.ResponseHeader, check)
	if utf8.Valid(e.ResponseBody) {
		check("response body", string(e.ResponseBody))
	}
	check("error", e.Error)
	return hits
}

func checkHeaders(prefix string, h http.Header, check func(field, text string)) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		check(prefix+k, strings.Join(h[k], ", "))
	}
}

// snippet is up to 30 bytes either side of a match, on one line.
func snippet(text string, at, n int) string {
	from, to := max(at-30, 0), min(at+n+30, len(text))
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	s := strings.Join(strings.Fields(text[from:to]), " ")
	if from > 0 {
		s = "…" + s
	}
	if to < len(text) {
		s += "…"
	}
	return s
}
