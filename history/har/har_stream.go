package har

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/akinspect/akinspect/history/internal/jsonobj"
	"github.com/akinspect/akinspect/internal/bytesize"
	"github.com/akinspect/akinspect/internal/jsonscan"
)

// A HAR is one JSON document, often one line, that can hold bodies of any
// size. harStream walks it without holding it: only log.entries' elements
// are collected, one at a time and each up to a limit, and the rest of the
// log object (version, creator, _akinspect) is kept, up to the same limit.
// It checks only the structure it walks; an entry's own JSON is checked
// when the entry is decoded.
type harStream struct {
	br  *bufio.Reader
	off int64 // bytes consumed
}

// capped collects the bytes of one value up to max and counts them all.
type capped struct {
	buf []byte
	max int64
	n   int64
}

func (c *capped) write(b []byte) {
	c.n += int64(len(b))
	if room := c.max - int64(len(c.buf)); room > 0 {
		c.buf = append(c.buf, b[:min(int64(len(b)), room)]...)
	}
}

func (c *capped) writeByte(b byte) {
	c.n++
	if int64(len(c.buf)) < c.max {
		c.buf = append(c.buf, b)
	}
}

func (c *capped) over() bool { return c.n > c.max }

// harLogParts is what walking a HAR gives besides the entries: the log
// object without them, and whether log.entries was an array.
type harLogParts struct {
	log        []byte
	hasEntries bool
}

// walkHAR calls entry for every element of log.entries, in file order,
// with its bytes (nil when it is over limit), its offset in r and its size.
// The bytes are appended to into() (an empty slice whose room they fill
// without a copy when they fit), valid until entry returns.
func walkHAR(r io.Reader, limit int64, into func() []byte, entry func(i int, raw []byte, off, size int64)) (harLogParts, error) {
	size := 256 << 10
	if l, ok := r.(interface{ Len() int }); ok { // in memory: no bigger than it
		size = min(size, max(l.Len()+1, 16))
	}
	s := &harStream{br: bufio.NewReaderSize(r, size)}
	var parts harLogParts
	c, err := s.nonSpace()
	if err != nil {
		return parts, notJSON(err)
	}
	if c == 0xef { // a UTF-8 byte order mark
		if b, err := s.br.Peek(2); err == nil && string(b) == "\xbb\xbf" {
			_, _ = s.br.Discard(2)
			s.off += 2
			if c, err = s.nonSpace(); err != nil {
				return parts, notJSON(err)
			}
		}
	}
	if c != '{' {
		return parts, errors.New("not a JSON object")
	}
	err = s.members(func(key string, first byte) error {
		if key != "log" {
			return s.value(first, &capped{})
		}
		if first != '{' {
			if err := s.value(first, &capped{}); err != nil {
				return err
			}
			return errors.New("log is not an object")
		}
		log := &capped{max: limit}
		log.writeByte('{')
		err := s.members(func(key string, first byte) error {
			if key != "entries" {
				if len(log.buf) > 1 {
					log.writeByte(',')
				}
				log.write(jsonobj.MarshalNoEscape(key))
				log.writeByte(':')
				return s.value(first, log)
			}
			if first != '[' {
				if err := s.value(first, &capped{}); err != nil {
					return err
				}
				if first == 'n' {
					return nil // null: no entries
				}
				return errors.New("log.entries is not an array")
			}
			parts.hasEntries = true
			one := &capped{max: limit}
			return s.elements(func(i int, first byte) error {
				start := s.off - 1 // first was consumed
				one.buf, one.n = into(), 0
				if err := s.value(first, one); err != nil {
					return err
				}
				if one.over() {
					entry(i, nil, start, one.n)
				} else {
					entry(i, one.buf, start, one.n)
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
		log.writeByte('}')
		if log.over() {
			return fmt.Errorf("the log without its entries is %s, over the limit of %s", bytesize.Text(log.n), bytesize.Text(limit))
		}
		parts.log = log.buf
		return nil
	})
	if err != nil {
		return parts, err
	}
	if c, err := s.nonSpace(); err != io.EOF {
		if err != nil {
			return parts, err
		}
		return parts, fmt.Errorf("unexpected %q after the top-level object at byte %d", c, s.off-1)
	}
	return parts, nil
}

func notJSON(err error) error {
	if err == io.EOF {
		return errors.New("empty")
	}
	return err
}

// nonSpace consumes and returns the next byte that is not JSON white space.
func (s *harStream) nonSpace() (byte, error) {
	for {
		c, err := s.br.ReadByte()
		if err != nil {
			return 0, err
		}
		s.off++
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c, nil
	}
}

func (s *harStream) unexpected(err error, what string) error {
	if err == io.EOF {
		return fmt.Errorf("the document ends inside %s", what)
	}
	return err
}

// members walks an object whose '{' was consumed, calling f with each key
// and the first byte of its value, which f must consume.
func (s *harStream) members(f func(key string, first byte) error) error {
	return s.items('}', "an object", func(_ int, c byte) error {
		if c != '"' {
			return fmt.Errorf("expected a key at byte %d, found %q", s.off-1, c)
		}
		raw := &capped{max: 1 << 10}
		if err := s.value('"', raw); err != nil {
			return err
		}
		var key string
		if raw.over() || json.Unmarshal(raw.buf, &key) != nil {
			key = "" // not a key this reader looks for
		}
		c, err := s.nonSpace()
		if err != nil || c != ':' {
			return s.unexpected(orElse(err, fmt.Errorf("expected ':' at byte %d", s.off-1)), "an object")
		}
		if c, err = s.nonSpace(); err != nil {
			return s.unexpected(err, "an object")
		}
		return f(key, c)
	})
}

// elements walks an array whose '[' was consumed.
func (s *harStream) elements(f func(i int, first byte) error) error {
	return s.items(']', "log.entries", f)
}

// items walks a container whose opening byte was consumed through its
// closing byte, calling item with the first byte of each member or
// element, which item must consume. what names the container in errors.
func (s *harStream) items(closing byte, what string, item func(n int, first byte) error) error {
	for n := 0; ; n++ {
		c, err := s.nonSpace()
		if err != nil {
			return s.unexpected(err, what)
		}
		if c == closing && n == 0 {
			return nil
		}
		if err := item(n, c); err != nil {
			return err
		}
		if c, err = s.nonSpace(); err != nil {
			return s.unexpected(err, what)
		}
		switch c {
		case ',':
		case closing:
			return nil
		default:
			return fmt.Errorf("expected ',' or '%c' at byte %d, found %q", closing, s.off-1, c)
		}
	}
}

func orElse(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// value copies one JSON value whose first byte was consumed into out, as
// far as jsonscan.ValueEnd reads it: brackets are counted, not matched,
// and a malformed token is copied whole, so that decoding says what is
// wrong. It copies what is buffered at once.
func (s *harStream) value(first byte, out *capped) error {
	out.writeByte(first)
	v := jsonscan.NewValueEnd(first)
	for {
		b, err := s.br.Peek(max(1, s.br.Buffered()))
		if len(b) == 0 {
			switch {
			case v.Token() && err == io.EOF: // a number or literal may end the document
				return nil
			case v.Token():
				return err
			case v.InString():
				return s.unexpected(err, "a string")
			}
			return s.unexpected(err, "a value")
		}
		n, done := v.Feed(b)
		out.write(b[:n])
		s.off += int64(n)
		_, _ = s.br.Discard(n)
		if done {
			return nil
		}
	}
}
