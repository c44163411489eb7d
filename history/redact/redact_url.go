package redact

import (
	"net/url"
	"slices"
	"strings"
)

// credentialParams are query parameters whose values are credentials: a
// recording replaces them with markers and replay compares them by presence
// only. flow_token is the token of a recovery or invitation link; secret is
// the TOTP setup key of a config_url.
var credentialParams = []string{"code", "token", "access_token", "id_token", "refresh_token", "flow_token", "secret"}

// CredentialParams are the URL query parameters whose values redaction
// hides (a fresh slice).
func CredentialParams() []string { return slices.Clone(credentialParams) }

func isCredentialParam(key string) bool {
	for _, p := range credentialParams {
		if key == p {
			return true
		}
	}
	return false
}

// RedactPageQuery replaces credentials in a page query string (a header's
// Query, the query of an /if/flow/ page).
func (r *Redactor) RedactPageQuery(q string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.redactQuery(q, false)
}

// redactURL replaces credential parameters in a URL's query, and in the
// page query an executor URL carries URL-encoded in its `query` parameter.
func (r *Redactor) redactURL(raw string) string {
	head, q, found := strings.Cut(raw, "?")
	if !found {
		return raw
	}
	q, frag, hasFrag := strings.Cut(q, "#")
	nq := r.redactQuery(q, true)
	if nq == q {
		return raw
	}
	if hasFrag {
		return head + "?" + nq + "#" + frag
	}
	return head + "?" + nq
}

// redactQuery rewrites only the credential pairs of a raw query, keeping the
// order and encoding of everything else. The marker is query-escaped so the
// URL stays valid; replay unescapes it to find the secret's name. nested
// also looks inside the `query` parameter (one level: the page query).
func (r *Redactor) redactQuery(raw string, nested bool) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok || v == "" {
			continue
		}
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue
		}
		switch {
		case isCredentialParam(key):
			if IsMarker(val) {
				continue
			}
			parts[i] = k + "=" + url.QueryEscape(Marker(r.credential(key, val)))
			r.hits++
			changed = true
		case nested && key == "query":
			if inner := r.redactQuery(val, false); inner != val {
				parts[i] = k + "=" + url.QueryEscape(inner)
				changed = true
			}
		}
	}
	if !changed {
		return raw
	}
	return strings.Join(parts, "&")
}

// credential registers a URL parameter's value as a secret named
// "url:<param>" and returns the marker name. The value is then scrubbed
// wherever else it appears, even when shorter than the general minimum.
func (r *Redactor) credential(param, value string) string {
	return r.registerCredential("url:"+param, value)
}

func (r *Redactor) registerCredential(name, value string) string {
	_, known := r.names[value]
	n := r.name(name, value)
	if !known && len(value) < minScrubLen {
		r.addScrub(value)
	}
	return n
}

// QueryMarkers lists the names of the secrets redacted in a page query,
// whole values or inside longer ones.
func QueryMarkers(q string) []string {
	var names []string
	mapQueryValues(q, func(v string) string {
		for _, m := range markerSpans(decode(v, queryCodec).text) {
			names = append(names, m.name)
		}
		return v
	})
	return names
}

// FillQuery puts the secrets back into a page query whose values were
// redacted, wherever in a value the marker sits. Names without a value are
// left as markers.
func FillQuery(q string, secrets map[string]string) string {
	return mapQueryValues(q, func(v string) string { return restoreText(v, queryCodec, secrets) })
}
