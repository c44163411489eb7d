package flow

import "encoding/json"

// jsonType is how a field's value is written in the answer body.
type jsonType int

const (
	jsonString jsonType = iota
	jsonInteger
	jsonBool
	jsonValue // the value is JSON already (an object pasted by the person)
)

// answerOverrides are fields whose JSON type is not what their Kind implies:
// device choices carry the whole device challenge object, duo a device pk.
var answerOverrides = map[string]jsonType{
	ComponentValidate + ".selected_challenge": jsonValue,
	ComponentValidate + ".duo":                jsonInteger,
}

func answerType(component string, f Field, v Version) jsonType {
	if t, ok := answerOverrides[component+"."+f.Key]; ok {
		return t
	}
	switch f.Kind {
	case KindNumber:
		return jsonInteger
	case KindBool:
		return jsonBool
	case KindJSON:
		return jsonValue
	case KindCode:
		if codeIsInteger(component, v) {
			return jsonInteger
		}
	}
	return jsonString
}

// codeIsInteger reports where the schemas type a one-time `code` as an
// integer. Authentik 2026.2 made every setup code a string (leading zeros
// survive); the device-code flow did so in 2024.x. The validate stage's
// code was always a string.
func codeIsInteger(component string, v Version) bool {
	v = v.known()
	switch component {
	case ComponentTOTPSetup, ComponentSMSSetup, ComponentEmailSetup:
		return v != Version2026_2
	case ComponentDeviceCode:
		return v == Version2023_10
	}
	return false
}

// known maps versions this package was not built against to the latest.
func (v Version) known() Version {
	for _, k := range Versions {
		if v == k {
			return v
		}
	}
	return VersionLatest
}

// DetectVersion guesses the schema generation from a challenge's shape:
// the legacy `type` key means 2023.10 or older (gone since 2024.8); prompt
// choices as plain strings mean 2024.12 or older. Newer shapes cannot be
// told apart reliably, so everything else is VersionLatest.
func DetectVersion(c *Challenge) Version {
	if c == nil {
		return VersionLatest
	}
	if _, ok := c.Fields["type"]; ok || c.Type != "" {
		return Version2023_10
	}
	if c.Component == ComponentPrompt && promptHasStringChoices(c) {
		return Version2024_12
	}
	return VersionLatest
}

func promptHasStringChoices(c *Challenge) bool {
	var fields []struct {
		Choices []json.RawMessage `json:"choices"`
	}
	if c.Get("fields", &fields) != nil {
		return false
	}
	for _, f := range fields {
		for _, choice := range f.Choices {
			var s string
			if json.Unmarshal(choice, &s) == nil {
				return true
			}
		}
	}
	return false
}
