package history

import (
	"bytes"
	"regexp"
)

// rawSecretRE finds `"key": <value>` in a body that is not valid JSON: the
// value is a string literal (possibly cut off at the end of the body) or a
// bare number. Group 1 is the key, group 2 a string's content, group 3 the
// closing quote (absent when cut off), group 4 a number.
var rawSecretRE = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"\s*:\s*(?:"((?:[^"\\]|\\.)*)("?)|(-?[0-9][0-9.eE+-]*))`)

// rawAnswer redacts a POSTed body that is not one valid JSON object: raw
// mode's deliberately malformed input (cut-off JSON, say). The body is
// kept byte for byte except the values of secret keys, which become
// markers; a value cut off at the end stays cut off. The values are then
// known secrets, scrubbed wherever they show up again.
func (r *Redactor) rawAnswer(body []byte, keys map[string]bool) []byte {
	locs := rawSecretRE.FindAllSubmatchIndex(body, -1)
	if locs == nil {
		return body
	}
	var out bytes.Buffer
	last := 0
	for _, l := range locs {
		key, ok := rawString(append(append([]byte{'"'}, body[l[2]:l[3]]...), '"'))
		if !ok || !(keys[key] || deepSecretKeys[key]) || key == "component" {
			continue
		}
		var start, end int
		var marker string
		if l[4] >= 0 { // a string literal
			start, end = l[4], l[5]
			text, ok := rawString(append(append([]byte{'"'}, body[start:end]...), '"'))
			if !ok { // control characters or a broken escape: keep it as typed
				text = string(body[start:end])
			}
			if text == "" || isMarker(text) {
				continue
			}
			marker = Marker(r.name(key, text))
		} else {
			start, end = l[8], l[9]
			// Bare, like the number it replaces: replay puts digits back.
			marker = numberMarker(r.name(key, string(body[start:end])))
		}
		out.Write(body[last:start])
		out.WriteString(marker)
		last = end
		r.hits++
	}
	if last == 0 {
		return body
	}
	out.Write(body[last:])
	return out.Bytes()
}
