package flow

import (
	"encoding/base32"
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

func TestTOTPRejectsNonBase32Secret(t *testing.T) {
	if _, err := TOTP("not base32!", time.Now()); err == nil {
		t.Fatal("want an error for a secret that is not base32")
	}
}
