package jsonscan

import (
	"math"
	"strconv"
	"testing"
)

// FuzzInt: what Int reads, strconv reads the same, as an int64 and as a
// float64 (sign included).
func FuzzInt(f *testing.F) {
	for _, s := range []string{"0", "-1", "-0", "200", "007", "123456789012345", "1234567890123456",
		"999999999999999999", "-999999999999999999", "9007199254740993", "1e3", "-", "", "+5", "1.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := Int([]byte(s))
		if !ok {
			return
		}
		i, err := strconv.ParseInt(s, 10, 64)
		fl, ferr := strconv.ParseFloat(s, 64)
		if err != nil || ferr != nil || i != n || fl != float64(n) || math.Signbit(fl) != math.Signbit(float64(n)) {
			t.Fatalf("Int(%q) = %d; strconv: %d, %v, %v, %v", s, n, i, err, fl, ferr)
		}
	})
}

func TestIntLeavesTheRestToStrconv(t *testing.T) {
	// -0's float64 is not 0's: a -0 must stay what strconv reads.
	for s, want := range map[string]bool{
		"-0": false, "999999999999999999": true, "1000000000000000000": false,
		"1.0": false, "": false, "-": false, "12a": false,
	} {
		if _, ok := Int([]byte(s)); ok != want {
			t.Errorf("Int(%q) ok = %v, want %v", s, ok, want)
		}
	}
}
