package sim

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func TestLoadUsersLogInWithTheirOwnPasswordAndTOTP(t *testing.T) {
	s := New(Options{LoadUsers: 3})
	var load []User
	for _, u := range s.Users() {
		if u.Load {
			load = append(load, u)
		}
	}
	if len(load) != 3 {
		t.Fatalf("load users %+v", load)
	}
	for i, u := range load {
		want := LoadUser(i + 1)
		if u.Username != want.Username || u.Password != want.Password || u.TOTPSecret != want.TOTPSecret {
			t.Errorf("user %d is %+v, want %+v", i+1, u, want)
		}
	}
	if got := LoadUser(1).TOTPSecret; got != "NRXWCZBQGAYDAMBRFVSGK3LP" {
		t.Errorf("load1 TOTP secret %s, the documented one is NRXWCZBQGAYDAMBRFVSGK3LP", got)
	}
	if _, err := flow.TOTP(LoadUser(7).TOTPSecret, s.now()); err != nil {
		t.Fatal(err)
	}
	u := LoadUser(2)
	s.dataMu.Lock()
	a := s.findAccount(u.Username)
	s.dataMu.Unlock()
	code, _ := flow.TOTP(u.TOTPSecret, s.now())
	if a == nil || a.password != u.Password || !s.matchToken(a, code) {
		t.Fatalf("load2 cannot log in with its password and TOTP code")
	}
	b := s.Banner("http://127.0.0.1:9000")
	if strings.Contains(b, "load2 ") || !strings.Contains(b, "load1…load3") {
		t.Errorf("the banner should sum the load users up in one line:\n%s", b)
	}
	if strings.Contains(New(Options{}).Banner("http://x"), "load") {
		t.Error("without LoadUsers the banner mentions load users")
	}
}
