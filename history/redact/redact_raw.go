package redact

import (
	"github.com/akinspect/akinspect/history/internal/jsonobj"
	"github.com/akinspect/akinspect/internal/jsonscan"

	"encoding/json"
)

// bodyRules says which values of a body sit where a secret is known to be.
type bodyRules struct {
	answer     bool            // a POSTed answer
	keys       map[string]bool // its secret top-level keys
	failClosed bool            // the catalog could not classify it: every string is secret
	challenge  bool            // a response: consent token, recovery codes, setup secret
}

// knownBody replaces the values of a body that are secret by position:
// answer keys, deep secret keys, challenge tokens. It works on valid and
// malformed JSON alike (raw mode sends cut-off JSON on purpose) and rewrites
// only those values: every other byte, keys included, stays as it is, and
// a string cut off at the end stays cut off.
func (r *Redactor) knownBody(b []byte, ru bodyRules) []byte {
	if !looksLikeJSON(b) {
		return b
	}
	valid := json.Valid(b)
	var edits []edit
	scanJSON(b, func(v jsonValue) {
		if text, ok := r.knownValue(b, v, ru, valid); ok {
			edits = append(edits, edit{v.Start, v.End, text})
		}
	})
	return applyEdits(b, edits)
}

// knownValue is the replacement of one value, if it is a known secret.
func (r *Redactor) knownValue(b []byte, v jsonValue, ru bodyRules, valid bool) (string, bool) {
	top := v.Depth == 1 && !v.InArray
	switch {
	case ru.answer && top && v.key == "component":
		return "", false
	case ru.answer && top && ru.keys[v.key]:
		return r.answerValue(b, v, valid)
	case ru.answer && ru.failClosed && v.Kind == jsonscan.String:
		return r.stringValue(b, v, v.key)
	case deepSecretKeys[v.key] && !v.InArray && v.Kind == jsonscan.String:
		return r.stringValue(b, v, v.key)
	case ru.challenge && top && v.key == "token" && v.Kind == jsonscan.String:
		return r.stringValue(b, v, "token")
	case ru.challenge && v.Depth == 2 && v.InArray && v.key == "codes" && v.Kind == jsonscan.String:
		return r.stringValue(b, v, "static_code")
	case ru.challenge && top && (v.key == "config_url" || v.key == "to") && v.Kind == jsonscan.String && v.Closed:
		r.registerChallengeURL(v.key, decode(string(b[v.Start+1:v.End-1]), jsonCodec).text)
	}
	return "", false
}

// answerValue replaces a secret answer field whatever its type. A number
// becomes a number marker: quoted in a valid body, bare in a raw one (like
// the number it replaces, so replay can put digits back). An object (a
// WebAuthn assertion) becomes one marker.
func (r *Redactor) answerValue(b []byte, v jsonValue, valid bool) (string, bool) {
	raw := string(b[v.Start:v.End])
	switch {
	case v.Kind == jsonscan.String:
		return r.stringValue(b, v, v.key)
	case v.Kind == jsonscan.Number:
		m := numberMarker(r.name(v.key, raw))
		r.hits++
		if valid {
			return string(jsonobj.MarshalNoEscape(m)), true
		}
		return m, true
	case valid && ((v.Kind == jsonscan.Literal && raw != "null") || v.Kind == jsonscan.Object || v.Kind == jsonscan.Array):
		r.hits++
		return string(jsonobj.MarshalNoEscape(Marker(r.name(v.key, raw)))), true
	}
	return "", false
}

// stringValue replaces a string value (closed or cut off) with a marker
// named after base. Empty strings and markers stay.
func (r *Redactor) stringValue(b []byte, v jsonValue, base string) (string, bool) {
	from, to := v.Inner()
	text := decode(string(b[from:to]), jsonCodec).text
	if text == "" || IsMarker(text) {
		return "", false
	}
	r.hits++
	out := string(b[v.Start:from]) + encode(Marker(r.name(base, text)), jsonCodec)
	if v.Closed {
		out += `"`
	}
	return out, true
}

// registerChallengeURL learns the credentials of a URL a challenge shows:
// the TOTP setup secret of config_url, the credential parameters of a
// redirect target. The scrub pass then replaces them.
func (r *Redactor) registerChallengeURL(key, raw string) {
	if key == "config_url" {
		r.registerURLParams(raw, "totp_secret", "secret")
		return
	}
	r.registerURLParams(raw, "", credentialParams...)
}
