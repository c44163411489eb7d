package schematest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// MinimalChallenge builds the smallest challenge of component that the
// schema accepts: every required property with a plausible value. Tests use
// it to reach every component of every version without hand-written bodies.
func (s *Schema) MinimalChallenge(component string) ([]byte, error) {
	target, err := s.mapped(challengeUnion, component)
	if err != nil {
		return nil, err
	}
	value := s.synth(target, 0)
	obj, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: schema is not an object", component)
	}
	obj["component"] = component
	return json.Marshal(obj)
}

func (s *Schema) synth(schema *openapi3.Schema, depth int) any {
	if schema == nil || depth > 6 {
		return nil
	}
	if schema.Discriminator != nil {
		keys := make([]string, 0, len(schema.Discriminator.Mapping))
		for k := range schema.Discriminator.Mapping {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) > 0 {
			ref := schema.Discriminator.Mapping[keys[0]]
			if obj, ok := s.synth(s.named(strings.TrimPrefix(ref.Ref, schemaRefPrefix)), depth+1).(map[string]any); ok {
				obj[schema.Discriminator.PropertyName] = keys[0]
				return obj
			}
		}
	}
	if len(schema.AllOf) > 0 && len(schema.Properties) == 0 {
		return s.synth(schema.AllOf[0].Value, depth+1)
	}
	if len(schema.Enum) > 0 {
		return schema.Enum[0]
	}
	switch {
	case schema.Type.Is("string"):
		return synthString(schema.Format)
	case schema.Type.Is("integer"), schema.Type.Is("number"):
		return 1
	case schema.Type.Is("boolean"):
		return false
	case schema.Type.Is("array"):
		return []any{}
	}
	obj := map[string]any{}
	for _, name := range schema.Required {
		ref := schema.Properties[name]
		if ref == nil {
			continue
		}
		obj[name] = s.synth(ref.Value, depth+1)
	}
	return obj
}

func synthString(format string) string {
	switch format {
	case "uuid":
		return "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	case "date-time":
		return "2026-01-02T03:04:05Z"
	case "date":
		return "2026-01-02"
	case "uri":
		return "https://authentik.example/"
	}
	return "x"
}
