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
	fmt.Fprintf(&b, "Simulated authentik (%s) at %s/\n\nFlows:\n", mode, base)
	for _, f := range s.Flows() {
		fmt.Fprintf(&b, "  %-48s %s\n", f.Slug, f.Description)
		fmt.Fprintf(&b, "  %-48s %s/if/flow/%s/\n", "", base, f.Slug)
	}
	now := s.now()
	b.WriteString("\nUsers:\n")
	for _, u := range s.Users() {
		role := ""
		if u.Superuser {
			role = " (superuser)"
		}
		fmt.Fprintf(&b, "  %-10s password %s%s\n", u.Username, u.Password, role)
		if u.TOTPSecret != "" {
			code, err := flow.TOTP(u.TOTPSecret, now)
			if err == nil {
				fmt.Fprintf(&b, "  %-10s TOTP now %s (secret %s, changes every 30 s)\n", "", code, u.TOTPSecret)
			}
		}
		if len(u.StaticCodes) > 0 {
			fmt.Fprintf(&b, "  %-10s recovery codes (single use) %s\n", "", strings.Join(u.StaticCodes, " "))
		}
	}
	fmt.Fprintf(&b, "\nAdmin API token (akadmin): %s\n", s.AdminToken())
	b.WriteString("  inspector: GET " + base + "/api/v3/flows/inspector/<slug>/ with Authorization: Bearer <token>\n")
	return b.String()
}
