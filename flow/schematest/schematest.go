// Package schematest checks JSON bodies against authentik's flow-executor
// OpenAPI schemas. It is test support: import it only from _test.go files.
//
// The schemas are embedded (schemas/, see schemas/README.md for where they
// come from), so that a bare clone tests itself with nothing beside it.
package schematest

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/akinspect/akinspect/flow"
)

// Union and object names in the schema files.
const (
	challengeUnion  = "ChallengeTypes"
	responseUnion   = "FlowChallengeResponseRequest"
	inspectionName  = "FlowInspection"
	schemaRefPrefix = "#/components/schemas/"
)

// Schema is one loaded flow-executor schema version.
type Schema struct {
	Version flow.Version
	Doc     *openapi3.T
}

var (
	cacheMu sync.Mutex
	cache   = map[flow.Version]*Schema{}
)

//go:embed schemas/flow-executor-*.yaml
var schemaFiles embed.FS

// File is the embedded schema file name of version v.
func File(v flow.Version) string { return "schemas/flow-executor-" + string(v) + ".yaml" }

// Load reads and checks the schema of version v once per test binary.
func Load(tb testing.TB, v flow.Version) *Schema {
	tb.Helper()
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if s, ok := cache[v]; ok {
		return s
	}
	s, err := load(File(v), v)
	if err != nil {
		tb.Fatalf("schematest: %v", err)
	}
	cache[v] = s
	return s
}

func load(path string, v flow.Version) (*Schema, error) {
	data, err := schemaFiles.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("no embedded schema for authentik %s: %w", v, err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	// authentik's generated examples do not all match their own schemas;
	// they are not what we check, so they are skipped.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("validate %s: %w", path, err)
	}
	s := &Schema{Version: v, Doc: doc}
	for _, name := range []string{challengeUnion, responseUnion, inspectionName} {
		if s.named(name) == nil {
			return nil, fmt.Errorf("%s: no schema %s", path, name)
		}
	}
	return s, nil
}

func (s *Schema) named(name string) *openapi3.Schema {
	ref := s.Doc.Components.Schemas[name]
	if ref == nil {
		return nil
	}
	return ref.Value
}

// Named returns a component schema by name, nil when absent.
func (s *Schema) Named(name string) *openapi3.Schema { return s.named(name) }

// Components lists the challenge components of this version, sorted.
func (s *Schema) Components() []string { return s.mappingKeys(challengeUnion) }

// ResponseComponents lists the components that have an answer schema, sorted.
func (s *Schema) ResponseComponents() []string { return s.mappingKeys(responseUnion) }

// HasComponent reports whether the challenge union maps component.
func (s *Schema) HasComponent(component string) bool {
	_, err := s.mapped(challengeUnion, component)
	return err == nil
}

// HasResponse reports whether the response union maps component.
func (s *Schema) HasResponse(component string) bool {
	_, err := s.mapped(responseUnion, component)
	return err == nil
}

func (s *Schema) mappingKeys(union string) []string {
	var keys []string
	for k := range s.named(union).Discriminator.Mapping {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// mapped resolves the schema the union maps component to.
func (s *Schema) mapped(union, component string) (*openapi3.Schema, error) {
	u := s.named(union)
	if u == nil || u.Discriminator == nil {
		return nil, fmt.Errorf("%s has no discriminator", union)
	}
	ref, ok := u.Discriminator.Mapping[component]
	if !ok {
		return nil, fmt.Errorf("component %q is not in %s of authentik %s", component, union, s.Version)
	}
	name := strings.TrimPrefix(ref.Ref, schemaRefPrefix)
	target := s.named(name)
	if target == nil {
		return nil, fmt.Errorf("%s maps %q to missing schema %s", union, component, ref.Ref)
	}
	return target, nil
}

// ValidateChallenge checks an executor response body against the challenge
// union, following the component discriminator.
func (s *Schema) ValidateChallenge(body []byte) error {
	return s.validateUnion(challengeUnion, body, openapi3.VisitAsResponse())
}

// ValidateResponse checks an answer body against FlowChallengeResponseRequest.
func (s *Schema) ValidateResponse(body []byte) error {
	return s.validateUnion(responseUnion, body, openapi3.VisitAsRequest())
}

// ValidateInspection checks an inspector body against FlowInspection.
func (s *Schema) ValidateInspection(body []byte) error {
	value, err := decode(body)
	if err != nil {
		return err
	}
	return s.validate(s.named(inspectionName), value, inspectionName, openapi3.VisitAsResponse())
}

func (s *Schema) validateUnion(union string, body []byte, mode openapi3.SchemaValidationOption) error {
	value, err := decode(body)
	if err != nil {
		return err
	}
	obj, ok := value.(map[string]any)
	if !ok {
		return fmt.Errorf("body is not a JSON object")
	}
	component, ok := obj["component"].(string)
	if !ok {
		return fmt.Errorf("body has no string component")
	}
	target, err := s.mapped(union, component)
	if err != nil {
		return err
	}
	return s.validate(target, value, component, mode)
}

func (s *Schema) validate(schema *openapi3.Schema, value any, what string, mode openapi3.SchemaValidationOption) error {
	if err := schema.VisitJSON(value, mode, openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("%s (authentik %s): %w", what, s.Version, err)
	}
	if err := s.checkDeclared(schema, value, "$"); err != nil {
		return fmt.Errorf("%s (authentik %s): %w", what, s.Version, err)
	}
	return nil
}

func decode(body []byte) (any, error) {
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return nil, fmt.Errorf("body is not JSON: %w", err)
	}
	return value, nil
}
