package sim

import (
	"fmt"
	"strings"

	"github.com/akinspect/akinspect/flow"
)

// Banner describes the running simulator for a person: where it is, its
// flows, users, passwords, current TOTP codes, recovery codes and token.
func (s *Server) Banner(baseURL string) string {
	base := strings.TrimRight(baseURL, "/")
	var b strings.Builder
	mode := "authentik 2026.2.2"
	if s.opts.Legacy {
		mode = "authentik 2023.10.5 (legacy shapes)"
	}
	fmt.Fprintf(&b, "Simulated authentik (%s) at %s/\n", mode, base)
	// Users come first: they are what a person needs to log in, and on a
	// small terminal the top of the banner is all that shows.
	now := s.now()
	b.WriteString("\nUsers (password, TOTP code now; codes change every 30 s):\n")
	var secrets []string
	for _, u := range s.Users() {
		if u.Load {
			continue // summed up below: there may be thousands
		}
		line := fmt.Sprintf("  %-9s %-14s", u.Username, u.Password)
		if u.TOTPSecret != "" {
			if code, err := flow.TOTP(u.TOTPSecret, now); err == nil {
				line += " TOTP " + code
			}
			secrets = append(secrets, u.Username+" "+u.TOTPSecret)
		}
		if u.Superuser {
			line += "  (superuser)"
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
		if len(u.StaticCodes) > 0 {
			fmt.Fprintf(&b, "  %-9s recovery codes (single use): %s\n", "", strings.Join(u.StaticCodes, " "))
		}
	}
	if len(secrets) > 0 {
		b.WriteString("  TOTP secrets: " + strings.Join(secrets, ", ") + "\n")
	}
	if n := s.LoadUsers(); n > 0 {
		fmt.Fprintf(&b, "  load users load1…load%d: password loadN-demo, TOTP secret base32(\"loadNNNNNN-demo\")\n", n)
		fmt.Fprintf(&b, "  %-9s (N zero-padded to 6 digits; load1: %s); --users-csv writes them for akinspect load\n", "", LoadUser(1).TOTPSecret)
	}
	b.WriteString("\nFlows:\n")
	for _, f := range s.Flows() {
		fmt.Fprintf(&b, "  %-48s %s\n", f.Slug, f.Description)
		fmt.Fprintf(&b, "  %-48s %s/if/flow/%s/\n", "", base, f.Slug)
	}
	fmt.Fprintf(&b, "\nAdmin API token (akadmin): %s\n", s.AdminToken())
	b.WriteString("  inspector: GET " + base + "/api/v3/flows/inspector/<slug>/ with Authorization: Bearer <token>\n")
	return b.String()
}
