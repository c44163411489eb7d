package history

import "strings"

// A redacted value is replaced by a marker string that names which secret it
// was, so that replay can ask for it again:
//
//	«redacted:password»        a string secret
//	«redacted:code|number»     a secret that was a JSON number (old TOTP codes)
//	«redacted:password#2»      a second, different value under the same name
//	«redacted:cookie:authentik_session»
const (
	markerOpen   = "«redacted:"
	markerClose  = "»"
	numberSuffix = "|number"
)

// Marker is the placeholder written instead of the secret called name.
func Marker(name string) string { return markerOpen + name + markerClose }

func numberMarker(name string) string { return Marker(name + numberSuffix) }

// ParseMarker reports whether s is a whole marker and which secret it names.
// number is true when the secret was a JSON number.
func ParseMarker(s string) (name string, number bool, ok bool) {
	if !strings.HasPrefix(s, markerOpen) || !strings.HasSuffix(s, markerClose) {
		return "", false, false
	}
	name = s[len(markerOpen) : len(s)-len(markerClose)]
	if name == "" {
		return "", false, false
	}
	if strings.HasSuffix(name, numberSuffix) {
		return strings.TrimSuffix(name, numberSuffix), true, true
	}
	return name, false, true
}

// baseName drops the "#2" that tells apart several values of one secret.
func baseName(name string) string {
	if i := strings.LastIndexByte(name, '#'); i > 0 {
		return name[:i]
	}
	return name
}
