package jsonscan

// JSON text that arrives in pieces (a bufio.Reader's buffer, a document's
// lines) is read by the same rules, with what must carry from one piece
// to the next: whether the piece before ended inside a string, and just
// after a backslash there. Brackets are counted, not matched, and nothing
// else is checked: these readers find where things end so that a strict
// reader (Members, encoding/json) can read each thing whole.

// Stream finds strings and brackets in JSON text read in pieces. Its zero
// value is outside any string.
type Stream struct {
	inString bool // the last piece ended inside a string
	escaped  bool // ... just after a backslash there
}

// InString reports whether the text read so far ends inside a string.
func (s *Stream) InString() bool { return s.inString }

// Bracket returns the index of the first '{', '[', '}' or ']' at or after
// b[i] that is not inside a string, or len(b) when the piece has none.
func (s *Stream) Bracket(b []byte, i int) int { return s.scan(b, i, nil) }

// scan is Bracket, or, with depth (the containers open), reads on to
// where the brackets balance and returns the index just past the last.
// It is one loop, its state in locals: a HAR's entries are read with it.
func (s *Stream) scan(b []byte, i int, depth *int) int {
	inString, escaped := s.inString, s.escaped
	for i < len(b) {
		if inString {
			if escaped { // the byte after a backslash
				escaped = false
				i++
				continue
			}
			j := nextQuoteOrBackslash(b, i)
			if j == len(b) {
				break
			}
			inString, escaped = b[j] == '\\', b[j] == '\\'
			i = j + 1
			continue
		}
		for i < len(b) && !structural[b[i]] {
			i++
		}
		if i == len(b) {
			break
		}
		switch c := b[i]; {
		case c == '"':
			inString = true
		case depth == nil:
			s.inString, s.escaped = false, false
			return i
		case c == '{' || c == '[':
			*depth++
		default:
			if *depth--; *depth == 0 {
				s.inString, s.escaped = false, false
				return i + 1
			}
		}
		i++
	}
	s.inString, s.escaped = inString, escaped
	return len(b)
}

// StringRest reads on inside a string whose opening quote has been read:
// it returns the index just past the closing quote, or len(b) and false
// when the piece ends first (the string goes on in the next one).
func (s *Stream) StringRest(b []byte, i int) (end int, closed bool) {
	s.inString = true
	for i < len(b) {
		if s.escaped { // the byte after a backslash
			s.escaped = false
			i++
			continue
		}
		i = nextQuoteOrBackslash(b, i)
		if i == len(b) {
			break
		}
		if b[i] == '"' {
			s.inString = false
			return i + 1, true
		}
		s.escaped = true
		i++
	}
	return len(b), false
}

// structural: the bytes that matter outside strings to Bracket.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// ValueEnd finds where one value ends in text read in pieces: a string at
// its closing quote, a container where its brackets balance, and any other
// token at the next ',', '}', ']' or white space, where the container
// around it would go on. On valid JSON it ends where Skip ends. On other
// text it ends where those rules say, so that a reader copying values
// hands a malformed one whole to the decoder that says what is wrong.
type ValueEnd struct {
	s     Stream
	first byte
	depth int // open containers
}

// NewValueEnd starts a value whose first byte, already read, is first.
func NewValueEnd(first byte) ValueEnd {
	v := ValueEnd{first: first}
	switch first {
	case '"':
		v.s.inString = true
	case '{', '[':
		v.depth = 1
	}
	return v
}

// Token reports whether the value is a number, literal or other token:
// one that may end with the text.
func (v *ValueEnd) Token() bool { return v.first != '"' && v.first != '{' && v.first != '[' }

// InString reports whether the text read so far ends inside a string.
func (v *ValueEnd) InString() bool { return v.s.inString }

// Feed reads the next piece: how many of its bytes belong to the value,
// and whether the value ends there.
func (v *ValueEnd) Feed(b []byte) (n int, done bool) {
	switch {
	case v.Token():
		for i, c := range b {
			if tokenEnd[c] {
				return i, true
			}
		}
		return len(b), false
	case v.depth == 0: // a string
		return v.s.StringRest(b, 0)
	}
	end := v.s.scan(b, 0, &v.depth)
	return end, v.depth == 0
}

// tokenEnd: the bytes that end a token for ValueEnd.
var tokenEnd = [256]bool{',': true, '}': true, ']': true, ' ': true, '\t': true, '\n': true, '\r': true}
