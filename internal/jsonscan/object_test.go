package jsonscan

import (
	"bytes"
	"testing"
)

// FuzzObjectMatchesMembers holds MembersAt and ElementsAt to Members, Elements and
// Skip on any input: a reader that descends into every container with
// MembersAt and ElementsAt, and one that skips each member, see the same members
// and elements, end where Skip ends and fail where it fails.
func FuzzObjectMatchesMembers(f *testing.F) {
	for _, seed := range []string{
		`{}`, ` { } `, `[]`, `{"a":1}`, `{"a" : "x\"y" , "b":[1,{"c":"}"}],"d":null}`,
		`{"k\u00e9y":true,"e\\":"\\","n":-1.5e3}`, `{"a":{"b":{"c":[[],{}]}}, "z":"]"}`,
		`{"a":1,"a":2}`, "{\n\t\"a\"\t:\n[ 1 , 2 ]\n}", `[1,[2,[3]]]`, `{"s":"\\\\\""}`,
		`{"a":1,}`, `[1,]`, `{"a" 1}`, `{"a":tru}`, `{"a":1}{"b":2}`, `{`, `[`, `{"a":[1,2`, `{"\`,
		`{"a":[1 2]}`, `{"a":{"b":1,}}`, `[,1]`, `{,}`, `{"a":1 "b":2}`, `{"a":-x}`, `[{]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		i := Space(data, 0)
		wantEnd, wantOK := Skip(data, i)
		end, err := descend(data, i)
		if (err == nil) != wantOK || (wantOK && end != wantEnd) {
			t.Fatalf("descending %q: %d, %v; Skip: %d, %v", data, end, err, wantEnd, wantOK)
		}
		if i >= len(data) {
			return
		}
		switch data[i] {
		case '{':
			var got, want [][]byte
			end, err := MembersAt(data, i, func(key []byte, at int) (int, error) {
				e, ok := Skip(data, at)
				if !ok {
					return e, ErrSyntax
				}
				got = append(got, key, data[at:e])
				return e, nil
			})
			wend, werr := Members(data, i, func(key, v []byte) error {
				want = append(want, key, v)
				return nil
			})
			if (err == nil) != (werr == nil) || (err == nil && (end != wend || !sameAll(got, want))) {
				t.Fatalf("MembersAt(%q) = %d, %v, %q; Members: %d, %v, %q", data, end, err, got, wend, werr, want)
			}
		case '[':
			var got, want [][]byte
			end, err := ElementsAt(data, i, func(at int) (int, error) {
				e, ok := Skip(data, at)
				if !ok {
					return e, ErrSyntax
				}
				got = append(got, data[at:e])
				return e, nil
			})
			wend, werr := Elements(data, i, func(v []byte) error {
				want = append(want, v)
				return nil
			})
			if (err == nil) != (werr == nil) || (err == nil && (end != wend || !sameAll(got, want))) {
				t.Fatalf("ElementsAt(%q) = %d, %v, %q; Elements: %d, %v, %q", data, end, err, got, wend, werr, want)
			}
		}
	})
}

// descend reads the value at b[i] with MembersAt and ElementsAt all the way down.
func descend(b []byte, i int) (int, error) {
	if i < len(b) && b[i] == '{' {
		return MembersAt(b, i, func(_ []byte, at int) (int, error) { return descend(b, at) })
	}
	if i < len(b) && b[i] == '[' {
		return ElementsAt(b, i, func(at int) (int, error) { return descend(b, at) })
	}
	end, ok := Skip(b, i)
	if !ok {
		return end, ErrSyntax
	}
	return end, nil
}

func sameAll(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
