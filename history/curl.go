package history

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

// curlSkipHeaders are set by curl itself or replaced by -b.
var curlSkipHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Cookie": true, "Accept-Encoding": true, "Connection": true,
}

// Curl prints a shell command that repeats the exchange's request with the
// cookies of jar (pass the jar before the exchange: Recording.JarBefore).
// With a nil jar the recorded Cookie header is used. Redacted values stay
// markers; the command then shows what to fill in. The command is safe to
// print: characters a terminal would act on are quoted as \xHH escapes.
func Curl(e *transport.Exchange, jar []transport.Cookie) string {
	var b strings.Builder
	b.WriteString("curl -sS")
	if e.Method != "" && e.Method != "GET" && !(e.Method == "POST" && len(e.RequestBody) > 0) {
		b.WriteString(" -X " + shellQuote(e.Method))
	}
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
			b.WriteString(" \\\n  -H " + shellQuote(k+": "+v))
		}
	}
	cookies := cookieLine(e.URL, jar)
	if jar == nil {
		cookies = strings.Join(e.RequestHeader.Values("Cookie"), "; ")
	}
	if cookies != "" {
		b.WriteString(" \\\n  -b " + shellQuote(cookies))
	}
	if len(e.RequestBody) > 0 {
		b.WriteString(" \\\n  --data-raw " + shellQuote(string(e.RequestBody)))
	}
	return b.String()
}

// cookieLine is the Cookie header a browser would send to rawURL from jar.
func cookieLine(rawURL string, jar []transport.Cookie) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	path := u.Path
	if path == "" {
		path = "/"
	}
	var parts []string
	for _, c := range jar {
		domain := strings.TrimPrefix(c.Domain, ".")
		hostOK := domain == "" || host == domain || (!c.HostOnly && strings.HasSuffix(host, "."+domain))
		pathOK := c.Path == "" || strings.HasPrefix(path, c.Path)
		if hostOK && pathOK && (!c.Secure || u.Scheme == "https" || host == "localhost" || host == "127.0.0.1") {
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
