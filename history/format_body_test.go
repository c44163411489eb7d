package history

import (
	"bytes"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history/internal/jsonobj"
)

// A hostile body of control bytes is written as base64 (4/3 of its size),
// not as \u00XX escapes (six times), and reads back byte for byte; text and
// JSON bodies stay readable strings.
func TestControlHeavyBodiesAreWrittenAsBase64(t *testing.T) {
	cases := []struct {
		name     string
		body     []byte
		base64   bool
		maxRatio float64 // line bytes per body byte
	}{
		{"control bytes", bytes.Repeat([]byte{0x01}, 1<<20), true, 1.4},
		{"a JSON body", []byte(strings.Repeat(`{"component":"ak-stage-password","password":"x"},`, 20000)), false, 1.3},
		{"text with newlines and tabs", []byte(strings.Repeat("line\tof text\r\n", 50000)), false, 1.5},
		{"not UTF-8", bytes.Repeat([]byte{0xff, 'a'}, 100000), true, 1.5},
	}
	for _, c := range cases {
		e := syntheticSession()[3]
		e.ResponseBody = c.body
		line := jsonobj.MarshalNoEscape(toRecord(e))
		if got := bytes.Contains(line, []byte(`"response_body_encoding":"base64"`)); got != c.base64 {
			t.Errorf("%s: base64 %v, want %v", c.name, got, c.base64)
		}
		if ratio := float64(len(line)) / float64(len(c.body)); ratio > c.maxRatio {
			t.Errorf("%s: the line is %.2f× the body, want ≤ %.2f×", c.name, ratio, c.maxRatio)
		}
		back, err := decodeExchangeLine(line)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !bytes.Equal(back.ResponseBody, c.body) {
			t.Errorf("%s: the body does not read back byte for byte", c.name)
		}
	}
}
