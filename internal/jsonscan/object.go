package jsonscan

import "fmt"

// MembersAt calls f with every member of the object that starts at b[i], in
// the order written: its key as written (quotes and escapes included, see
// Unquote) and where its value starts. f reads the value (with Skip,
// MembersAt, ElementsAt, StringEnd) and returns the index just past it. The
// object's own structure is read as Members reads it. A reader that
// descends only into the members it needs and skips the rest reads each
// byte once, where nested Members calls read a nested value once per level.
// It returns the index just past the object.
func MembersAt(b []byte, i int, f func(key []byte, at int) (end int, err error)) (int, error) {
	if i >= len(b) || b[i] != '{' {
		return i, fmt.Errorf("%w: no object at byte %d", ErrSyntax, i)
	}
	i = Space(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	var s scanner
	for {
		var top frame
		var ok bool
		if i, ok = s.key(b, i, &top); !ok {
			return i, fmt.Errorf("%w: at byte %d", ErrSyntax, i)
		}
		end, err := f(top.member.of(b), i)
		if err != nil {
			return end, err
		}
		var more bool
		if i, more, ok = next(b, end, '}'); !ok {
			return i, fmt.Errorf("%w: at byte %d", ErrSyntax, i)
		} else if !more {
			return i, nil
		}
	}
}

// ElementsAt calls f with where every element of the array that starts at b[i]
// starts; f reads it and returns the index just past it, as for MembersAt.
// It returns the index just past the array.
func ElementsAt(b []byte, i int, f func(at int) (end int, err error)) (int, error) {
	if i >= len(b) || b[i] != '[' {
		return i, fmt.Errorf("%w: no array at byte %d", ErrSyntax, i)
	}
	i = Space(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		end, err := f(i)
		if err != nil {
			return end, err
		}
		var more, ok bool
		i, more, ok = next(b, end, ']')
		if !ok {
			return i, fmt.Errorf("%w: at byte %d", ErrSyntax, i)
		} else if !more {
			return i, nil
		}
	}
}

// next reads what follows a member or element that ends at i: a ',' and
// the space after it (more: i is the next one), or the container's
// closing byte (i is past it). A trailing comma is not JSON.
func next(b []byte, i int, closing byte) (at int, more, ok bool) {
	i = Space(b, i)
	if i >= len(b) {
		return i, false, false
	}
	switch b[i] {
	case ',':
		i = Space(b, i+1)
		if i >= len(b) || b[i] == closing {
			return i, false, false
		}
		return i, true, true
	case closing:
		return i + 1, false, true
	}
	return i, false, false
}
