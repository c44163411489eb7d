package sim

import (
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// A TOTP device takes a code once: django-otp's TOTPDevice.verify_token
// verifies from last_t+1 and then sets last_t to the step that matched,
// so the same code (or one of an earlier step) is refused until a later
// step's code comes, within the tolerance of one step either side.
func TestATOTPCodeIsAcceptedOncePerStep(t *testing.T) {
	now := time.Unix(1_800_000_000/30*30+10, 0)
	s := New(Options{LoadUsers: 2, Now: func() time.Time { return now }})
	u := LoadUser(1)
	s.dataMu.Lock()
	a := s.findAccount(u.Username)
	s.dataMu.Unlock()
	code := func(at time.Time) string { c, _ := flow.TOTP(u.TOTPSecret, at); return c }
	step := 30 * time.Second
	checks := []struct {
		what string
		code string
		want bool
	}{
		{"the current code", code(now), true},
		{"the same code again", code(now), false},
		{"the previous step's code", code(now.Add(-step)), false},
		{"the next step's code (tolerance)", code(now.Add(step)), true},
		{"the next step's code again", code(now.Add(step)), false},
		{"the current code after the next step's", code(now), false},
	}
	for _, c := range checks {
		if got := s.matchToken(a, c.code); got != c.want {
			t.Errorf("%s: accepted %v, want %v", c.what, got, c.want)
		}
	}
	now = now.Add(2 * step)
	if !s.matchToken(a, code(now)) {
		t.Error("a code of a later step is refused")
	}
	// Each device has its own last step.
	other := LoadUser(2)
	s.dataMu.Lock()
	b := s.findAccount(other.Username)
	s.dataMu.Unlock()
	if c, _ := flow.TOTP(other.TOTPSecret, now); !s.matchToken(b, c) {
		t.Error("another account's code is refused")
	}
}
