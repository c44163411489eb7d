package model

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// runCmd runs a command tree to its messages (one level of batches).
func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runCmd(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// pressRun presses a key and hands every message its command brings back
// to the model.
func pressRun(m *Model, k string) {
	for _, msg := range runCmd(m.update(keyMsg(k))) {
		m.update(msg)
	}
}

// y writes exactly the shown body, base64-encoded, in one OSC 52 sequence
// to the program's output, and the status line says what was copied.
func TestCopyWritesTheShownBodyAsOSC52(t *testing.T) {
	var out bytes.Buffer
	var lib []string
	run := loadSimRun(t, "login")
	m := run.model(t, Options{Clipboard: &out, ClipboardFallback: func(s string) error { lib = append(lib, s); return nil }}, 120, 40)
	run.feed(m, 2)
	press(t, m, "esc") // out of the password field
	body, _ := m.details.Shown()
	x := m.session.get(m.shownID)
	if !bytes.Equal(body, x.ResponseBody) || len(body) == 0 {
		t.Fatalf("the shown body is not the response body of #%d", m.shownID)
	}
	pressRun(m, "y")
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString(x.ResponseBody) + "\x07"
	if out.String() != want {
		t.Fatalf("OSC 52 bytes:\n%q\nwant\n%q", out.String(), want)
	}
	if len(lib) != 1 || lib[0] != string(x.ResponseBody) {
		t.Fatal("the clipboard library did not get the body too")
	}
	if !strings.Contains(m.status, fmt.Sprintf("copied the response body of #%d (%d bytes)", m.shownID, len(body))) {
		t.Fatalf("status: %q", m.status)
	}
	// On the URL tab y copies the whole URL.
	out.Reset()
	m.setFocus(focusDetails)
	pressRun(m, "8")
	pressRun(m, "y")
	if want := osc52(x.URL); out.String() != want {
		t.Fatalf("URL tab: %q, want %q", out.String(), want)
	}
}

// Y copies a curl command for the shown exchange with the cookies of that
// moment (the jar after the exchange before it).
func TestCopyCurlUsesTheLiveJarOfThatMoment(t *testing.T) {
	var out bytes.Buffer
	run := loadSimRun(t, "login")
	m := run.model(t, Options{Clipboard: &out}, 120, 40)
	run.feed(m, 3) // the wrong password's POST and its answer
	press(t, m, "esc")
	pressRun(m, "Y")
	raw := strings.TrimSuffix(strings.TrimPrefix(out.String(), "\x1b]52;c;"), "\x07")
	text, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		t.Fatalf("not an OSC 52 sequence: %q", out.String())
	}
	x := m.session.get(m.shownID)
	var jar []transport.Cookie
	for _, y := range sessionExchanges(m) {
		if y.ID < x.ID {
			jar = y.Jar
		}
	}
	if len(jar) == 0 {
		t.Fatal("test premise: the session has cookies before the shown exchange")
	}
	for _, c := range jar {
		if !strings.Contains(string(text), c.Name+"="+c.Value) {
			t.Errorf("the curl command lacks cookie %s of that moment:\n%s", c.Name, text)
		}
	}
	if !strings.Contains(string(text), "curl ") || !strings.Contains(m.status, fmt.Sprintf("curl command for #%d", x.ID)) {
		t.Fatalf("curl %q, status %q", text, m.status)
	}
}

func TestCopyWithoutAnyClipboardSaysSo(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{ClipboardFallback: func(string) error { return errors.New("no xclip") }}, 120, 40)
	run.feed(m, 1)
	press(t, m, "esc")
	pressRun(m, "y")
	if !m.statusErr || !strings.Contains(m.status, "no clipboard") {
		t.Fatalf("status %q", m.status)
	}
}

// H hides the inspector reads of a live session and shows them again;
// a restart puts a separator row into the timeline.
func TestLiveFilterAndRunSeparators(t *testing.T) {
	run := loadSimRun(t, "login-inspected")
	m := run.model(t, Options{}, 120, 40)
	for i := range run.steps {
		run.deliver(m, i)
		liveOf(m).ingest(run.aside[i])
	}
	all := m.timeline.Len()
	press(t, m, "esc")
	press(t, m, "H")
	if m.timeline.Len() >= all || strings.Contains(m.timeline.View(), "inspector") {
		t.Fatalf("H left %d of %d rows:\n%s", m.timeline.Len(), all, m.View())
	}
	if !strings.Contains(m.status, "inspector read") {
		t.Fatalf("status %q", m.status)
	}
	press(t, m, "H")
	if m.timeline.Len() != all {
		t.Fatalf("H again: %d rows, want %d", m.timeline.Len(), all)
	}
	press(t, m, "R") // restart: the separator comes at once
	if !strings.Contains(m.View(), "── restart · default-authentication-flow ─") {
		t.Fatalf("no separator after R:\n%s", m.View())
	}
	m.refreshRows() // a full refresh keeps it where it was
	if !strings.Contains(m.View(), "── restart · default-authentication-flow ─") {
		t.Fatalf("the separator went away on a refresh:\n%s", m.View())
	}
}

// A click on a timeline row shows that exchange.
func TestClickOnATimelineRowSelectsIt(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 3)
	r := m.rects.timeline
	// Line r.y is the border, r.y+1 the column header, r.y+2 row #1.
	click := tea.MouseMsg{X: r.x + 5, Y: r.y + 3, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft}
	deliverPaneMsgs(m, m.update(click))
	if m.focus != focusTimeline || m.shownID != 2 || m.followNewest {
		t.Fatalf("after a click on row 2: focus=%d shown=#%d live=%v", m.focus, m.shownID, m.followNewest)
	}
}

func TestGoldenPalette(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			run := loadSimRun(t, "login")
			m := run.model(t, Options{}, size[0], size[1])
			run.feed(m, 4)
			press(t, m, "esc")
			press(t, m, ":")
			typeText(m, "cop")
			screen := m.View()
			assertScreenSize(t, screen, size[0], size[1])
			golden.RequireEqual(t, []byte(screen))
		})
	}
}

// The palette lists the mode's actions with their keys, filters them, and
// runs the chosen one as its key would.
func TestPaletteRunsTheChosenAction(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{}, 120, 40)
	run.feed(m, 2)
	press(t, m, "esc")
	press(t, m, ":")
	if m.overlay.kind != overlayPalette {
		t.Fatal(": did not open the palette")
	}
	names := map[string]string{}
	for _, it := range m.palette.Items() {
		a := it.(action)
		names[a.name] = a.keyName
	}
	for name, k := range map[string]string{"zoom pane": "z", "copy as curl": "Y", "restart flow": "R", "details: url tab": "8", "quit": "q"} {
		if names[name] != k {
			t.Errorf("palette: %q has key %q, want %q (%v)", name, names[name], k, names)
		}
	}
	typeText(m, "zoom")
	press(t, m, "enter")
	if m.overlay.kind != overlayNone || !m.zoomed {
		t.Fatalf("the palette's zoom did not zoom: overlay=%d zoomed=%v", m.overlay.kind, m.zoomed)
	}
	press(t, m, ":")
	typeText(m, "url tab")
	press(t, m, "enter")
	if m.details.Tab() != views.TabURL || m.focus != focusDetails {
		t.Fatalf("the palette's URL tab: tab %q focus %d", m.details.Tab(), m.focus)
	}
	press(t, m, ":")
	press(t, m, "esc")
	if m.overlay.kind != overlayNone {
		t.Fatal("esc did not close the palette")
	}
}
