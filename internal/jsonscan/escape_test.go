package jsonscan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzStringMatchesEncodingJSON holds the readers of a string's inside to
// encoding/json and to each other, on any text after a quote:
// ShortStringEnd ends where StringEnd ends, CheckedStringEnd ends there
// too and says whether ValidEscapes holds, UnquoteBytes reads what
// ValidEscapes accepts, and a string literal that encoding/json accepts
// decodes to what it decodes. Escape, read unit by unit, decodes the same
// text as UnquoteBytes. PlainString takes a literal that encoding/json
// accepts exactly when it has no backslash and is valid UTF-8, and its
// text is then what encoding/json decodes.
func FuzzStringMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`"abc"`, `"a\"b"`, `"` + strings.Repeat(`\\`, 40) + `"x"`, `"` + strings.Repeat("a", 62) + `\"x"`,
		`"` + strings.Repeat("a", 63) + `\"x"`, `"` + strings.Repeat("a", 62) + `\\"`, `"\`, `"`,
		`"abcdefghijklmnopq\"rstuvwxyz0123456789"`, `"0123456789abcdef\\\\"`, "\"\x80\xff\xa2\xdc\x22\"",
		`"\u003clink rel=\"stylesheet\" href=\"/x.css\"\u003e"`, `"\u00e9\x"`, `"\u12"3456"`,
		`"\\\"\/\b\f\n\r\t"`, `"\u"`, `"a\q"b"`, `"\ud83d\ude00 smile"`, `"\ud83d alone"`, `"\ude00 low"`,
		`"\ud83d\u0041"`, `"\ud83d\ud83d\ude00"`, "\"bad \xff utf8\"", `"trailing\\"`, `"é ünïcode"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 || b[0] != '"' {
			return
		}
		end, closed := StringEnd(b, 0)
		if send, sclosed := ShortStringEnd(b, 0); send != end || sclosed != closed {
			t.Fatalf("ShortStringEnd(%q) = %d, %v; StringEnd: %d, %v", b, send, sclosed, end, closed)
		}
		cend, valid, cclosed := CheckedStringEnd(b, 0)
		if cend != end || cclosed != closed || (closed && valid != ValidEscapes(b[1:end-1])) {
			t.Fatalf("CheckedStringEnd(%q) = %d, %v, %v; want %d, %v", b, cend, valid, cclosed, end, closed)
		}
		if !closed {
			return
		}
		lit := b[:end]
		got, ok := UnquoteBytes(lit, nil)
		if ok != ValidEscapes(lit[1:end-1]) {
			t.Fatalf("UnquoteBytes(%q) ok = %v, ValidEscapes = %v", lit, ok, !ok)
		}
		if ok && string(got) != byUnits(string(lit[1:end-1])) {
			t.Fatalf("UnquoteBytes(%q) = %q, unit by unit: %q", lit, got, byUnits(string(lit[1:end-1])))
		}
		if json.Valid(lit) {
			var want string
			if err := json.Unmarshal(lit, &want); err != nil || !ok || string(got) != want {
				t.Fatalf("UnquoteBytes(%q) = %q, %v; encoding/json: %q, %v", lit, got, ok, want, err)
			}
			plain, pok := PlainString(lit)
			if wantPlain := !bytes.ContainsRune(lit, '\\') && utf8.Valid(lit); pok != wantPlain || (pok && string(plain) != want) {
				t.Fatalf("PlainString(%q) = %q, %v; encoding/json: %q", lit, plain, pok, want)
			}
		}
	})
}

// byUnits decodes a string's inside with Escape, one unit at a time, as
// a reader that maps decoded text back to its raw bytes does.
func byUnits(in string) string {
	var b strings.Builder
	for i := 0; i < len(in); {
		if r, n, ok := Escape(in, i); ok {
			b.WriteRune(r)
			i += n
			continue
		}
		r, n := utf8.DecodeRuneInString(in[i:])
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

func TestUnquoteBytesSharesPlainText(t *testing.T) {
	lit := []byte(`"plain"`)
	got, ok := UnquoteBytes(lit, nil)
	if !ok || &got[0] != &lit[1] {
		t.Errorf("a string without escapes was copied: %q, %v", got, ok)
	}
	buf := make([]byte, 0, 64)
	got, ok = UnquoteBytes([]byte(`"a\nb"`), buf)
	if !ok || string(got) != "a\nb" || &got[0] != &buf[:1][0] {
		t.Errorf("an escaped string was not decoded into buf: %q, %v", got, ok)
	}
}
