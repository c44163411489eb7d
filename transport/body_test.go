package transport

import (
	"strings"
	"testing"
)

func TestReadCapped(t *testing.T) {
	cases := []struct {
		name      string
		body      string
		hint      int64
		limit     int64
		keep      string
		size      int64
		truncated bool
	}{
		{"known length", "hello", 5, 100, "hello", 5, false},
		{"unknown length", "hello", -1, 100, "hello", 5, false},
		{"empty", "", 0, 100, "", 0, false},
		{"over the cap, known length", "0123456789", 10, 4, "0123", 8, true},
		{"over the cap, unknown length", "0123456789", -1, 4, "0123", 8, true},
		{"counted to twice the cap", "0123456", -1, 4, "0123", 7, true},
		{"exactly the cap", "0123", 4, 4, "0123", 4, false},
		{"longer than announced", "0123456789", 3, 6, "012345", 10, true},
		{"a bomb: counting stops at twice the cap", strings.Repeat("x", 1<<20), -1, 1000, strings.Repeat("x", 1000), 2000, true},
		{"shorter than announced", "012", 10, 100, "012", 3, false},
	}
	for _, tc := range cases {
		keep, size, truncated, err := readCapped(strings.NewReader(tc.body), tc.limit, tc.hint)
		if err != nil || string(keep) != tc.keep || size != tc.size || truncated != tc.truncated {
			t.Errorf("%s: kept %q size %d truncated %v err %v; want %q %d %v", tc.name, keep, size, truncated, err, tc.keep, tc.size, tc.truncated)
		}
	}
}
