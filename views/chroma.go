package views

import (
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// The JSON lexer and the two styles akinspect highlights with are built
// here, on first use, instead of being looked up in chroma's lexers and
// styles packages: those register every lexer (some 280, parsed from
// embedded XML) and every style (about 70) in their package inits, which
// cost every start of akinspect, --version included, some 20 ms. The
// lexers package keeps its XML in an unexported embed.FS, so even one
// definition cannot be loaded from it without paying for all of them.
//
// The lexer is chroma's lexers/embedded/json.xml (v2.27.0) written as Go
// rules: fifty lines instead of a copied XML file, with no XML decoding
// at run time. The styles hold only the entries of chroma's github and
// github-dark styles that the JSON lexer's tokens reach (their own, their
// category's, Text and Background); the rest styles tokens JSON never
// has. TestChromaMatchesRegistry checks both against chroma's registry,
// token for token and for every terminal formatter.

// jsonString is a JSON string, escapes included.
const jsonString = `"(\\\\|\\"|[^"])*"`

func jsonRules() chroma.Rules {
	return chroma.Rules{
		"root":       {chroma.Include("value")},
		"whitespace": {{Pattern: `\s+`, Type: chroma.Text}},
		"comment":    {{Pattern: `//.*?\n`, Type: chroma.CommentSingle}},
		"simplevalue": {
			{Pattern: `(true|false|null)\b`, Type: chroma.KeywordConstant},
			{Pattern: `-?(0|[1-9]\d*)(\.\d+[eE](\+|-)?\d+|[eE](\+|-)?\d+|\.\d+)`, Type: chroma.LiteralNumberFloat},
			{Pattern: `-?(0|[1-9]\d*)`, Type: chroma.LiteralNumberInteger},
			{Pattern: jsonString, Type: chroma.LiteralStringDouble},
		},
		"objectattribute": {
			chroma.Include("value"),
			{Pattern: `:`, Type: chroma.Punctuation},
			{Pattern: `,`, Type: chroma.Punctuation, Mutator: chroma.Pop(1)},
			{Pattern: `\}`, Type: chroma.Punctuation, Mutator: chroma.Pop(2)},
		},
		"objectvalue": {
			chroma.Include("whitespace"),
			chroma.Include("comment"),
			{Pattern: jsonString, Type: chroma.NameTag, Mutator: chroma.Push("objectattribute")},
			{Pattern: `\}`, Type: chroma.Punctuation, Mutator: chroma.Pop(1)},
		},
		"arrayvalue": {
			chroma.Include("whitespace"),
			chroma.Include("value"),
			chroma.Include("comment"),
			{Pattern: `,`, Type: chroma.Punctuation},
			{Pattern: `\]`, Type: chroma.Punctuation, Mutator: chroma.Pop(1)},
		},
		"value": {
			chroma.Include("whitespace"),
			chroma.Include("simplevalue"),
			chroma.Include("comment"),
			{Pattern: `\{`, Type: chroma.Punctuation, Mutator: chroma.Push("objectvalue")},
			{Pattern: `\[`, Type: chroma.Punctuation, Mutator: chroma.Push("arrayvalue")},
		},
	}
}

// jsonConfig carries json.xml's flags; names and file globs are left out,
// nothing looks the lexer up.
var jsonConfig = chroma.Config{Name: "JSON", DotAll: true, NotMultiline: true}

// lexerJSON returns the JSON lexer, built once. Its regexps compile on the
// first Tokenise.
var lexerJSON = sync.OnceValue(func() chroma.Lexer {
	cfg := jsonConfig
	return chroma.Coalesce(chroma.MustNewLexer(&cfg, jsonRules))
})

// Chroma style names a Theme may carry in ChromaStyle.
const (
	chromaLight = "github"
	chromaDark  = "github-dark"
)

var (
	githubLight = sync.OnceValue(func() *chroma.Style {
		return chroma.MustNewStyle(chromaLight, chroma.StyleEntries{
			chroma.Background:    "bg:#f7f7f7",
			chroma.Error:         "#f6f8fa bg:#82071e",
			chroma.Keyword:       "#cf222e",
			chroma.NameTag:       "#0550ae",
			chroma.LiteralString: "#0a3069",
			chroma.LiteralNumber: "#0550ae",
			chroma.CommentSingle: "#57606a",
			chroma.Punctuation:   "#1f2328",
		})
	})
	githubDark = sync.OnceValue(func() *chroma.Style {
		return chroma.MustNewStyle(chromaDark, chroma.StyleEntries{
			chroma.Background:      "#e6edf3 bg:#0d1117",
			chroma.Error:           "#f85149",
			chroma.KeywordConstant: "#79c0ff",
			chroma.NameTag:         "#7ee787",
			chroma.Literal:         "#a5d6ff",
			chroma.Comment:         "italic #8b949e",
		})
	})
)

// chromaStyle returns the named style: github for "github", github-dark
// for anything else (the dark style is the default, as dark is without a
// known background).
func chromaStyle(name string) *chroma.Style {
	if name == chromaLight {
		return githubLight()
	}
	return githubDark()
}
