package sim

import (
	"encoding/base32"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// User is a demo account as the banner and tests see it.
type User struct {
	Username, Password, Email, TOTPSecret string
	StaticCodes                           []string
	Superuser                             bool
	Load                                  bool // a load account (Options.LoadUsers)
}

// device is one authenticator of a user (authentik's Device models).
type device struct {
	pk       int
	class    string // totp, static, duo
	name     string
	secret   string   // totp
	codes    []string // static; used codes are removed
	lastUsed *time.Time
	// lastT is django-otp's TOTPDevice.last_t: the time step of the last
	// code the device accepted; nil before any (see totpMatch).
	lastT *int64
}

// account is the server's copy of a user; guarded by Server.dataMu.
type account struct {
	pk        int
	username  string
	name      string
	email     string
	password  string
	superuser bool
	load      bool // one of Options.LoadUsers (the banner sums them up)
	devices   []*device
}

func (a *account) devicesOf(classes ...string) []*device {
	var out []*device
	for _, d := range a.devices {
		for _, c := range classes {
			if d.class == c {
				out = append(out, d)
			}
		}
	}
	return out
}

// Fixed secrets so that the banner (and a person with an authenticator app)
// can produce valid codes.
const (
	secretAkadmin = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	secretAlice   = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

func demoAccounts() []*account {
	return []*account{
		{pk: 1, username: "akadmin", name: "authentik Default Admin", email: "akadmin@example.com",
			password: "akadmin-demo", superuser: true, devices: []*device{
				{pk: 1, class: "totp", name: "akadmin's phone", secret: secretAkadmin},
				{pk: 2, class: "static", name: "akadmin's recovery codes", codes: []string{"ak4m7q2x", "ak9c3v8n", "ak2p6w5t", "ak8r1y7k"}},
				{pk: 3, class: "duo", name: "akadmin's Duo Mobile"},
			}},
		{pk: 2, username: "alice", name: "Alice Example", email: "alice@example.com",
			password: "alice-demo", devices: []*device{
				{pk: 4, class: "totp", name: "alice's phone", secret: secretAlice},
				{pk: 5, class: "static", name: "alice's recovery codes", codes: []string{"al3k8d2m", "al7f4s9q", "al5n2h6v", "al1x9b4r"}},
				{pk: 6, class: "duo", name: "alice's Duo Mobile"},
			}},
		{pk: 3, username: "bob", name: "Bob Example", email: "bob@example.com", password: "bob-demo"},
	}
}

// Users lists the accounts, demo users first, with their current static codes.
func (s *Server) Users() []User {
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	accts := append([]*account(nil), s.accounts...)
	sort.SliceStable(accts, func(i, j int) bool { return accts[i].pk < accts[j].pk })
	out := make([]User, 0, len(accts))
	for _, a := range accts {
		u := User{Username: a.username, Password: a.password, Email: a.email, Superuser: a.superuser, Load: a.load}
		for _, d := range a.devices {
			switch d.class {
			case "totp":
				if u.TOTPSecret == "" {
					u.TOTPSecret = d.secret
				}
			case "static":
				u.StaticCodes = append(u.StaticCodes, d.codes...)
			}
		}
		out = append(out, u)
	}
	return out
}

// findAccount looks a user up by username or email (identification's
// user_fields); callers hold dataMu.
func (s *Server) findAccount(uid string) *account {
	for _, a := range s.accounts {
		if a.username == uid || (a.email != "" && a.email == uid) {
			return a
		}
	}
	return nil
}

func (s *Server) usernameTaken(name string) bool {
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	for _, a := range s.accounts {
		if a.username == name {
			return true
		}
	}
	return false
}

// userContext is how the inspector's plan_context shows a pending user.
func userContext(a *account) object {
	return object{
		{"pk", a.pk}, {"username", a.username}, {"name", a.name}, {"email", a.email},
		{"is_active", true}, {"is_superuser", a.superuser},
	}
}

// MaxLoadUsers bounds Options.LoadUsers.
const MaxLoadUsers = 10000

// loadPKBase numbers the load accounts (pk loadPKBase+n) and their devices
// apart from the demo users and from enrolled ones (nextPK starts at 100).
const loadPKBase = 1_000_000

// LoadUser is load account n (1-based) as Options.LoadUsers creates it:
// username loadN, password loadN-demo, email loadN@example.com, and one TOTP
// device whose secret is the base32 (RFC 4648, no padding) of the ASCII
// text "loadNNNNNN-demo" (N zero-padded to six digits), e.g. load1:
// NRXWCZBQGAYDAMBRFVSGK3LP.
func LoadUser(n int) User {
	return User{
		Username:   fmt.Sprintf("load%d", n),
		Password:   fmt.Sprintf("load%d-demo", n),
		Email:      fmt.Sprintf("load%d@example.com", n),
		TOTPSecret: base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(fmt.Appendf(nil, "load%06d-demo", n)),
	}
}

func loadAccounts(n int) []*account {
	n = min(max(n, 0), MaxLoadUsers)
	out := make([]*account, 0, n)
	for i := 1; i <= n; i++ {
		u := LoadUser(i)
		out = append(out, &account{pk: loadPKBase + i, username: u.Username, name: "Load User " + strconv.Itoa(i),
			email: u.Email, password: u.Password, load: true, devices: []*device{
				{pk: loadPKBase + i, class: "totp", name: u.Username + "'s phone", secret: u.TOTPSecret},
			}})
	}
	return out
}

// LoadUsers is the number of load accounts (Options.LoadUsers, bounded).
func (s *Server) LoadUsers() int { return min(max(s.opts.LoadUsers, 0), MaxLoadUsers) }
