// Package termbg decides whether the terminal's background is dark, for
// lipgloss's adaptive colours and the choice of highlighting style, without
// letting a terminal query hold up akinspect.
//
// Bubble Tea v1 asks lipgloss for the background in its package init, so
// that the answer is in before a program owns the terminal. lipgloss
// (termenv) then sends the query (OSC 11) whenever stdout is a terminal,
// even when COLORFGBG or NO_COLOR already settle it, and waits up to five
// seconds for a terminal that does not answer: every command paid for it,
// --version included. This package's init runs first (packages initialize
// in import-path order once their imports are done, and akinspect's sort
// before charmbracelet's; it imports nothing Bubble Tea does not) and
// hands lipgloss a value with SetHasDarkBackground, so neither lipgloss
// nor Bubble Tea queries:
//
//   - no terminal on stdout: nothing to do (lipgloss does not query, and a
//     value set with SetHasDarkBackground, as tests do, stands);
//   - no colour (NO_COLOR, a monochrome profile): dark, the answer does
//     not matter;
//   - COLORFGBG: its background colour;
//   - else dark, for now: Dark asks the terminal once, bounded by Timeout,
//     when the TUI builds its theme (headless commands never ask).
package termbg

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"
)

// Timeout bounds the wait for the terminal's answer. A local terminal
// answers in a few milliseconds; over ssh it is one round trip. The query
// is followed by a cursor-position request that every terminal answers,
// so a terminal without OSC 11 costs one round trip, not the timeout.
const Timeout = 250 * time.Millisecond

var (
	pending bool // stdout is a terminal and the environment did not say
	once    sync.Once
)

func init() {
	if !stdoutIsTerminal() {
		return
	}
	dark, known := fromEnv(os.Getenv, lipgloss.ColorProfile())
	pending = !known
	lipgloss.SetHasDarkBackground(dark || !known)
}

func stdoutIsTerminal() bool {
	w, ok := lipgloss.DefaultRenderer().Output().Writer().(interface{ Fd() uintptr })
	return ok && term.IsTerminal(w.Fd())
}

// Dark reports whether the terminal's background is dark. The first call
// asks the terminal if the environment did not say (see the package doc);
// call it before a Bubble Tea program starts reading input.
func Dark() bool {
	once.Do(func() {
		if pending {
			dark, known := query(Timeout)
			lipgloss.SetHasDarkBackground(dark || !known)
		}
	})
	return lipgloss.HasDarkBackground()
}

// Set decides the background without asking the terminal (a config file
// that says dark or light).
func Set(dark bool) {
	once.Do(func() {})
	pending = false
	lipgloss.SetHasDarkBackground(dark)
}

// fromEnv answers from the environment when it can: without colour
// the answer does not matter (dark), and COLORFGBG ("15;0", "0;default;15")
// names the background's colour index.
func fromEnv(getenv func(string) string, p termenv.Profile) (dark, known bool) {
	if getenv("NO_COLOR") != "" || p == termenv.Ascii {
		return true, true
	}
	return colorFGBGDark(getenv("COLORFGBG"))
}

// colorFGBGDark reads COLORFGBG's last field, the background's index among
// the 16 ANSI colours: 0–6 and 8 are dark, 7 and 9–15 light (rxvt's rule,
// which Vim and Emacs follow too). "default" and anything else is unknown.
func colorFGBGDark(v string) (dark, known bool) {
	i := strings.LastIndexByte(v, ';')
	if i < 0 {
		return false, false
	}
	bg, err := strconv.Atoi(v[i+1:])
	if err != nil || bg < 0 || bg > 15 {
		return false, false
	}
	return bg <= 6 || bg == 8, true
}

// query asks the controlling terminal (/dev/tty) for its background.
func query(timeout time.Duration) (dark, known bool) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return false, false
	}
	defer tty.Close()
	// tty.Fd() would put the file in blocking mode, and read deadlines
	// would stop working: the raw mode is set through the raw fd.
	rc, err := tty.SyscallConn()
	if err != nil {
		return false, false
	}
	var state *term.State
	if err := rc.Control(func(fd uintptr) { state, err = term.MakeRaw(fd) }); err != nil || state == nil {
		return false, false
	}
	defer func() { _ = rc.Control(func(fd uintptr) { _ = term.Restore(fd, state) }) }()
	return askBackground(tty, timeout)
}

// deadlineReadWriter is a terminal whose reads can time out.
type deadlineReadWriter interface {
	io.ReadWriter
	SetReadDeadline(time.Time) error
}

// askBackground sends the background query and a cursor-position request
// and reads until the cursor position comes back or the time is up. A
// file without read deadlines is not asked at all.
func askBackground(rw deadlineReadWriter, timeout time.Duration) (dark, known bool) {
	if rw.SetReadDeadline(time.Now().Add(timeout)) != nil {
		return false, false
	}
	if _, err := rw.Write([]byte(ansi.RequestBackgroundColor + ansi.RequestCursorPositionReport)); err != nil {
		return false, false
	}
	var buf []byte
	chunk := make([]byte, 64)
	for len(buf) < 256 && !cursorReportIn(buf) {
		n, err := rw.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil {
			break
		}
	}
	return backgroundReplyDark(buf)
}

// cursorReportIn reports whether b holds a cursor-position report
// (ESC [ row ; col R), the answer that comes after the background's.
func cursorReportIn(b []byte) bool {
	for i := bytes.Index(b, []byte("\x1b[")); i >= 0; {
		j := i + 2
		for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == ';') {
			j++
		}
		if j < len(b) && b[j] == 'R' {
			return true
		}
		k := bytes.Index(b[i+2:], []byte("\x1b["))
		if k < 0 {
			break
		}
		i += 2 + k
	}
	return false
}

// backgroundReplyDark reads an OSC 11 answer (ESC ] 11 ; rgb:rrrr/gggg/bbbb
// ended by BEL or ST) out of what the terminal sent; dark is an HSL
// lightness under one half, as lipgloss decides.
func backgroundReplyDark(b []byte) (dark, known bool) {
	s := string(b)
	i := strings.Index(s, "\x1b]11;")
	if i < 0 {
		return false, false
	}
	s = s[i+len("\x1b]11;"):]
	end := strings.IndexAny(s, "\a\x1b")
	if end < 0 {
		return false, false
	}
	c := ansi.XParseColor(s[:end])
	if c == nil {
		return false, false
	}
	r, g, bl, _ := c.RGBA()
	hi, lo := max(r, g, bl), min(r, g, bl)
	return hi+lo < 0xffff, true
}
