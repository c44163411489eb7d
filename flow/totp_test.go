package flow

import (
	"encoding/base32"
	"strings"
	"testing"
	"time"
)

// RFC 6238 appendix B, SHA-1 rows (8 digits there; we keep the last 6).
func TestTOTPMatchesRFC6238Vectors(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	cases := map[int64]string{
		59:          "287082",
		1111111109:  "081804",
		1111111111:  "050471",
		1234567890:  "005924",
		2000000000:  "279037",
		20000000000: "353130",
	}
	for sec, want := range cases {
		got, err := TOTP(secret, time.Unix(sec, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("TOTP at %d = %s, want %s", sec, got, want)
		}
	}
}

// A mistyped secret is still a secret: the error says where it is wrong,
// never what it holds.
func TestTOTPErrorsNeverCarryTheSecret(t *testing.T) {
	for _, secret := range []string{"JBSWY3DPEHPK3PX1", "not base32!", "JBSWY3DPEHPK3PXP8QQQ", "  ", "===="} {
		_, err := TOTP(secret, time.Now())
		if err == nil {
			t.Fatalf("TOTP(%q): want an error", secret)
		}
		if trimmed := strings.TrimSpace(strings.Trim(secret, "=")); trimmed != "" && strings.Contains(strings.ToUpper(err.Error()), strings.ToUpper(trimmed)) {
			t.Errorf("TOTP(%q) error carries the secret: %v", secret, err)
		}
	}
	_, err := TOTP("JBSWY3DPEHPK3PX1", time.Now())
	if err == nil || !strings.Contains(err.Error(), "position 16") {
		t.Errorf("the error should point at the bad character: %v", err)
	}
}
