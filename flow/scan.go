package flow

import (
	"encoding/json"
	"errors"

	"github.com/akinspect/akinspect/internal/jsonscan"
)

// topLevelFields splits a valid JSON object into its top-level keys and
// raw values without copying: every value is a slice of obj. It is the hot
// path of every recorded exchange, and encoding/json's map decoding costs
// several times more (reflection and a copy of every value).
// obj must be valid JSON (json.Valid) starting with '{'.
func topLevelFields(obj []byte) (map[string]json.RawMessage, error) {
	fields := make(map[string]json.RawMessage, 16)
	var keyErr error
	_, err := jsonscan.Members(obj, 0, func(key, value []byte) error {
		k, err := jsonscan.Unquote(key)
		if err != nil {
			keyErr = err
			return errNotObject
		}
		fields[k] = value
		return nil
	})
	switch {
	case keyErr != nil:
		return nil, keyErr
	case err != nil:
		// Not err itself: the callback would escape to the heap with it.
		return nil, errNotObject
	}
	return fields, nil
}

var errNotObject = errors.New("not a JSON object")
