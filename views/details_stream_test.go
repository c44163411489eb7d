package views

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/internal/termsafe"
)

// streamBodies are large bodies of every kind the body view tells apart,
// each over streamAbove.
func streamBodies() map[string][]byte {
	var one bytes.Buffer
	one.WriteString(`{"component":"ak-stage-prompt","name":"first","fields":[`)
	for i := 0; one.Len() < 3<<20/2; i++ {
		if i > 0 {
			one.WriteByte(',')
		}
		fmt.Fprintf(&one, `{"field_key":"f%d","label":"Feld \u00e9 %d","tags":[],"meta":{},"n":%d.5e3,"ok":true,"x":null,"s":"a,b]}\"q\\"}`, i, i, i)
	}
	one.WriteString(`]}`)
	var pretty bytes.Buffer
	_ = json.Indent(&pretty, one.Bytes(), "", "    ")

	var text, long, hostile bytes.Buffer
	for i := 0; text.Len() < 3<<20/2; i++ {
		fmt.Fprintf(&text, "line %d of a plain text body, %s\n", i, strings.Repeat("wörds 漢字 ", i%40))
	}
	for long.Len() < 3<<20/2 {
		long.WriteString("one line without end, wide 漢字 and é ")
	}
	for i := 0; hostile.Len() < 3<<20/2; i++ {
		fmt.Fprintf(&hostile, "\x1b]52;c;cGF3bmVk\x07 \x1b[2J\x9b31m \u202etxt\u202c\r\n\ttab\r \xff\xfe %d\x00\x7f\n", i)
	}
	hostileJSON := bytes.ReplaceAll(one.Bytes(), []byte(`Feld \u00e9`), []byte("Feld \u202e\u0085\u009b"))
	truncated := one.Bytes()[:len(one.Bytes())-100]
	var blob bytes.Buffer
	blob.WriteString(`{"component":"xak-flow-error","n":1,"blob":"`)
	for i := 0; blob.Len() < 3<<20/2; i++ {
		fmt.Fprintf(&blob, `chunk %d: \"quoted\" \\ back\\slash \u00e9\ud83d\ude00 é 漢字 \n\t`, i)
	}
	blob.WriteString(`","after":[1,2]}`)
	return map[string][]byte{
		"JSON one line":            one.Bytes(),
		"JSON pretty":              pretty.Bytes(),
		"text":                     text.Bytes(),
		"text, one long line":      long.Bytes(),
		"text, hostile controls":   hostile.Bytes(),
		"JSON, hostile controls":   hostileJSON,
		"JSON cut short (so text)": truncated,
		"JSON, one long string":    blob.Bytes(),
		"JSON array of one string": []byte(`["` + strings.Repeat(`a\"\\é漢 `, 3<<20/20) + `"]`),
		// Every cut at an even length falls between a backslash and
		// the character it escapes.
		"JSON string of escapes":     []byte(`[ "` + strings.Repeat(`\\`, 3<<20/4) + `"]`),
		"JSON array, leading spaces": append([]byte("  \n\t"), append([]byte("["), append(one.Bytes(), ']', '\n')...)...),
	}
}

// The beginning shown while a large body streams in is the beginning of
// the whole layout, screen line for screen line: nothing shifts or
// changes when the whole arrives. Checked for JSON (one line and pretty),
// text (many lines and one endless line), hostile control characters in
// either, and a JSON body cut short, which is shown as text.
func TestStreamedBeginningIsTheWholeLayoutsBeginning(t *testing.T) {
	th := NewTheme()
	for name, body := range streamBodies() {
		for _, width := range []int{80, 200} {
			in := tabInput{th: th, has: true, tab: TabResponse, width: width,
				x: ExchangeDetail{ID: 1, ResponseBody: body, Diagnosis: "a diagnosis\nover two lines"}}
			const want = 120
			part, ok := layoutPrefix(in, want)
			if !ok {
				t.Errorf("%s at %d: no beginning to show", name, width)
				continue
			}
			whole := layoutTab(in)
			if len(part.lines) < want || len(part.lines) >= len(whole.lines) {
				t.Errorf("%s at %d: the beginning has %d lines (whole %d), want at least %d", name, width, len(part.lines), len(whole.lines), want)
				continue
			}
			for i, l := range part.lines {
				w := whole.lines[i]
				if l.plain != w.plain || l.src != w.src || l.piece != w.piece {
					t.Errorf("%s at %d: line %d is\n%q (src %d.%d), the whole layout has\n%q (src %d.%d)", name, width, i, l.plain, l.src, l.piece, w.plain, w.src, w.piece)
					break
				}
			}
		}
	}
}

// A body of 1 MiB or less is laid out whole: no beginning.
func TestSmallBodiesDoNotStream(t *testing.T) {
	in := tabInput{th: NewTheme(), has: true, tab: TabResponse, width: 80,
		x: ExchangeDetail{ID: 1, ResponseBody: bytes.Repeat([]byte("x\n"), streamAbove/2)}}
	if _, ok := layoutPrefix(in, 100); ok {
		t.Fatal("a body of streamAbove bytes should be laid out whole")
	}
}

// The pane shows a large body's beginning with a hint that the rest is
// being laid out, then the whole without the hint; a result for an older
// request is dropped whether it is a beginning or a whole.
func TestDetailsStreamsALargeBody(t *testing.T) {
	bodies := streamBodies()
	d := NewDetails(NewTheme())
	d.SetAsyncAbove(64 << 10)
	d.SetSize(100, 20)
	d.SetExchange(ExchangeDetail{ID: 7, ResponseBody: bodies["JSON one line"]})
	msgs := run(d.TakeRender())
	if len(msgs) != 2 || !msgs[0].(RenderedMsg).Partial() || msgs[1].(RenderedMsg).Partial() {
		t.Fatalf("want a beginning, then the whole; got %d messages", len(msgs))
	}
	if !d.SetRendered(msgs[0].(RenderedMsg)) {
		t.Fatal("the beginning was dropped")
	}
	screen := d.View()
	if !strings.Contains(screen, `"name": "first"`) || !strings.Contains(screen, "laying out 1.5 MiB… (first screen shown)") {
		t.Fatalf("the beginning and a hint should show:\n%s", screen)
	}
	if d.Rendering() == 0 {
		t.Fatal("the whole is still awaited")
	}
	if !d.SetRendered(msgs[1].(RenderedMsg)) {
		t.Fatal("the whole was dropped")
	}
	if screen := d.View(); strings.Contains(screen, "laying out") || !strings.Contains(screen, `"name": "first"`) {
		t.Fatalf("the whole should show without the hint:\n%s", screen)
	}

	// Another exchange between the beginning and the whole.
	d.SetExchange(ExchangeDetail{ID: 8, ResponseBody: bodies["text"]})
	msgs = run(d.TakeRender())
	d.SetRendered(msgs[0].(RenderedMsg))
	d.SetExchange(ExchangeDetail{ID: 9, ResponseBody: []byte(`{"small":true}`)})
	if d.SetRendered(msgs[1].(RenderedMsg)) || strings.Contains(d.View(), "line 0 of") {
		t.Fatalf("#8's layout was shown while #9 is:\n%s", d.View())
	}
}

// While the beginning shows, search waits for the whole: it says so, and
// jumps to the first hit once the whole is laid out.
func TestDetailsSearchWaitsForTheWhole(t *testing.T) {
	body := streamBodies()["text"]
	d := NewDetails(NewTheme())
	d.SetAsyncAbove(64 << 10)
	d.SetSize(100, 20)
	d.SetExchange(ExchangeDetail{ID: 7, ResponseBody: body})
	msgs := run(d.TakeRender())
	d.SetRendered(msgs[0].(RenderedMsg))
	d.SetQuery("line 5000 of")
	if _, total := d.Matches(); total != 0 || !strings.Contains(d.View(), "searching once laid out") {
		t.Fatalf("search should wait for the whole (%d hits):\n%s", total, d.View())
	}
	d.SetRendered(msgs[1].(RenderedMsg))
	if _, total := d.Matches(); total != 1 || !strings.Contains(d.View(), "«line 5000 of»") {
		t.Fatalf("the hit should show once laid out (%d hits):\n%s", total, d.View())
	}
}

// FuzzJSONPrefix: for valid JSON and any length n, the beginning that
// jsonPrefix lays out is the whole pretty-printed document's beginning:
// every line but the open last one equals the whole's line.
func FuzzJSONPrefix(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":"c\"d"}],"e":"\u00e9\\x"}`, `[[],{},"x,y",[1,[2,[3]]]]`, `{"k":"漢字\ud83d\ude00"}`} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, doc string, n int) {
		trimmed := bytes.TrimSpace([]byte(doc))
		if !json.Valid(trimmed) || len(trimmed) < 2 || n < 0 || n >= len(trimmed) {
			return
		}
		p, ok := jsonPrefix(trimmed, n)
		if !ok {
			return
		}
		var buf bytes.Buffer
		if err := json.Indent(&buf, trimmed, "", "  "); err != nil {
			t.Fatal(err)
		}
		whole := strings.Split(termsafe.String(buf.String()), "\n")
		if len(p.lines) > len(whole) {
			t.Fatalf("%d lines from a beginning, %d from the whole", len(p.lines), len(whole))
		}
		for i := 0; i < len(p.lines)-1; i++ {
			if p.lines[i] != whole[i] {
				t.Fatalf("line %d: %q, the whole has %q", i, p.lines[i], whole[i])
			}
		}
	})
}
