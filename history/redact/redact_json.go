package redact

import (
	"bytes"
	"encoding/json"

	"github.com/akinspect/akinspect/internal/jsonscan"
)

// jsonValue is one value of a body as redaction meets it: where it is
// (jsonscan.Value) and the key it sits under, decoded ("" at the top).
// Redaction rewrites values only, so keys are not reported.
type jsonValue struct {
	jsonscan.Value
	key string
}

// scanJSON walks a JSON body, valid or not, calling visit for every value
// after its end is known (children before their container). It reads
// leniently (jsonscan.Walk) because raw mode sends cut-off and malformed
// JSON on purpose, and treats a redaction marker as one token whatever its
// name holds. It returns where it stopped; the rest of b is not JSON.
func scanJSON(b []byte, visit func(jsonValue)) int {
	return bodyWalker.Walk(b, func(v jsonscan.Value) { visit(jsonValue{v, keyText(v.Key)}) })
}

var bodyWalker = jsonscan.Walker{Opaque: markerRun}

// markerRun is the length of the marker at b[i], or 0.
func markerRun(b []byte, i int) int {
	if b[i] == markerOpen[0] && bytes.HasPrefix(b[i:], []byte(markerOpen)) {
		if m, ok := findMarker(string(b[i:]), 0); ok {
			return m.end
		}
	}
	return 0
}

// keyText decodes a key the way encoding/json does; a key it cannot
// decode is taken as written.
func keyText(quoted []byte) string {
	if quoted == nil {
		return ""
	}
	k, err := jsonscan.Unquote(quoted)
	if err != nil {
		return string(quoted[1 : len(quoted)-1])
	}
	return k
}

// looksLikeJSON: valid JSON and bodies starting with an object or array
// are scanned as JSON (valid or not); anything else is text.
func looksLikeJSON(b []byte) bool {
	i := jsonscan.Space(b, 0)
	return i < len(b) && (b[i] == '{' || b[i] == '[') || json.Valid(b)
}
