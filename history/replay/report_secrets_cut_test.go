package replay

import (
	"strings"
	"testing"
)

// A body cut at 80 bytes for the report can end inside a secret the server
// echoed; the part before the cut must not reach the report either.
func TestReportHidesTheStartOfASecretCutByThePreview(t *testing.T) {
	secret := "correct-horse-battery-staple-0123456789"
	body := []byte("<html><body>Internal error while checking the password for user alice: " + secret + "</body></html>")
	got := preview(body)
	if strings.Contains(got, secret) || !strings.Contains(got, secret[:4]) {
		t.Fatalf("test premise: the preview %q should cut inside the secret", got)
	}
	r := &Report{Steps: []StepResult{{Diffs: []Diff{{Path: "body", Want: "x", Got: got}}}}}
	r.hideSecrets(map[string]string{"password": secret}, nil)
	shown := r.Steps[0].Diffs[0].Got
	if strings.Contains(shown, secret[:4]) {
		t.Errorf("report shows the start of the password: %q", shown)
	}
	if !strings.Contains(shown, "user alice: ") {
		t.Errorf("report lost the text before the secret: %q", shown)
	}
}
