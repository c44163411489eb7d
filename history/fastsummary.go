package history

import (
	"bytes"
	"errors"
	"time"

	"github.com/akinspect/akinspect/internal/jsonscan"
	"github.com/akinspect/akinspect/transport"
)

// parseSummary reads the summary part of an exchange line without
// reflection: opening a 100k-exchange recording spends most of its time
// here. Anything unexpected (an escaped key or string, a number that is
// not an integer) returns errSlowPath and the caller falls back to
// encoding/json. It checks only the structure it walks: the whole line is
// validated when the exchange is read in full.
func parseSummary(b []byte, s *summaryRecord, in *interner) error {
	if len(b) == 0 || b[0] != '{' {
		return errSlowPath
	}
	_, err := jsonscan.Members(b, 0, func(key, v []byte) error {
		if bytes.IndexByte(key, '\\') >= 0 {
			return errSlowPath
		}
		var err error
		switch string(key[1 : len(key)-1]) {
		case "id":
			s.ID, err = parseInt(v)
		case "status":
			s.Status, err = parseInt(v)
		case "flow":
			s.Flow, err = plainString(v, in)
		case "kind":
			var k string
			k, err = plainString(v, in)
			s.Kind = transport.Kind(k)
		case "method":
			s.Method, err = plainString(v, in)
		case "url":
			s.URL, err = plainString(v, in)
		case "component":
			s.Component, err = plainString(v, in)
		case "error":
			s.Error, err = plainString(v, nil)
		case "start":
			var t string
			if t, err = plainString(v, nil); err == nil {
				s.Start, err = time.Parse(time.RFC3339Nano, t)
			}
		case "timing":
			err = parseTiming(v, &s.Timing)
		case "flags":
			s.Flags, err = plainStrings(v, in)
		}
		return err
	})
	if err != nil {
		return errSlowPath
	}
	return nil
}

var errSlowPath = errors.New("summary needs the slow path")

// plainString is a string value that needs no decoding, or null (""), interned
// when in is set: a known string costs no allocation.
func plainString(v []byte, in *interner) (string, error) {
	if string(v) == "null" {
		return "", nil
	}
	raw, ok := jsonscan.PlainString(v)
	if !ok {
		return "", errSlowPath
	}
	if in != nil {
		if s, ok := in.lookup(raw); ok {
			return s, nil
		}
		return in.get(string(raw)), nil
	}
	return string(raw), nil
}

// parseInt reads an integer as jsonscan.Int does; anything else (a
// fraction, -0, over 18 digits) takes the slow path.
func parseInt(v []byte) (int, error) {
	n, ok := jsonscan.Int(v)
	if !ok {
		return 0, errSlowPath
	}
	return int(n), nil
}

func parseTiming(v []byte, t *transport.Timing) error {
	if len(v) == 0 || v[0] != '{' {
		return errSlowPath
	}
	_, err := jsonscan.Members(v, 0, func(key, v []byte) error {
		if bytes.IndexByte(key, '\\') >= 0 {
			return errSlowPath
		}
		n, err := parseInt(v)
		if f := timingField(t, key); f != nil {
			*f = time.Duration(n)
		}
		return err
	})
	if err != nil {
		return errSlowPath // not err: the callback would escape with it
	}
	return nil
}

// timingField is the field of t a timing key (quoted) names, or nil.
func timingField(t *transport.Timing, key []byte) *time.Duration {
	fields := [...]struct {
		key string
		d   *time.Duration
	}{{`"dns"`, &t.DNS}, {`"connect"`, &t.Connect}, {`"tls"`, &t.TLS}, {`"send"`, &t.Send}, {`"first_byte"`, &t.FirstByte}, {`"total"`, &t.Total}}
	for _, f := range fields {
		if f.key == string(key) {
			return f.d
		}
	}
	return nil
}

func plainStrings(v []byte, in *interner) ([]string, error) {
	if len(v) == 0 || v[0] != '[' {
		return nil, errSlowPath
	}
	var out []string
	_, err := jsonscan.Elements(v, 0, func(v []byte) error {
		s, err := plainString(v, in)
		out = append(out, s)
		return err
	})
	if err != nil {
		return nil, errSlowPath
	}
	return out, nil
}
