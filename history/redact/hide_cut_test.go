package redact

import (
	"strings"
	"testing"
)

// A text cut short ("…") may end inside a secret: that first part is hidden
// too, while a text that was not cut keeps its ending.
func TestHideSecretsHidesTheStartOfASecretAtACut(t *testing.T) {
	secrets := map[string]string{"password": "correct-horse-battery-staple"}
	got := HideSecrets("error for alice: correct-hor…", secrets)
	if want := "error for alice: " + Marker("password") + "…"; got != want {
		t.Errorf("cut text: got %q, want %q", got, want)
	}
	uncut := "error for alice: correct-hor"
	if got := HideSecrets(uncut, secrets); got != uncut {
		t.Errorf("text not cut short changed: %q", got)
	}
	if got := HideSecrets("nothing here…", secrets); strings.Contains(got, markerOpen) {
		t.Errorf("no secret, yet a marker: %q", got)
	}
}
