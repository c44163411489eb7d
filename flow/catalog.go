package flow

// Stage is one catalog entry: what a component is and how it is answered.
type Stage struct {
	Component   string
	Name        string // "Identification"
	Description string // one line: what the stage does
	Terminal    bool
	Browser     bool // needs a browser; answered with raw JSON
	// form builds the answer form from a challenge of this component.
	form func(c *Challenge) Form
}

var catalog = map[string]Stage{}

// Lookup returns the catalog entry of a component.
func Lookup(component string) (Stage, bool) {
	s, ok := catalog[component]
	return s, ok
}

// FormFor builds the answer form for a challenge. Unknown components get a
// raw JSON form marked Unknown.
func FormFor(c *Challenge) Form {
	// TODO(catalog): implemented by the catalog work.
	return Form{Component: c.Component, Raw: true, Unknown: !c.Known()}
}

// BuildAnswer encodes field values into an answer body for version v.
// values holds the person's input by field key as typed; Raw forms take the
// whole body in values[""]
func BuildAnswer(form Form, values map[string]string, v Version) (Answer, error) {
	// TODO(catalog): implemented by the catalog work.
	return Answer{Component: form.Component}, nil
}

// DetectVersion guesses the schema generation from a challenge's shape.
func DetectVersion(c *Challenge) Version {
	if c.Type != "" {
		return Version2023_10
	}
	return VersionLatest
}
