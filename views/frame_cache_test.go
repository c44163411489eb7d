package views

import (
	"strings"
	"testing"
	"unsafe"
)

// A pane keeps its last frame while nothing it shows changed (the very
// same string comes back), and draws a new one as soon as its rows, its
// focus or its size change: a stale frame would show the wrong screen.
func TestAPaneFramesItselfOnceUntilItChanges(t *testing.T) {
	tl := NewTimeline(NewTheme())
	tl.SetSize(38, 8)
	tl.Append(ExchangeRow{ID: 1, Method: "GET", Path: "/flows/", Status: 200})
	first := tl.Framed(false, 40, 10)
	if again := tl.Framed(false, 40, 10); unsafe.StringData(again) != unsafe.StringData(first) {
		t.Fatal("an unchanged pane was framed again")
	}
	if got := tl.Framed(true, 40, 10); !strings.Contains(got, FocusMark) {
		t.Fatalf("focus is not in the new frame:\n%s", got)
	}
	tl.Append(ExchangeRow{ID: 2, Method: "POST", Path: "/flows/", Status: 302})
	if got := tl.Framed(true, 40, 10); !strings.Contains(got, "POST") {
		t.Fatalf("the new row is not in the frame:\n%s", got)
	}
	tl.SetSize(48, 8)
	if got := tl.Framed(true, 50, 10); len(strings.Split(got, "\n")[1]) == len(strings.Split(first, "\n")[1]) {
		t.Fatalf("the frame kept its old width:\n%s", got)
	}
}
