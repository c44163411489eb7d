package redact

import (
	"bytes"

	"github.com/akinspect/akinspect/internal/jsonscan"

	"encoding/json"
	"net/http"
	"strings"
	"unsafe"

	"github.com/akinspect/akinspect/transport"
)

// minScrubLen is the shortest secret replaced wherever it appears. Shorter
// values are only replaced where they are known to sit (an answer key, a
// cookie), because replacing "abc" everywhere would mangle unrelated text.
const minScrubLen = 6

// replaceAllBounded replaces old in s as the scrub pass finds it (see
// boundedMatches).
func replaceAllBounded(s, old, repl string) (string, int) {
	at := boundedMatches(s, old, nil)
	if len(at) == 0 {
		return s, 0
	}
	var b strings.Builder
	last := 0
	for _, i := range at {
		b.WriteString(s[last:i])
		b.WriteString(repl)
		last = i + len(old)
	}
	b.WriteString(s[last:])
	return b.String(), len(at)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scrub replaces the secrets of s in every value position of c, in place,
// and returns how many it replaced. It is the pure part of redaction: it
// depends on nothing but c and s. Value positions are JSON string values
// (never keys), header values (for Cookie and Set-Cookie only the cookie
// values, for Location and Referer only query values), jar cookie values,
// URL query values, error text, and bodies that are not JSON. Text inside
// a marker is never touched.
func (s secretSet) scrub(c *transport.Exchange) int {
	if len(s.values) == 0 {
		return 0
	}
	n := 0
	mapExchangeValues(c, func(v string, cd codec) string {
		out, k := s.rewrite(v, cd)
		n += k
		return out
	}, nil)
	return n
}

// restore puts secrets (marker name → value) back into every value
// position of c, in place: the inverse of scrub and of Redact.
func restore(c *transport.Exchange, secrets map[string]string) {
	mapExchangeValues(c, func(v string, cd codec) string { return restoreText(v, cd, secrets) },
		func(b []byte) []byte { return RestoreBody(b, secrets) })
}

// mapExchangeValues rewrites every value position of c in place with
// text; bodies go through body when it is set, else through
// mapBodyValues with text.
func mapExchangeValues(c *transport.Exchange, text func(string, codec) string, body func([]byte) []byte) {
	if body == nil {
		body = func(b []byte) []byte { return mapBodyValues(b, text) }
	}
	c.URL = mapURLValues(c.URL, func(v string) string { return text(v, queryCodec) })
	mapHeaderValues(c.RequestHeader, text)
	mapHeaderValues(c.ResponseHeader, text)
	for i := range c.Jar {
		c.Jar[i].Value = text(c.Jar[i].Value, textCodec)
	}
	c.RequestBody = body(c.RequestBody)
	c.ResponseBody = body(c.ResponseBody)
	c.Error = text(c.Error, textCodec)
}

// mapHeaderValues rewrites the values of h in place with f.
func mapHeaderValues(h http.Header, f func(string, codec) string) {
	plain := func(v string) string { return f(v, textCodec) }
	value := func(_, v string) string { return plain(v) }
	for k, vs := range h {
		for i, v := range vs {
			switch strings.ToLower(k) {
			case "cookie":
				vs[i] = mapCookieValues(v, false, value)
			case "set-cookie":
				vs[i] = mapCookieValues(v, true, value)
			case "location", "referer":
				vs[i] = mapURLValues(v, func(q string) string { return f(q, queryCodec) })
			default:
				vs[i] = plain(v)
			}
		}
	}
}

// mapCookieValues rewrites the values of a Cookie header, or the cookie
// value of a Set-Cookie header (first), keeping every other byte: names,
// separators and attributes.
func mapCookieValues(v string, first bool, f func(name, val string) string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		if first && i > 0 {
			break
		}
		if name, val, ok := strings.Cut(p, "="); ok {
			parts[i] = name + "=" + f(strings.TrimSpace(name), val)
		}
	}
	return strings.Join(parts, ";")
}

// mapURLValues rewrites the raw values of a URL's query and fragment
// parameters, keeping names, order and everything else byte for byte.
func mapURLValues(raw string, f func(string) string) string {
	head, q, found := strings.Cut(raw, "?")
	if !found {
		head, frag, hasFrag := strings.Cut(raw, "#")
		if !hasFrag {
			return raw
		}
		return head + "#" + mapQueryValues(frag, f)
	}
	q, frag, hasFrag := strings.Cut(q, "#")
	out := head + "?" + mapQueryValues(q, f)
	if hasFrag {
		out += "#" + mapQueryValues(frag, f)
	}
	return out
}

// mapQueryValues rewrites the raw value of each name=value pair.
func mapQueryValues(q string, f func(string) string) string {
	if !strings.Contains(q, "=") {
		return q
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		if k, v, ok := strings.Cut(p, "="); ok {
			parts[i] = k + "=" + f(v)
		}
	}
	return strings.Join(parts, "&")
}

// mapBodyValues rewrites the values of a body: the insides of a JSON
// body's string values (and of tokens that are not JSON), or all of a body
// that is not JSON, including what follows where a JSON body stops parsing.
func mapBodyValues(b []byte, f func(string, codec) string) []byte {
	if len(b) == 0 {
		return b
	}
	if !looksLikeJSON(b) {
		// A view of b, not a copy: f only reads it, and what it returns
		// is kept only when it differs (then it is a new string).
		in := unsafe.String(&b[0], len(b))
		if out := f(in, textCodec); out != in {
			return []byte(out)
		}
		return b
	}
	var edits []edit
	stop := scanJSON(b, func(v jsonValue) {
		switch v.Kind {
		case jsonscan.String:
			from, to := v.Inner()
			edits = appendEdit(edits, b, from, to, f(string(b[from:to]), jsonCodec))
		case jsonscan.Bare:
			edits = appendEdit(edits, b, v.Start, v.End, f(string(b[v.Start:v.End]), textCodec))
		}
	})
	if stop < len(b) {
		edits = appendEdit(edits, b, stop, len(b), f(string(b[stop:]), textCodec))
	}
	return applyEdits(b, edits)
}

// BodyMarkerNames lists the names of the markers in a body's values, in
// order, found where RestoreBody fills them: inside JSON strings (escapes
// decoded), in bare tokens, and in text that is not JSON.
func BodyMarkerNames(b []byte) []string {
	if !bytes.Contains(b, []byte("redacted")) {
		return nil
	}
	var names []string
	mapBodyValues(b, func(v string, c codec) string {
		for _, m := range markerSpans(decode(v, c).text) {
			names = append(names, m.name)
		}
		return v
	})
	return names
}

// RestoreBody puts secrets (marker name → value) back into a body, the
// way restore does for an exchange. A string value that is a whole
// number marker becomes the bare number again.
func RestoreBody(b []byte, secrets map[string]string) []byte {
	if len(b) == 0 || !strings.Contains(string(b), "redacted") {
		return b
	}
	var edits []edit
	rest := func(v string, cd codec) string { return restoreText(v, cd, secrets) }
	if looksLikeJSON(b) {
		scanJSON(b, func(v jsonValue) {
			if v.Kind != jsonscan.String || !v.Closed {
				return
			}
			from, to := v.Inner()
			m, ok := findMarker(string(b[from:to]), 0)
			if val, known := secrets[m.name]; ok && m.number && m.end == to-from && known && isJSONNumber(val) {
				edits = append(edits, edit{v.Start, v.End, val})
			}
		})
	}
	return mapBodyValues(applyEdits(b, edits), rest)
}

func isJSONNumber(s string) bool {
	return s != "" && (s[0] == '-' || isDigit(s[0])) && json.Valid([]byte(s))
}

// edit replaces b[start:end] with text.
type edit struct {
	start, end int
	text       string
}

func appendEdit(edits []edit, b []byte, start, end int, text string) []edit {
	if text == string(b[start:end]) {
		return edits
	}
	return append(edits, edit{start, end, text})
}

// applyEdits applies edits given in order of their start. An edit that
// covers earlier ones (a container replaced after its children) wins.
func applyEdits(b []byte, edits []edit) []byte {
	if len(edits) == 0 {
		return b
	}
	var kept []edit
	for _, e := range edits {
		for len(kept) > 0 && kept[len(kept)-1].start >= e.start {
			kept = kept[:len(kept)-1]
		}
		kept = append(kept, e)
	}
	var out strings.Builder
	last := 0
	for _, e := range kept {
		out.Write(b[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(b[last:])
	return []byte(out.String())
}
