package views

import (
	"encoding/xml"
	"os/exec"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// TestChromaMatchesRegistry checks the lexer and styles built in chroma.go
// against chroma's own registry (imported here only, so the tests pay for
// its init and akinspect does not): the same rules, the same tokens and,
// for every token the lexer can give, the same escapes from every
// terminal formatter.
func TestChromaMatchesRegistry(t *testing.T) {
	ref, ok := lexers.Get("json").(*chroma.RegexLexer)
	if !ok {
		t.Fatalf("chroma's json lexer is a %T", lexers.Get("json"))
	}
	refRules, err := ref.Rules()
	if err != nil {
		t.Fatal(err)
	}
	rules := jsonRules()
	if len(rules) != len(refRules) {
		t.Fatalf("%d states, chroma has %d", len(rules), len(refRules))
	}
	types := map[chroma.TokenType]bool{chroma.Error: true} // Error: what no rule matches
	for state, want := range refRules {
		if got, want := marshalRules(t, rules[state]), marshalRules(t, want); got != want {
			t.Errorf("state %s:\n got %s\nwant %s", state, got, want)
		}
		for _, r := range want {
			if tt, ok := r.Type.(chroma.TokenType); ok {
				types[tt] = true
			}
		}
	}
	c := ref.Config()
	if c.DotAll != jsonConfig.DotAll || c.NotMultiline != jsonConfig.NotMultiline ||
		c.CaseInsensitive != jsonConfig.CaseInsensitive || c.EnsureNL != jsonConfig.EnsureNL {
		t.Errorf("config %+v, chroma has %+v", jsonConfig, c)
	}

	inputs := []string{
		string(sampleExchange().ResponseBody),
		`{"a": [1, -2.5e3, true, null, "x\"y"], // note
  "b": {}}`,
		`[[[{"k": 0.5}]]] trailing ~ garbage @`,
		"{\"\u00e9\": \"\\u009b\", \"tab\":\t1}",
	}
	var all []chroma.Token
	for _, in := range inputs {
		want, err := chroma.Tokenise(chroma.Coalesce(ref), nil, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := chroma.Tokenise(lexerJSON(), nil, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d tokens, chroma gives %d", in, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%q: token %d is %v, chroma gives %v", in, i, got[i], want[i])
			}
		}
		all = append(all, want...)
	}
	// One token of each type, on two lines, then the sample bodies.
	var each []chroma.Token
	for tt := range types {
		each = append(each, chroma.Token{Type: tt, Value: "v\nw"}, chroma.Token{Type: chroma.Text, Value: " "})
	}
	each = append(each, all...)
	for _, name := range []string{chromaLight, chromaDark} {
		for fname, f := range map[string]chroma.Formatter{
			"16m": formatters.TTY16m, "256": formatters.TTY256, "16": formatters.TTY16, "8": formatters.TTY8,
		} {
			var got, want strings.Builder
			if err := f.Format(&want, styles.Get(name), chroma.Literator(each...)); err != nil {
				t.Fatal(err)
			}
			if err := f.Format(&got, chromaStyle(name), chroma.Literator(each...)); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%s with terminal%s:\n got %q\nwant %q", name, fname, got.String(), want.String())
			}
		}
	}
}

func marshalRules(t *testing.T, rs []chroma.Rule) string {
	t.Helper()
	var b strings.Builder
	for _, r := range rs {
		x, err := xml.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(x)
	}
	return b.String()
}

// TestNoChromaRegistries keeps chroma's lexers and styles packages out of
// akinspect: their inits cost some 20 ms of every start, --version
// included (issue 11). It checks the imports with `go list`; time it with
// GODEBUG=inittrace=1 akinspect --version.
func TestNoChromaRegistries(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		switch p {
		case "github.com/alecthomas/chroma/v2/lexers", "github.com/alecthomas/chroma/v2/styles":
			t.Errorf("views depends on %s, whose init registers every entry", p)
		}
	}
}
