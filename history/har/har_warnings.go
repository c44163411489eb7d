package har

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// What an import says about entries it skipped, and the diagnosis of the
// flow errors a browser HAR carries none for.

// diagnoseFlowErrors names the likely cause of each flow error that
// carries none (a browser's HAR never does), as a live client would have:
// from the flow exchanges before it in the session (a login that rotated
// the session cookie, the POST a redirect followed, the headers it sent).
// Entries that are not flow exchanges (assets, other API calls) are left
// out of what it looks at: they would break the redirect chain.
//
// What the diagnosis reads of the exchanges before is the last few (the
// redirect chain back to a POST, the challenge answered) and whether the
// session rotated at all, so it gets those: the first rotation and the
// last diagnoseWindow flow exchanges. A HAR of many flow errors then
// costs no more than one pass.
func diagnoseFlowErrors(exchanges []*transport.Exchange) {
	var flowOnly []*transport.Exchange
	var rotation *transport.Exchange
	var before []*transport.Exchange
	for _, e := range exchanges {
		if e.Kind == history.KindOther {
			continue
		}
		if e.Component == flow.ComponentFlowError && e.Diagnosis == "" {
			before = before[:0]
			if rotation != nil {
				before = append(before, rotation)
			}
			before = append(before, flowOnly[max(0, len(flowOnly)-diagnoseWindow):]...)
			transport.DiagnoseRecorded(before, e)
		}
		flowOnly = append(flowOnly, e)
		if rotation == nil && rotatesSession(e) {
			rotation = e
		}
	}
}

// diagnoseWindow is how many flow exchanges before a flow error its
// diagnosis looks at, besides the session's first rotation.
const diagnoseWindow = 32

// rotatesSession: the exchange changed the session cookie's value (a
// login does).
func rotatesSession(e *transport.Exchange) bool {
	if e.Has(transport.FlagSessionRotated) {
		return true
	}
	for _, ch := range e.JarChanges {
		if ch.Name == transport.SessionCookie && ch.Change == transport.ChangeChanged {
			return true
		}
	}
	return false
}

// skippedEntry is an entry left out of an import, and why.
type skippedEntry struct {
	index  int // 0-based, in log.entries
	reason string
}

// entryWarnings names the skipped entries in file order, the first
// maxEntryWarnings of them one by one:
// "HAR entry 17 skipped (log.entries[16]): response.content.text: bad base64 (...)".
func entryWarnings(skipped []skippedEntry) []string {
	slices.SortFunc(skipped, func(a, b skippedEntry) int { return a.index - b.index })
	var out []string
	for i, s := range skipped {
		if i == maxEntryWarnings {
			out = append(out, fmt.Sprintf("%d more HAR entries skipped", len(skipped)-i))
			break
		}
		out = append(out, fmt.Sprintf("HAR entry %d skipped (log.entries[%d]): %s", s.index+1, s.index, s.reason))
	}
	return out
}

// entryDecodeReason says why an entry's JSON does not decode, naming the
// field: "response.status: a string where a number belongs".
func entryDecodeReason(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		what := jsonKindOf(te.Type)
		if te.Field == "" {
			return fmt.Sprintf("%s where %s belongs", te.Value, what)
		}
		return fmt.Sprintf("%s: %s where %s belongs", te.Field, te.Value, what)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "not valid JSON: " + se.Error()
	}
	return err.Error()
}

// jsonKindOf names what JSON value a Go type reads.
func jsonKindOf(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another value"
}
