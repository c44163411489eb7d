package flow

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TOTPPeriod is the step authentik's TOTP devices use.
const TOTPPeriod = 30 * time.Second

// TOTP computes the 6-digit RFC 6238 code (SHA-1, 30 s) for a base32 secret
// at time t, as authentik's TOTP devices and authenticator apps do.
func TOTP(secret string, t time.Time) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(t.Unix()/int64(TOTPPeriod/time.Second)))
	mac := hmac.New(sha1.New, key)
	mac.Write(counter[:])
	sum := mac.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", code%1000000), nil
}

func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(secret), " ", ""))
	s = strings.TrimRight(s, "=")
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	// The message names where the secret is wrong, never what it holds.
	var corrupt base32.CorruptInputError
	switch {
	case len(key) == 0 && err == nil:
		return nil, errors.New("TOTP secret is empty")
	case errors.As(err, &corrupt):
		return nil, fmt.Errorf("TOTP secret is not base32 (A–Z, 2–7): bad character at position %d of %d", int64(corrupt)+1, len(s))
	case err != nil:
		return nil, errors.New("TOTP secret is not base32 (A–Z, 2–7)")
	}
	return key, nil
}
