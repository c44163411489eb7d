package jsonscan

import "testing"

func TestPlainStringIsTheLiteralsOwnText(t *testing.T) {
	for lit, want := range map[string]string{`"abc"`: "abc", `""`: "", `"é ünïcode"`: "é ünïcode"} {
		if got, ok := PlainString([]byte(lit)); !ok || string(got) != want {
			t.Errorf("PlainString(%s) = %q, %v; want %q", lit, got, ok, want)
		}
	}
	// An escape or a bad byte changes the text when decoded; a value
	// that is not a whole string literal has none.
	for _, lit := range []string{`"a\"b"`, `"\u0041"`, "\"bad \xff utf8\"", `"open`, `"`, `null`, `12`, ``} {
		if got, ok := PlainString([]byte(lit)); ok {
			t.Errorf("PlainString(%q) = %q, a plain string", lit, got)
		}
	}
}
