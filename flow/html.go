package flow

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// hiddenElements never show their content.
var hiddenElements = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Head: true, atom.Template: true}

// breakElements start or end a line of text.
var breakElements = map[atom.Atom]bool{
	atom.Br: true, atom.P: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.Title: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

// HTMLText turns an HTML fragment into readable plain text: scripts,
// styles and the head dropped, block elements as line breaks, tags
// stripped, entities decoded, runs of blank lines squeezed. It uses the
// HTML tokenizer, so comments, attributes holding '>' and unclosed tags
// read as a browser would read them.
func HTMLText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	hidden := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return squeezeLines(b.String())
		case html.TextToken:
			if hidden == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case hiddenElements[a] && tt == html.StartTagToken:
				hidden++
			case hiddenElements[a] && tt == html.EndTagToken && hidden > 0:
				hidden--
			case breakElements[a]:
				b.WriteByte('\n')
			}
		}
	}
}

// squeezeLines trims each line, folds runs of spaces and keeps at most one
// blank line in a row.
func squeezeLines(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	var out []string
	blank := false
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
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

// HTMLTitle is the text of a page's first <title>, "" when it has none.
func HTMLTitle(page []byte) string { return htmlTitleFrom(bytes.NewReader(page)) }

func htmlTitle(s string) string { return htmlTitleFrom(strings.NewReader(s)) }

func htmlTitleFrom(r io.Reader) string {
	z := html.NewTokenizer(r)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Title {
				var b strings.Builder
				for z.Next() == html.TextToken { // title holds raw text only
					b.Write(z.Text())
				}
				return strings.Join(strings.Fields(b.String()), " ")
			}
		}
	}
}
