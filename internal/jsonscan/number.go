package jsonscan

// Int reads the integers most numbers of JSON text are (-1, 200, a
// duration in nanoseconds) without strconv: at most 18 digits, perhaps
// after a '-', so that the value is exact in an int64 and, as a float64,
// rounds as strconv.ParseFloat rounds it. Anything else is left to
// strconv: ok is false for a fraction, an exponent, more digits, and for
// -0, whose float64 is not 0's.
func Int(v []byte) (n int64, ok bool) {
	d := v
	if len(d) > 0 && d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 18 {
		return 0, false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if len(d) < len(v) {
		if n == 0 {
			return 0, false
		}
		n = -n
	}
	return n, true
}
