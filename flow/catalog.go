package flow

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Stage is one catalog entry: what a component is and how it is answered.
type Stage struct {
	Component   string
	Name        string // "Identification"
	Description string // one line: what the stage does
	Terminal    bool
	Browser     bool // needs a browser; answered with raw JSON
	// form fills the stage-specific part of a form (fields, context, result).
	form func(c *Challenge, f *Form)
	// check validates values across fields ("exactly one of ...") before an
	// answer is built; nil means the per-field rules are enough.
	check func(f Form, values map[string]string) error
	// narrow keeps only the values of the one answer the web UI sends when
	// a choice decides what the answer is (authenticator-validate's device);
	// it may add keys that are not fields. nil sends every filled field.
	narrow func(f Form, values map[string]string) (map[string]string, error)
	// widen is narrow's inverse for ValuesFromAnswer: it sets the fields
	// a body's derived keys came from (a duo pk → that Duo device chosen).
	widen func(f Form, body map[string]json.RawMessage, values map[string]string)
}

var catalog = map[string]Stage{}

// register adds catalog entries; each stage family file calls it from init.
func register(stages ...Stage) {
	for _, s := range stages {
		if _, dup := catalog[s.Component]; dup {
			panic("flow: component registered twice: " + s.Component)
		}
		catalog[s.Component] = s
	}
}

// Lookup returns the catalog entry of a component.
func Lookup(component string) (Stage, bool) {
	s, ok := catalog[component]
	return s, ok
}

// Components lists every catalogued component, sorted.
func Components() []string {
	names := make([]string, 0, len(catalog))
	for name := range catalog {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// FormFor builds the answer form for a challenge. Unknown components get a
// raw JSON form marked Unknown; it never fails.
func FormFor(c *Challenge) Form {
	if c == nil {
		return Form{Raw: true, Unknown: true, Title: "No challenge", Hint: "No challenge to answer"}
	}
	f := Form{Component: c.Component, Context: baseContext(c)}
	s, ok := Lookup(c.Component)
	if !ok {
		f.Title = ShortComponent(c.Component)
		f.Raw, f.Unknown = true, true
		f.Hint = fmt.Sprintf(`Unknown component: paste the whole answer as JSON, e.g. {"component": %q, ...}`, c.Component)
		return f
	}
	f.Title = s.Name
	f.Terminal = s.Terminal
	f.Raw = s.Browser
	if s.form != nil {
		s.form(c, &f)
	}
	return f
}

// baseContext is what every stage shows: the flow's title and the user the
// flow is acting for.
func baseContext(c *Challenge) []ContextLine {
	var lines []ContextLine
	if c.FlowInfo != nil && c.FlowInfo.Title != "" {
		lines = append(lines, ContextLine{"Flow", c.FlowInfo.Title})
	}
	if c.PendingUser != "" {
		lines = append(lines, ContextLine{"User", c.PendingUser})
	}
	return lines
}

// addContext appends a context line when it has something to say.
func (f *Form) addContext(label, value string) {
	if value != "" {
		f.Context = append(f.Context, ContextLine{Label: label, Value: value})
	}
}
