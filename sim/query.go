package sim

import (
	"net/url"
	"strings"
)

// param is one query parameter in order of appearance.
type param struct{ key, value string }

// parseQS parses like Django's QueryDict: split on '&', '+' is a space,
// blank values kept, bad percent escapes left as they are.
func parseQS(raw string) []param {
	var out []param
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		out = append(out, param{unquotePlus(k), unquotePlus(v)})
	}
	return out
}

// lastValue is QueryDict.get: the last value of key.
func lastValue(ps []param, key string) (string, bool) {
	v, ok := "", false
	for _, p := range ps {
		if p.key == key {
			v, ok = p.value, true
		}
	}
	return v, ok
}

// djangoURLEncode is urlencode(QueryDict.items()): one entry per key (its
// last value) in order of first appearance, quote_plus'd.
func djangoURLEncode(ps []param) string {
	var keys []string
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.key] {
			seen[p.key] = true
			keys = append(keys, p.key)
		}
	}
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v, _ := lastValue(ps, k)
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return strings.Join(parts, "&")
}

func unquotePlus(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// iriToURI is Django's iri_to_uri, as get_full_path applies it to the
// query string: everything outside its safe set is percent-encoded.
func iriToURI(s string) string {
	const safe = "/#%[]=:;$&()+,!?*@'~_.-"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(safe, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
	}
	return b.String()
}
