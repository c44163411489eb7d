// Package curl writes an exchange's request as a curl command line, the
// way `akinspect export --curl` and the TUI's copy print it.
package curl

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

// curlSkipHeaders are set by curl itself or replaced by -b.
var curlSkipHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Cookie": true, "Accept-Encoding": true, "Connection": true,
}

// Command prints a shell command that repeats the exchange's request with the
// cookies of jar (pass the jar before the exchange: history.Recording.JarBefore).
// With a nil jar the recorded Cookie header is used. The command prints the
// response's status line and headers (-i), so a 302 and its Location show.
// Redacted values stay markers; a comment line before the command then
// names each of them once, as what to fill in:
//
//	# placeholders: password, cookie authentik_session — replace them before running
//
// The output is safe to print: characters a terminal would act on are
// quoted as \xHH escapes in the command and made visible in the comment,
// which never spans more than its one line.
func Command(e *transport.Exchange, jar []transport.Cookie) string {
	var b strings.Builder
	var marks placeholders
	b.WriteString("curl -sS -i")
	if e.Method != "" && e.Method != "GET" && !(e.Method == "POST" && len(e.RequestBody) > 0) {
		b.WriteString(" -X " + shellQuote(e.Method))
	}
	marks.find(e.URL)
	b.WriteString(" " + shellQuote(e.URL))
	keys := make([]string, 0, len(e.RequestHeader))
	for k := range e.RequestHeader {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if curlSkipHeaders[k] {
			continue
		}
		for _, v := range e.RequestHeader[k] {
			marks.find(k + ": " + v)
			b.WriteString(" \\\n  -H " + shellQuote(k+": "+v))
		}
	}
	cookies := cookieLine(e.URL, e.Start, jar)
	if jar == nil {
		cookies = strings.Join(e.RequestHeader.Values("Cookie"), "; ")
	}
	if cookies != "" {
		marks.find(cookies)
		b.WriteString(" \\\n  -b " + shellQuote(cookies))
	}
	if len(e.RequestBody) > 0 {
		marks.find(string(e.RequestBody))
		b.WriteString(" \\\n  --data-raw " + shellQuote(string(e.RequestBody)))
	}
	return marks.comment() + b.String()
}

// placeholders collects the redaction markers of a command, each once, in
// the order they first appear.
type placeholders struct {
	names []string
	seen  map[string]bool
}

func (p *placeholders) find(s string) {
	for _, name := range redact.MarkerNames(s) {
		if p.seen[name] {
			continue
		}
		if p.seen == nil {
			p.seen = map[string]bool{}
		}
		p.seen[name] = true
		p.names = append(p.names, name)
	}
}

// comment is the line that names the placeholders ("" when there are
// none): "cookie:authentik_session" reads "cookie authentik_session". A
// name comes from the recording, so it is made safe for one line: a line
// feed in it would end the comment and run the rest as a command.
func (p *placeholders) comment() string {
	if len(p.names) == 0 {
		return ""
	}
	shown := make([]string, len(p.names))
	for i, n := range p.names {
		if kind, rest, ok := strings.Cut(n, ":"); ok && (kind == "cookie" || kind == "header" || kind == "url") {
			n = kind + " " + rest
		}
		shown[i] = termsafe.Line(n)
	}
	return "# placeholders: " + strings.Join(shown, ", ") + " — replace them before running\n"
}

// cookieLine is the Cookie header the client sent to rawURL at from jar:
// the cookies of jar that transport.Cookie.AppliesTo sends.
func cookieLine(rawURL string, at time.Time, jar []transport.Cookie) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	var parts []string
	for _, c := range jar {
		if c.AppliesTo(u, at) {
			parts = append(parts, c.Name+"="+c.Value)
		}
	}
	return strings.Join(parts, "; ")
}

// shellQuote quotes s for POSIX shells: in single quotes, or, when s holds
// characters a terminal would act on (an escape sequence in a crafted URL,
// a C1 or bidi control in a body), in dollar-single quotes with those
// bytes as \xHH escapes, so that the command is safe to show and still
// sends s byte for byte.
func shellQuote(s string) string {
	if termsafe.String(s) == s {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		_, n := utf8.DecodeRuneInString(s[i:])
		ch := s[i : i+n]
		i += n
		switch {
		case ch == "'" || ch == "\\":
			b.WriteString("\\" + ch)
		case ch == "\n":
			b.WriteString(`\n`)
		case termsafe.Line(ch) != ch:
			for j := 0; j < len(ch); j++ {
				fmt.Fprintf(&b, `\x%02x`, ch[j])
			}
		default:
			b.WriteString(ch)
		}
	}
	b.WriteString("'")
	return b.String()
}
