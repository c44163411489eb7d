package history

import (
	"errors"
	"time"

	"github.com/akinspect/akinspect/transport"
)

// parseSummary reads the summary part of an exchange line without
// reflection: opening a 100k-exchange recording spends most of its time
// here. Anything unexpected returns an error and the caller falls back to
// encoding/json.
func parseSummary(b []byte, s *summaryRecord, in *interner) error {
	p := &scanner{b: b}
	if !p.consume('{') {
		return errSlowPath
	}
	for {
		p.space()
		if p.consume('}') {
			return nil
		}
		key, ok := p.str()
		if !ok || !p.consume(':') {
			return errSlowPath
		}
		p.space()
		var err error
		switch string(key) {
		case "id":
			s.ID, err = p.int()
		case "status":
			s.Status, err = p.int()
		case "flow":
			s.Flow, err = p.internStr(in)
		case "kind":
			var k string
			k, err = p.internStr(in)
			s.Kind = transport.Kind(k)
		case "method":
			s.Method, err = p.internStr(in)
		case "url":
			s.URL, err = p.internStr(in)
		case "component":
			s.Component, err = p.internStr(in)
		case "error":
			s.Error, err = p.internStr(nil)
		case "start":
			var t string
			if t, err = p.internStr(nil); err == nil {
				s.Start, err = time.Parse(time.RFC3339Nano, t)
			}
		case "timing":
			err = p.timing(&s.Timing)
		case "flags":
			s.Flags, err = p.strings(in)
		default:
			err = p.skip()
		}
		if err != nil {
			return err
		}
		p.space()
		if !p.consume(',') {
			p.space()
			if p.consume('}') {
				return nil
			}
			return errSlowPath
		}
	}
}

var errSlowPath = errors.New("summary needs the slow path")

type scanner struct {
	b []byte
	i int
}

func (p *scanner) space() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\n' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *scanner) consume(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a key without escapes, as bytes of the line (no allocation).
func (p *scanner) str() ([]byte, bool) {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return nil, false
	}
	for j := p.i + 1; j < len(p.b); j++ {
		switch p.b[j] {
		case '\\':
			return nil, false
		case '"':
			s := p.b[p.i+1 : j]
			p.i = j + 1
			return s, true
		}
	}
	return nil, false
}

func (p *scanner) internStr(in *interner) (string, error) {
	if p.i+4 <= len(p.b) && string(p.b[p.i:p.i+4]) == "null" {
		p.i += 4
		return "", nil
	}
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return "", errSlowPath
	}
	end := p.i + 1
	for end < len(p.b) && p.b[end] != '"' && p.b[end] != '\\' {
		end++
	}
	if end >= len(p.b) || p.b[end] == '\\' {
		return "", errSlowPath
	}
	raw := p.b[p.i+1 : end]
	p.i = end + 1
	if in != nil {
		if v, ok := in.lookup(raw); ok { // no allocation for a known string
			return v, nil
		}
		return in.get(string(raw)), nil
	}
	return string(raw), nil
}

func (p *scanner) int() (int, error) {
	j := p.i
	for j < len(p.b) && (p.b[j] == '-' || isDigit(p.b[j])) {
		j++
	}
	if j == p.i || j-p.i > 18 {
		return 0, errSlowPath
	}
	neg := p.b[p.i] == '-'
	n := 0
	for k := p.i; k < j; k++ {
		if p.b[k] == '-' {
			if k != p.i {
				return 0, errSlowPath
			}
			continue
		}
		n = n*10 + int(p.b[k]-'0')
	}
	if neg {
		if j-p.i == 1 {
			return 0, errSlowPath
		}
		n = -n
	}
	p.i = j
	return n, nil
}

func (p *scanner) timing(t *transport.Timing) error {
	if !p.consume('{') {
		return errSlowPath
	}
	if p.consume('}') {
		return nil
	}
	for {
		p.space()
		key, ok := p.str()
		if !ok || !p.consume(':') {
			return errSlowPath
		}
		p.space()
		n, err := p.int()
		if err != nil {
			return err
		}
		d := time.Duration(n)
		switch string(key) {
		case "dns":
			t.DNS = d
		case "connect":
			t.Connect = d
		case "tls":
			t.TLS = d
		case "send":
			t.Send = d
		case "first_byte":
			t.FirstByte = d
		case "total":
			t.Total = d
		}
		if p.consume('}') {
			return nil
		}
		if !p.consume(',') {
			return errSlowPath
		}
	}
}

func (p *scanner) strings(in *interner) ([]string, error) {
	if !p.consume('[') {
		return nil, errSlowPath
	}
	var out []string
	if p.consume(']') {
		return out, nil
	}
	for {
		p.space()
		s, err := p.internStr(in)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if p.consume(']') {
			return out, nil
		}
		if !p.consume(',') {
			return nil, errSlowPath
		}
	}
}

// skip passes over one value of a key this parser does not keep.
func (p *scanner) skip() error {
	start := p.i
	depth := 0
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			for p.i < len(p.b) && p.b[p.i] != '"' {
				if p.b[p.i] == '\\' {
					p.i++
				}
				p.i++
			}
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 {
				return p.checkSkipped(start)
			}
			depth--
		case c == ',' && depth == 0:
			return p.checkSkipped(start)
		}
		p.i++
		if depth == 0 && (c == '"' || c == '}' || c == ']') {
			return p.checkSkipped(start)
		}
	}
	return errSlowPath
}

// checkSkipped only guards the bounds: the whole line is validated when
// the exchange is read in full.
func (p *scanner) checkSkipped(start int) error {
	if p.i > len(p.b) || p.i <= start {
		return errSlowPath
	}
	return nil
}
