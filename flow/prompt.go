package flow

import (
	"encoding/json"
	"sort"
	"strings"
)

func init() {
	register(Stage{Component: ComponentPrompt, Name: "Prompt",
		Description: "Asks for the fields an administrator configured (enrollment, profile, recovery).",
		form:        promptForm})
}

// stagePrompt is one entry of a prompt challenge's `fields`.
type stagePrompt struct {
	FieldKey     string            `json:"field_key"`
	Label        string            `json:"label"`
	Type         string            `json:"type"`
	Required     bool              `json:"required"`
	Placeholder  string            `json:"placeholder"`
	InitialValue string            `json:"initial_value"`
	Order        int               `json:"order"`
	SubText      string            `json:"sub_text"`
	Choices      []json.RawMessage `json:"choices"`
}

// promptKinds maps PromptTypeEnum to form kinds. Read-only, hidden, static
// and separator fields are shown but never sent: the server keeps its own
// values for them.
var promptKinds = map[string]Kind{
	"text":                KindText,
	"text_area":           KindTextArea,
	"text_read_only":      KindReadOnly,
	"text_area_read_only": KindReadOnly,
	"username":            KindText,
	"email":               KindText,
	"password":            KindSecret,
	"number":              KindNumber,
	"checkbox":            KindBool,
	"radio-button-group":  KindChoice,
	"dropdown":            KindChoice,
	"date":                KindDate,
	"date-time":           KindDateTime,
	"file":                KindFile,
	"separator":           KindReadOnly,
	"hidden":              KindReadOnly,
	"static":              KindReadOnly,
	"ak-locale":           KindText,
}

func promptForm(c *Challenge, f *Form) {
	var prompts []stagePrompt
	if err := c.Get("fields", &prompts); err != nil {
		// A malformed list is still a prompt; read what decodes one by one.
		prompts = lenientPrompts(c)
	}
	sort.SliceStable(prompts, func(i, j int) bool { return prompts[i].Order < prompts[j].Order })
	for _, p := range prompts {
		f.Fields = append(f.Fields, promptField(p))
	}
}

func lenientPrompts(c *Challenge) []stagePrompt {
	var raws []json.RawMessage
	_ = c.Get("fields", &raws)
	var out []stagePrompt
	for _, raw := range raws {
		var p stagePrompt
		if json.Unmarshal(raw, &p) == nil {
			out = append(out, p)
		}
	}
	return out
}

// promptField maps one prompt definition to a form field.
func promptField(p stagePrompt) Field {
	kind, ok := promptKinds[p.Type]
	if !ok {
		kind = KindText // a type newer than this catalog: text is the safe guess
	}
	field := Field{
		Key:         p.FieldKey,
		Label:       p.Label,
		Kind:        kind,
		Required:    p.Required,
		Help:        HTMLText(p.SubText),
		Placeholder: p.Placeholder,
		Initial:     p.InitialValue,
	}
	if field.Label == "" {
		field.Label = p.FieldKey
	}
	switch kind {
	case KindReadOnly:
		field.Required = false
		if p.Type == "static" {
			field.Initial = HTMLText(p.InitialValue)
			if p.Label == "" || p.Label == p.FieldKey {
				field.Label = staticLabel(field.Initial, p.FieldKey)
			}
		}
	case KindSecret:
		field.Secret = true
	case KindBool:
		field.Required = false // a checkbox always has a value
	case KindNumber, KindDate, KindDateTime, KindFile, KindChoice:
		field.Omit = !p.Required // nothing typed: send nothing, not ""
	}
	field.Choices = promptChoices(p.Choices)
	if len(field.Choices) > 0 && kind == KindText {
		field.Kind = KindChoice // ak-locale with a list, say
	}
	return field
}

// promptChoices reads both shapes: strings (≤2024.12) and {value, label}
// objects (≥2025.10).
func promptChoices(raws []json.RawMessage) []Choice {
	var out []Choice
	for _, raw := range raws {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out = append(out, Choice{Value: s, Label: s})
			continue
		}
		var obj struct {
			Value *string `json:"value"`
			Label string  `json:"label"`
		}
		if json.Unmarshal(raw, &obj) == nil && obj.Value != nil {
			label := obj.Label
			if label == "" {
				label = *obj.Value
			}
			out = append(out, Choice{Value: *obj.Value, Label: label})
		}
	}
	return out
}

// staticLabel names a static text by its own words, as the page shows it,
// rather than by a field key such as static_001 that no person sees.
func staticLabel(text, key string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	if line == "" {
		return key
	}
	const most = 40
	if r := []rune(line); len(r) > most {
		return strings.TrimSpace(string(r[:most-1])) + "…"
	}
	return line
}
