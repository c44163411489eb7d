package history

import (
	"net/url"
	"sort"
	"strings"

	"github.com/akinspect/akinspect/transport"
)

// curlSkipHeaders are set by curl itself or replaced by -b.
var curlSkipHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Cookie": true, "Accept-Encoding": true, "Connection": true,
}

// Curl prints a shell command that repeats the exchange's request with the
// cookies of jar (pass the jar before the exchange: Recording.JarBefore).
// With a nil jar the recorded Cookie header is used. Redacted values stay
// markers; the command then shows what to fill in.
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

// shellQuote wraps s in single quotes for POSIX shells.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
