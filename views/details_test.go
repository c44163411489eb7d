package views

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func TestDetailsSearchFindsMatches(t *testing.T) {
	d := NewDetails(NewTheme())
	d.SetSize(70, 12)
	d.SetExchange(sampleExchange())
	d.Focus()
	run(d.Update(keyMsg("/")))
	if !d.CapturesKeys() {
		t.Fatal("typing a search captures keys")
	}
	typeKeys(d, "password")
	d.Update(keyMsg("enter"))
	if d.CapturesKeys() {
		t.Fatal("enter ends typing")
	}
	cur, total := d.Matches()
	// "ak-stage-password", "allow_show_password", "password": [, "Invalid password"
	if total != 4 || cur != 1 {
		t.Fatalf("matches %d/%d, want 1/4", cur, total)
	}
	if !strings.Contains(d.View(), "1/4") {
		t.Fatalf("match count not shown:\n%s", d.View())
	}
	d.Update(keyMsg("n"))
	d.Update(keyMsg("n"))
	d.Update(keyMsg("n"))
	if cur, _ = d.Matches(); cur != 4 {
		t.Fatalf("n three times: on %d", cur)
	}
	// The last match is far down: the viewport followed it.
	if d.YOffset() == 0 || !strings.Contains(d.View(), "Invalid «password»") {
		t.Fatalf("viewport should show the current match:\n%s", d.View())
	}
	d.Update(keyMsg("n"))
	if cur, _ = d.Matches(); cur != 1 {
		t.Fatalf("n wraps to the first match, on %d", cur)
	}
	d.Update(keyMsg("N"))
	if cur, _ = d.Matches(); cur != 4 {
		t.Fatalf("N wraps back, on %d", cur)
	}
	d.Update(keyMsg("esc"))
	if _, total = d.Matches(); total != 0 || strings.Contains(d.View(), "«") {
		t.Fatal("esc clears the search")
	}
}

func TestDetailsSearchIsSmartCase(t *testing.T) {
	lines := []string{"Password password PASSWORD"}
	if n := len(findMatches(lines, "password")); n != 3 {
		t.Fatalf("lower-case query ignores case: %d", n)
	}
	if n := len(findMatches(lines, "Password")); n != 1 {
		t.Fatalf("a capital makes it exact: %d", n)
	}
}

func TestDetailsTabsAndKeys(t *testing.T) {
	d := NewDetails(NewTheme())
	d.SetSize(80, 20)
	d.SetExchange(sampleExchange())
	d.Focus()
	if d.Tab() != TabResponse {
		t.Fatalf("starts on %s", d.Tab())
	}
	d.Update(keyMsg("]"))
	if d.Tab() != TabRequest || !strings.Contains(d.View(), `"password": "hunter2"`) {
		t.Fatalf("] goes to the request:\n%s", d.View())
	}
	d.Update(keyMsg("5"))
	if d.Tab() != TabCookies || !strings.Contains(d.View(), "~ authentik_session") || !strings.Contains(d.View(), "+ authentik_csrf") {
		t.Fatalf("5 shows the cookie jar with changes marked:\n%s", d.View())
	}
	d.Update(keyMsg("["))
	d.Update(keyMsg("["))
	if d.Tab() != TabReqHeaders {
		t.Fatalf("[ twice from Cookies: %s", d.Tab())
	}
	d.Update(keyMsg("7"))
	if d.Tab() != TabReqHeaders {
		t.Fatal("no Inspector tab without inspector text")
	}
	d.SetInspector("Stages done\n  ✓ identification")
	d.Update(keyMsg("7"))
	if d.Tab() != TabInspector || !strings.Contains(d.View(), "✓ identification") {
		t.Fatalf("inspector tab:\n%s", d.View())
	}
	d.SetInspector("")
	if d.Tab() != TabResponse {
		t.Fatal("removing the inspector leaves its tab")
	}
	msgs := run(d.Update(keyMsg("e")))
	if len(msgs) != 1 || !bytes.Equal(msgs[0].(EditorMsg).Body, sampleExchange().ResponseBody) {
		t.Fatalf("e hands the raw response body to the editor: %#v", msgs)
	}
}

func TestDetailsScrollKeys(t *testing.T) {
	d := NewDetails(NewTheme())
	d.SetSize(60, 8)
	d.SetExchange(sampleExchange())
	d.Focus()
	d.Update(keyMsg("j"))
	d.Update(keyMsg("j"))
	if d.YOffset() != 2 {
		t.Fatalf("j twice: offset %d", d.YOffset())
	}
	d.Update(keyMsg("G"))
	if v := d.View(); !strings.HasPrefix(strings.Split(v, "\n")[7], "}") {
		t.Fatalf("G shows the end:\n%s", v)
	}
	d.Update(keyMsg("g"))
	if d.YOffset() != 0 {
		t.Fatal("g goes to the top")
	}
}

// bigJSON is a JSON body of about n bytes.
func bigJSON(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"component":"ak-stage-prompt","items":[`)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"user-%d","email":"user%d@example.com","groups":["admins","staff"],"active":true}`, i, i, i)
	}
	b.WriteString(`],"needle":"the-end"}`)
	return b.Bytes()
}

func TestDetailsHugeBodyShownPlain(t *testing.T) {
	withProfile(t, termenv.TrueColor)
	body := bigJSON(highlightLimit + 400<<10)
	d := NewDetails(NewTheme())
	d.SetSize(100, 30)
	d.SetExchange(ExchangeDetail{ID: 1, Title: "big", ResponseBody: body})
	d.Focus()
	v := d.View()
	requireSize(t, v, 100, 30)
	if !strings.Contains(ansi.Strip(v), "1.4 MiB body shown without highlighting") {
		t.Fatalf("note missing:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, `"id"`) && strings.Contains(l, "\x1b") {
			t.Fatalf("a body over 1 MiB must not be highlighted: %q", l)
		}
	}
	// Search still covers the whole body, including its very end.
	typeKeys(d, "/the-end")
	d.Update(keyMsg("enter"))
	lipgloss.SetColorProfile(termenv.Ascii) // matches in brackets, easy to find
	d.Update(keyMsg("N"))
	if _, total := d.Matches(); total != 1 || !strings.Contains(d.View(), "«the-end»") {
		t.Fatalf("search in a huge body:\n%s", d.View())
	}
}

func TestRenderBodySanitizesControls(t *testing.T) {
	r := renderBody(NewTheme(), []byte("a\x1b[2Jb\tc\r\n"))
	if s := strings.Join(r.lines, "\n"); strings.ContainsAny(s, "\x1b\r\t") {
		t.Fatalf("control characters reach the terminal: %q", s)
	}
	j := renderBody(NewTheme(), []byte(`{"a":"\u009b31m"}`))
	if s := strings.Join(j.lines, "\n"); strings.ContainsRune(s, '\u009b') {
		t.Fatalf("C1 controls inside JSON strings reach the terminal: %q", s)
	}
}

func FuzzDetailsView(f *testing.F) {
	f.Add([]byte(`{"a":[1,2,{"b":"c"}]}`), 40, 10)
	f.Add([]byte("<html>\x1b[31m\t</html>"), 5, 3)
	f.Add([]byte("日本語のテキスト、とても長い行がここにあります。"), 7, 4)
	f.Add([]byte("균"), 0, 4) // a wide rune in a one-cell pane (issue 8)
	th := NewTheme()
	f.Fuzz(func(t *testing.T, body []byte, w, h int) {
		w, h = 1+int(uint(w)%160), 1+int(uint(h)%60)
		d := NewDetails(th)
		d.SetSize(w, h)
		d.SetExchange(ExchangeDetail{ID: 1, ResponseBody: body, RequestBody: body})
		requireSize(t, d.View(), w, h)
	})
}

func TestDetailsSameExchangeKeepsScroll(t *testing.T) {
	d := NewDetails(NewTheme())
	d.SetSize(60, 8)
	x := sampleExchange()
	d.SetExchange(x)
	d.Focus()
	d.Update(keyMsg("j"))
	d.Update(keyMsg("j"))
	x.Cookies = nil // the same exchange, updated
	d.SetExchange(x)
	if d.YOffset() != 2 {
		t.Fatalf("refreshing the shown exchange jumped to %d", d.YOffset())
	}
	y := sampleExchange()
	y.ID = 6
	d.SetExchange(y)
	if d.YOffset() != 0 {
		t.Fatal("another exchange starts at the top")
	}
}
