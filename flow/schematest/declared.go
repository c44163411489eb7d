package schematest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// checkDeclared fails when an object carries a key its schema does not
// declare. authentik's schemas leave additionalProperties open on most
// objects, so plain schema validation would accept any misspelt key; the
// server would silently ignore it. Objects whose schema states
// additionalProperties explicitly (prompt answers, WebAuthn blobs) are free.
func (s *Schema) checkDeclared(schema *openapi3.Schema, value any, path string) error {
	if schema == nil {
		return nil
	}
	schema = s.resolve(schema, value)
	switch v := value.(type) {
	case map[string]any:
		props := properties(schema)
		extra := schema.AdditionalProperties
		explicit := extra.Has != nil || extra.Schema != nil
		if len(props) > 0 && !explicit {
			var unknown []string
			for key := range v {
				if _, ok := props[key]; !ok {
					unknown = append(unknown, key)
				}
			}
			if len(unknown) > 0 {
				sort.Strings(unknown)
				return fmt.Errorf("%s: undeclared properties %s", path, strings.Join(unknown, ", "))
			}
		}
		keys := make([]string, 0, len(v))
		for key := range v {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			var sub *openapi3.Schema
			if ref, ok := props[key]; ok && ref != nil {
				sub = ref.Value
			} else if extra.Schema != nil {
				sub = extra.Schema.Value
			}
			if err := s.checkDeclared(sub, v[key], path+"."+key); err != nil {
				return err
			}
		}
	case []any:
		if schema.Items == nil {
			return nil
		}
		for i, item := range v {
			if err := s.checkDeclared(schema.Items.Value, item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolve picks the concrete schema for value: the discriminator's mapped
// schema for a oneOf, the single member of an allOf wrapper.
func (s *Schema) resolve(schema *openapi3.Schema, value any) *openapi3.Schema {
	for i := 0; i < 8; i++ {
		switch {
		case schema.Discriminator != nil:
			obj, _ := value.(map[string]any)
			key, _ := obj[schema.Discriminator.PropertyName].(string)
			ref, ok := schema.Discriminator.Mapping[key]
			if !ok {
				return schema
			}
			target := s.named(strings.TrimPrefix(ref.Ref, schemaRefPrefix))
			if target == nil {
				return schema
			}
			schema = target
		case len(schema.AllOf) == 1 && len(schema.Properties) == 0 && schema.AllOf[0].Value != nil:
			schema = schema.AllOf[0].Value
		default:
			return schema
		}
	}
	return schema
}

// properties merges the declared properties of a schema and its allOf parts.
func properties(schema *openapi3.Schema) openapi3.Schemas {
	if len(schema.AllOf) == 0 {
		return schema.Properties
	}
	merged := openapi3.Schemas{}
	for k, v := range schema.Properties {
		merged[k] = v
	}
	for _, part := range schema.AllOf {
		if part.Value != nil {
			for k, v := range properties(part.Value) {
				merged[k] = v
			}
		}
	}
	return merged
}
