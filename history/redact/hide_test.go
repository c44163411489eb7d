package redact

import "testing"

// A report quotes what the server sent: the secrets sent are hidden as
// written and as JSON writes them, short ones only where they stand alone.
func TestHideSecretsInFreeText(t *testing.T) {
	secrets := map[string]string{"password": `pa"ss-word`, "code": "123456", "pin": "1"}
	for _, c := range []struct{ in, want string }{
		{`wrong: pa"ss-word`, "wrong: «redacted:password»"},
		{`{"echo":"pa\"ss-word"}`, `{"echo":"«redacted:password»"}`},
		{"code 123456 sent at 1234567", "code «redacted:code» sent at 1234567"},
		{"pin 1, pin 12", "pin «redacted:pin», pin 12"},
		{"step 12: nothing", "step 12: nothing"},
	} {
		if got := HideSecrets(c.in, secrets); got != c.want {
			t.Errorf("HideSecrets(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
