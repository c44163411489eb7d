// Package jsonscan reads JSON text where it lies: where a value ends, an
// object's members in the order written, every value of a document, all
// as offsets into the input, without decoding or copying; and, where a
// reader needs them, the inside of a string (Escape, UnquoteBytes,
// CheckedStringEnd), a small integer (Int) and the ends of strings,
// brackets and values in text that arrives in pieces (Stream, ValueEnd).
// It is the one JSON scanner of akinspect: recordings, HAR, redaction,
// flow and the body view all read JSON through it.
//
// One scanner serves two kinds of reader. On valid JSON it finds exactly
// the members, values and boundaries encoding/json finds
// (FuzzScanMatchesEncodingJSON holds it to that, FuzzStringMatchesEncodingJSON
// the strings' insides, FuzzStreamMatchesWhole the readers of pieces). A
// strict reader checks json.Valid first, or trusts its writer, and uses
// Skip, Members and Elements: they fail at the first byte that is not JSON
// structure (a bare word, a trailing comma, a cut-off), but they do not
// validate numbers or escapes. Walk is the
// lenient reading of the same grammar for bodies that are cut off or
// malformed (raw mode sends them on purpose): it reports a string cut off
// at the end as unclosed and a token that is not JSON as Bare, and stops
// where it cannot read on.
package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Kind is what a value is, told by its first byte.
type Kind byte

// The kinds of value.
const (
	String  Kind = '"'
	Number  Kind = '0'
	Literal Kind = 'l' // true, false or null
	Bare    Kind = 'b' // a token that is not JSON (lenient reading only)
	Object  Kind = '{'
	Array   Kind = '['
)

// Value is one value of a document, as Walk reports it.
type Value struct {
	Kind       Kind
	Start, End int  // b[Start:End] is the value; a string's includes its quotes
	Closed     bool // false when b ends inside the value
	// Key is the key of the member this value is, or of the member whose
	// array holds it (InArray), as written: quotes and escapes included.
	// It is nil for a value at the top level.
	Key     []byte
	InArray bool
	Depth   int // 0 at the top level, 1 for its members, ...
}

// Inner is the inside of a string value: between its quotes, or to the
// end of the input when it is cut off.
func (v Value) Inner() (from, to int) {
	if v.Closed {
		return v.Start + 1, v.End - 1
	}
	return v.Start + 1, v.End
}

// ErrSyntax is the error of Skip and Members on text that is not JSON.
var ErrSyntax = errors.New("not JSON")

// Space returns the index of the first byte at or after i that is not
// JSON white space.
func Space(b []byte, i int) int {
	if i < len(b) && b[i] > ' ' {
		return i
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// StringEnd returns the index just past the string literal that starts at
// b[i] == '"', and whether it was closed before the end of b. A quote ends
// the string unless an odd run of backslashes stands before it.
func StringEnd(b []byte, i int) (int, bool) {
	for i++; i < len(b); {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			break
		}
		q := i + j
		k := q
		for k > i && b[k-1] == '\\' {
			k--
		}
		if (q-k)%2 == 0 {
			return q + 1, true
		}
		i = q + 1
	}
	return len(b), false
}

// ShortStringEnd is StringEnd, faster where most strings are short (a
// HAR's methods, header names and values): their first bytes are looked
// at one by one, an escape passing over the byte after its backslash,
// rather than searched for quotes. Where strings are longer (bodies
// walked for redaction) StringEnd is faster.
func ShortStringEnd(b []byte, i int) (int, bool) {
	n := min(len(b), i+64)
	for i++; i < n; i++ {
		switch b[i] {
		case '"':
			return i + 1, true
		case '\\':
			i++
			if i >= n { // b[i] is escaped: as an opening quote, no run crosses it
				return StringEnd(b, i)
			}
		}
	}
	return StringEnd(b, i-1) // b[i-1] is not an escaping backslash
}

// Skip returns the index just past the value that starts at b[i]; ok is
// false when b[i:] does not start with a whole value.
func Skip(b []byte, i int) (end int, ok bool) {
	s := scanner{strict: true}
	return s.value(b, i)
}

// Members calls f with every member of the object that starts at b[i], in
// the order written: its key as written (quotes and escapes included, see
// Unquote) and its value, both slices of b. It returns the index just past
// the object. It stops with an error where b is not a whole object, and
// with f's error when f returns one.
func Members(b []byte, i int, f func(key, value []byte) error) (int, error) {
	if i >= len(b) || b[i] != '{' {
		return i, fmt.Errorf("%w: no object at byte %d", ErrSyntax, i)
	}
	return outer(b, i, scanner{strict: true, member: f})
}

// Elements calls f with every element of the array that starts at b[i],
// in order, as a slice of b, and returns the index just past the array. It
// stops with an error where b is not a whole array, and with f's error
// when f returns one.
func Elements(b []byte, i int, f func(value []byte) error) (int, error) {
	if i >= len(b) || b[i] != '[' {
		return i, fmt.Errorf("%w: no array at byte %d", ErrSyntax, i)
	}
	return outer(b, i, scanner{strict: true, element: f})
}

// outer reads the container at b[i] with s, whose callback sees each
// value in it.
func outer(b []byte, i int, s scanner) (int, error) {
	end, ok := s.value(b, i)
	if s.err != nil {
		return end, s.err
	}
	if !ok {
		return end, fmt.Errorf("%w: at byte %d", ErrSyntax, end)
	}
	return end, nil
}

// Unquote decodes a closed string literal as encoding/json does.
func Unquote(quoted []byte) (string, error) {
	if text, ok := PlainString(quoted); ok {
		return string(text), nil
	}
	// Escapes and invalid UTF-8 (U+FFFD) as encoding/json reads them, so
	// that keys match it exactly.
	var s string
	err := json.Unmarshal(quoted, &s)
	return s, err
}

// Walker reads JSON leniently (see Walk).
type Walker struct {
	// Opaque, when set, is the length of a run starting at b[i] that
	// belongs to the bare token around it whatever bytes it holds, or 0.
	// Redaction uses it so that a marker with a space in its name stays
	// one token.
	Opaque func(b []byte, i int) int
}

// Walk is Walker{}.Walk.
func Walk(b []byte, visit func(Value)) int { return Walker{}.Walk(b, visit) }

// Walk calls visit for every value of b once its end is known, children
// before their container, and returns where it stopped reading: the rest
// of b is not JSON. A document that starts with '{' or '[' is read as far
// as it parses, and so are containers following it; any other document
// is read only when it is valid JSON (a bare string or number). A string
// cut off at the end is reported unclosed, a token that is not JSON as
// Bare, a container cut off at the end unclosed; at anything else that
// cannot be structure (a missing ':', a key that is not a string) the walk
// stops, and the containers around that place are not reported.
func (w Walker) Walk(b []byte, visit func(Value)) int {
	s := scanner{visit: visit, opaque: w.Opaque}
	i := Space(b, 0)
	if i < len(b) && b[i] != '{' && b[i] != '[' && json.Valid(b) {
		end, _ := s.value(b, i)
		return Space(b, end)
	}
	for i < len(b) && (b[i] == '{' || b[i] == '[') {
		next, ok := s.value(b, i)
		if !ok {
			return next
		}
		i = Space(b, next)
	}
	return i
}

// scanner is the one reading of the grammar that Skip, Members and Walk
// share. It reads a value without recursion: stack holds the containers
// open around the current place. strict: a bare token, a trailing comma
// or a string cut off is an error rather than something to report.
type scanner struct {
	strict  bool
	visit   func(Value)
	opaque  func([]byte, int) int
	member  func(key, value []byte) error // Members: called for each member of the outer object
	element func(value []byte) error      // Elements: called for each element of the outer array
	err     error                         // member's error
}

// frame is an open container. Keys are kept as offsets, which keeps a
// frame small: pushing and popping one is the cost of every container.
type frame struct {
	kind    Kind
	inArray bool // the container's own InArray
	start   int  // where the container starts
	key     span // the container's own key
	member  span // in an object: the key of the member being read
	value   int  // in an object: where that member's value starts
}

// span is a key, b[from:to]; the zero span is none.
type span struct{ from, to int }

func (k span) of(b []byte) []byte {
	if k.to == 0 {
		return nil
	}
	return b[k.from:k.to:k.to]
}

// value reads the value at b[i]. ok is false when reading must stop at
// end: at a byte that cannot be read on (end < len(b)), or at the end of b
// inside the value. A string cut off at the end counts as read when
// reading leniently.
func (s *scanner) value(b []byte, i int) (end int, ok bool) {
	var frames [8]frame
	stack := frames[:0] // the containers open around i
	var key span        // where the value at i sits, for Walk
	inArray := false
	for {
		// A value starts at i.
		if i >= len(b) {
			return s.cutOff(b, stack)
		}
		var kind Kind
		start := i
		switch c := b[i]; {
		case c == '"':
			var closed bool
			if i, closed = StringEnd(b, i); !closed {
				if s.strict {
					return i, false
				}
				if s.visit != nil {
					s.visit(Value{Kind: String, Start: start, End: i, Key: key.of(b), InArray: inArray, Depth: len(stack)})
				}
				return s.cutOff(b, stack)
			}
			kind = String
		case c == '{' || c == '[':
			stack = append(stack, frame{kind: Kind(c), start: i, key: key, inArray: inArray})
			i = Space(b, i+1)
			if c == '[' {
				inArray = true
				stack[len(stack)-1].value = i
				if i < len(b) && b[i] == ']' {
					break // empty: closed below
				}
				continue
			}
			if i < len(b) && b[i] == '}' {
				break
			}
			top := &stack[len(stack)-1]
			if i, ok = s.key(b, i, top); !ok {
				return s.stop(b, stack, i)
			}
			key, inArray = top.member, false
			continue
		case c == '-' || (c >= '0' && c <= '9'):
			kind, i = Number, s.tokenEnd(b, i)
		default:
			i = s.tokenEnd(b, i)
			switch string(b[start:i]) {
			case "true", "false", "null":
				kind = Literal
			default:
				if i == start || s.strict {
					return start, false
				}
				kind = Bare
			}
		}
		if kind == 0 {
			i++ // the empty container's closing byte
			stack = s.pop(b, stack, i)
		} else if s.visit != nil {
			s.visit(Value{Kind: kind, Start: start, End: i, Closed: true, Key: key.of(b), InArray: inArray, Depth: len(stack)})
		}
		// A value ends at i: close what it ends, then find the next one.
		for {
			if len(stack) == 0 {
				return i, true
			}
			top := &stack[len(stack)-1]
			if len(stack) == 1 && (s.member != nil || s.element != nil) {
				if s.member != nil {
					s.err = s.member(top.member.of(b), b[top.value:i:i])
				} else {
					s.err = s.element(b[top.value:i:i])
				}
				if s.err != nil {
					return i, false
				}
			}
			closing := byte('}')
			if top.kind == Array {
				closing = ']'
			}
			i = Space(b, i)
			if i < len(b) && b[i] == ',' {
				i = Space(b, i+1)
				if i >= len(b) || b[i] != closing {
					break // the next member or element
				}
				if s.strict {
					return i, false // a trailing comma
				}
			}
			if i >= len(b) {
				return s.cutOff(b, stack)
			}
			if b[i] != closing {
				return i, false
			}
			i++
			stack = s.pop(b, stack, i)
		}
		top := &stack[len(stack)-1]
		if top.kind == Array {
			key, inArray, top.value = top.key, true, i
			continue
		}
		if i, ok = s.key(b, i, top); !ok {
			return s.stop(b, stack, i)
		}
		key, inArray = top.member, false
	}
}

// key reads a member's key and its ':' at b[i] into top, the innermost
// object, and moves to its value. ok is false where reading must stop
// (see stop).
func (s *scanner) key(b []byte, i int, top *frame) (int, bool) {
	if i >= len(b) || b[i] != '"' {
		return i, false
	}
	end, closed := StringEnd(b, i)
	if !closed {
		return end, false
	}
	top.member = span{i, end}
	i = Space(b, end)
	if i >= len(b) || b[i] != ':' {
		return i, false
	}
	i = Space(b, i+1)
	top.value = i
	return i, true
}

// pop closes the innermost container, which ends just before end, and
// reports it.
func (s *scanner) pop(b []byte, stack []frame, end int) []frame {
	stack = stack[:len(stack)-1]
	if s.visit != nil {
		f := &stack[:len(stack)+1][len(stack)]
		s.visit(Value{Kind: f.kind, Start: f.start, End: end, Closed: true, Key: f.key.of(b), InArray: f.inArray, Depth: len(stack)})
	}
	return stack
}

// stop ends a read at i: at a byte that cannot be read on, or, at the end
// of b, a cut-off.
func (s *scanner) stop(b []byte, stack []frame, i int) (int, bool) {
	if i >= len(b) {
		return s.cutOff(b, stack)
	}
	return i, false
}

// cutOff ends a read that ran off the end of b: the open containers are
// reported unclosed, innermost first.
func (s *scanner) cutOff(b []byte, stack []frame) (int, bool) {
	for k := len(stack) - 1; k >= 0 && s.visit != nil; k-- {
		f := &stack[k]
		s.visit(Value{Kind: f.kind, Start: f.start, End: len(b), Key: f.key.of(b), InArray: f.inArray, Depth: k})
	}
	return len(b), false
}

// tokenEnd returns the end of a number, literal or bare token: the next
// delimiter, passing over opaque runs.
func (s *scanner) tokenEnd(b []byte, i int) int {
	for ; i < len(b); i++ {
		if delimiter[b[i]] {
			return i
		}
		if s.opaque != nil {
			if n := s.opaque(b, i); n > 0 {
				i += n - 1
			}
		}
	}
	return i
}

// delimiter: the bytes that end a token.
var delimiter = [256]bool{',': true, '}': true, ']': true, ':': true, '"': true, '{': true, '[': true, ' ': true, '\t': true, '\n': true, '\r': true}
