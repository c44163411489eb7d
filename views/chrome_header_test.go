package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// At 80 columns the recording's file name is cut, then left out, before
// the host, flow, step or state are dropped.
func TestHeaderCutsRecordingNameBeforeHost(t *testing.T) {
	th := NewTheme()
	s := HeaderState{Host: "127.0.0.1:45099", Flow: "default-authentication-flow", Step: 3, State: "idle",
		Recording: "/home/a/.local/state/akinspect/recordings/20261126T135715.000Z-default-authentication-flow.akinspect.jsonl"}
	for _, w := range []int{80, 100, 120} {
		h := ansi.Strip(RenderHeader(th, s, w))
		if ansi.StringWidth(h) != w {
			t.Fatalf("width %d: header is %d cells", w, ansi.StringWidth(h))
		}
		for _, part := range []string{"127.0.0.1:45099", "default-authentication-flow", "step 3", "idle", "● rec"} {
			if !strings.Contains(h, part) {
				t.Errorf("width %d: %q missing from %q", w, part, h)
			}
		}
		if strings.Contains(h, "recordings/") {
			t.Errorf("width %d: the header shows the directory, not the base name: %q", w, h)
		}
	}
	if h := ansi.Strip(RenderHeader(th, s, 120)); !strings.Contains(h, "rec 20261126T135715.000Z-default-") {
		t.Errorf("at 120 columns the base name shows, cut: %q", h)
	}
	// With a short flow slug the whole name fits beside the host.
	s.Flow = "login"
	if h := ansi.Strip(RenderHeader(th, s, 120)); !strings.Contains(h, "default-authentication-flow.akinspect.jsonl") {
		t.Errorf("the whole name should fit: %q", h)
	}
}

// A recording that failed is marked as stopped in place of "● rec".
func TestHeaderMarksAStoppedRecording(t *testing.T) {
	s := HeaderState{Host: "127.0.0.1:45099", Flow: "login", State: "idle", Recording: "/tmp/x.akinspect.jsonl", RecordingStopped: true}
	h := ansi.Strip(RenderHeader(NewTheme(), s, 100))
	if !strings.Contains(h, "rec stopped") || strings.Contains(h, "●") {
		t.Fatalf("header %q should say the recording stopped", h)
	}
}
