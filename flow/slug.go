package flow

// ValidSlug matches Django's SlugField, as authentik's flow slugs do:
// letters, digits, hyphens and underscores.
func ValidSlug(s string) bool {
	for _, r := range s {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}
