package views

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
)

// hostileDiffInput carries h in every piece of text the diff view shows:
// both sides' labels and bodies, the differences, the stage list, the
// reason a side is missing.
func hostileDiffInput(h string) DiffInput {
	body := []byte(`{"component":"ak-stage-password","pending_user":"` + jsonEscape(h) + `","response_errors":{"` +
		jsonEscape(h) + `":[{"string":"` + jsonEscape(h) + `"}]}}`)
	return DiffInput{
		A:       DiffSide{Label: "a" + h, Request: []byte(`{"uid_field":"` + jsonEscape(h) + `"}`), Response: body},
		B:       DiffSide{Label: "b" + h, Request: []byte(`{"uid_field":"x"}` + h), Response: []byte(h)},
		Changes: []DiffChange{{Path: "challenge." + h, Want: h, Got: `"` + h + `"`}},
		Stages:  []DiffStage{{Mark: " ", Text: "run 1: " + h}, {Mark: "~", Text: "password" + h}, {Mark: h, Text: h}},
		Current: 1,
		Missing: "only in " + h,
	}
}

// jsonEscape writes s as the inside of a JSON string, controls escaped,
// as a recording holds them.
func jsonEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r <= 0x9f {
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&0xf])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// A hostile recording's text never reaches the diff view's frames raw,
// unified (80) nor side by side (120), with or without colour.
func TestHostileTextInTheDiffView(t *testing.T) {
	for _, h := range hostileCases() {
		for _, w := range []int{80, 120} {
			drawBoth(t, "diff view "+h, func(th *Theme) string {
				lines, _ := LayoutDiff(th, hostileDiffInput(h), w)
				return RenderDiffView(th, "Diff "+h, lines, 0, w, 60)
			})
		}
	}
}

// FuzzLayoutDiff: laying out and drawing any comparison never panics, and
// the frame holds nothing a terminal would act on (no raw ESC, C1 or bidi
// control), whatever the bodies, labels, paths and stage lines hold, at
// any width.
func FuzzLayoutDiff(f *testing.F) {
	in := hostileDiffInput(termsafetest.All)
	f.Add(in.A.Request, in.A.Response, in.B.Request, in.B.Response, in.A.Label, in.Changes[0].Path, in.Stages[1].Text, 80)
	f.Add([]byte(`{"a":1}`), []byte(`{"b":[1,2,3]}`), []byte(`{"a":2}`), []byte(`{"b":[1,3]}`), "#5 POST", "answer.a", "password 200", 120)
	f.Add([]byte{}, []byte{}, []byte{}, []byte{}, "", "", "", 0)
	th := NewTheme()
	f.Fuzz(func(t *testing.T, reqA, respA, reqB, respB []byte, label, path, stage string, width int) {
		if len(reqA)+len(respA)+len(reqB)+len(respB) > 1<<16 || width < -10 || width > 400 {
			return
		}
		in := DiffInput{
			A: DiffSide{Label: label, Request: reqA, Response: respA}, B: DiffSide{Label: stage, Request: reqB, Response: respB},
			Changes: []DiffChange{{Path: path, Want: label, Got: stage}},
			Stages:  []DiffStage{{Mark: "~", Text: stage}, {Mark: stage, Text: label}}, Current: 0, Missing: path,
		}
		lines, hunks := LayoutDiff(th, in, width)
		for _, h := range hunks {
			if h < 0 || h >= len(lines) {
				t.Fatalf("hunk at line %d of %d", h, len(lines))
			}
		}
		frame := RenderDiffView(th, label, lines, len(lines)/2, max(width, 0), 24)
		if bad := termsafetest.Find(strings.Join(lines, "\n")+"\n"+frame, false); bad != "" {
			t.Fatalf("the diff view holds %s", bad)
		}
	})
}
