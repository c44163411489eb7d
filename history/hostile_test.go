package history

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A replay diff of a body that is not JSON is cut at a character, not
// inside one.
func TestDiffPreviewCutsAtACharacter(t *testing.T) {
	for pad := 0; pad < 4; pad++ {
		body := strings.Repeat("x", 78+pad) + strings.Repeat("\u202e", 10)
		got := preview([]byte(body))
		if !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
			t.Errorf("preview cut badly: %q", got)
		}
	}
}
