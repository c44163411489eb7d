package flow

import (
	"html"
	"regexp"
	"strings"
)

var (
	// Elements whose content is never shown.
	htmlHidden = regexp.MustCompile(`(?is)<(script|style|head|template)\b.*?</(script|style|head|template)\s*>`)
	htmlBreak  = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/h[1-6]|/li|/tr|/title|p|div|li|tr|h[1-6])\b[^>]*>`)
	htmlTag    = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`)
	htmlTitleR = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title\s*>`)
	spaces     = regexp.MustCompile(`[ \t\r\f\v]+`)
)

// HTMLText turns an HTML fragment into readable plain text: scripts and
// styles dropped, block elements as line breaks, tags stripped, entities
// decoded, runs of blank lines squeezed.
func HTMLText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(s)
	}
	s = htmlHidden.ReplaceAllString(s, " ")
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, "")
	s = strings.ReplaceAll(html.UnescapeString(s), "\u00a0", " ")
	var out []string
	blank := false
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(spaces.ReplaceAllString(line, " "))
		if line == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, line)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// htmlTitle is the page's <title>, as text.
func htmlTitle(s string) string {
	m := htmlTitleR.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return HTMLText(m[1])
}
