package history

import (
	"bytes"
	"testing"
)

// A body read back from its line is what encoding/json makes of the
// string, on the fast path (no escape in the literal) and the slow one.
func TestRawBodyDecodesAsTheString(t *testing.T) {
	for _, tc := range []struct {
		name, literal, encoding string
		want                    []byte
	}{
		{"null", `null`, "", nil},
		{"empty", `""`, "", []byte{}},
		{"plain text", `"plain text"`, "", []byte("plain text")},
		{"escaped text", `"a\"b\\c\u0001\n"`, "", []byte("a\"b\\c\x01\n")},
		{"text that is not UTF-8", "\"a\xffb\"", "", []byte("a\uFFFDb")},
		{"base64", `"AAEC/w=="`, EncodingBase64, []byte{0, 1, 2, 0xff}},
		{"base64 with an escaped slash", `"AAEC\/w=="`, EncodingBase64, []byte{0, 1, 2, 0xff}},
	} {
		got, err := rawBody(tc.literal).decode(tc.encoding)
		if err != nil || !bytes.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	for _, bad := range []struct{ literal, encoding string }{{`"%%%"`, EncodingBase64}, {`"x"`, "gzip"}, {`7`, ""}} {
		if _, err := rawBody(bad.literal).decode(bad.encoding); err == nil {
			t.Errorf("%s as %q: no error", bad.literal, bad.encoding)
		}
	}
}
