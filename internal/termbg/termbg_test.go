package termbg

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/muesli/termenv"
)

func TestFromEnv(t *testing.T) {
	for _, c := range []struct {
		env         map[string]string
		profile     termenv.Profile
		dark, known bool
	}{
		{map[string]string{"NO_COLOR": "1", "COLORFGBG": "0;15"}, termenv.TrueColor, true, true},
		{nil, termenv.Ascii, true, true},
		{map[string]string{"COLORFGBG": "15;0"}, termenv.TrueColor, true, true},
		{map[string]string{"COLORFGBG": "0;15"}, termenv.ANSI256, false, true},
		{map[string]string{"COLORFGBG": "0;default;8"}, termenv.ANSI, true, true},
		{map[string]string{"COLORFGBG": "0;7"}, termenv.ANSI, false, true},
		{map[string]string{"COLORFGBG": "15;default"}, termenv.ANSI, false, false},
		{map[string]string{"COLORFGBG": "15;99"}, termenv.ANSI, false, false},
		{map[string]string{"COLORFGBG": "garbage"}, termenv.ANSI, false, false},
		{nil, termenv.TrueColor, false, false},
	} {
		dark, known := fromEnv(func(k string) string { return c.env[k] }, c.profile)
		if dark != c.dark || known != c.known {
			t.Errorf("%v %v: dark %v known %v, want %v %v", c.env, c.profile, dark, known, c.dark, c.known)
		}
	}
}

// fakeTTY answers the queries with what reply holds, through a pipe so
// that reads can time out.
type fakeTTY struct {
	*os.File // read end
	sent     []byte
}

func (f *fakeTTY) Write(p []byte) (int, error) { f.sent = append(f.sent, p...); return len(p), nil }

func newFakeTTY(t *testing.T, reply string) *fakeTTY {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	go func() { _, _ = io.WriteString(w, reply) }() // and the write end stays open
	return &fakeTTY{File: r}
}

func TestAskBackground(t *testing.T) {
	for _, c := range []struct {
		name, reply string
		dark, known bool
	}{
		{"dark, BEL", "\x1b]11;rgb:0000/0000/0000\a\x1b[12;1R", true, true},
		{"light, ST", "\x1b]11;rgb:ffff/ffff/f0f0\x1b\\\x1b[1;1R", false, true},
		{"dark blue", "\x1b]11;rgb:1e1e/1e1e/2e2e\a\x1b[3;40R", true, true},
		{"no OSC 11: the cursor report ends the wait", "\x1b[5;5R", false, false},
		{"nonsense", "\x1b]11;what\a\x1b[1;1R", false, false},
		// No answer at all: the deadline ends the wait.
		{"silent", "", false, false},
	} {
		tty := newFakeTTY(t, c.reply)
		dark, known := askBackground(tty, 50*time.Millisecond)
		if dark != c.dark || known != c.known {
			t.Errorf("%s: dark %v known %v, want %v %v", c.name, dark, known, c.dark, c.known)
		}
		if string(tty.sent) != "\x1b]11;?\a\x1b[6n" {
			t.Errorf("%s: sent %q", c.name, tty.sent)
		}
	}
}
