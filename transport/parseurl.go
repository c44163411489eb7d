package transport

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/akinspect/akinspect/flow"
)

// flowRoute is one URL shape that names a flow.
type flowRoute struct {
	marker string // path up to the slug
	tail   string // what may follow "<slug>/"
	query  string // "raw": the page's query; "param": the `query` parameter; "": none
}

var flowRoutes = []flowRoute{
	{"/if/flow/", "", "raw"},
	{"/api/v3/flows/executor/", "", "param"},
	{"/api/v3/flows/inspector/", "", ""},
	{"/api/v3/flows/instances/", "execute/", ""},
}

// ParseFlowURL splits a URL a person copied from the browser,
// https://host[/prefix]/if/flow/<slug>/?next=/x, into the authentik base URL
// (scheme://host[/prefix], no trailing slash), the flow slug and the page's
// raw query string. The executor API URL
// (/api/v3/flows/executor/<slug>/?query=...) is accepted too (its query is
// the decoded `query` parameter), and so are the inspector and execute
// endpoint URLs (no query).
func ParseFlowURL(raw string) (base, slug, query string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", "", "", errors.New("empty flow URL: expected https://HOST/if/flow/SLUG/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", "", fmt.Errorf("flow URL %q is not a URL: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", "", fmt.Errorf("flow URL %q must start with http:// or https://", raw)
	}
	if u.Host == "" {
		return "", "", "", fmt.Errorf("flow URL %q has no host", raw)
	}
	if u.User != nil {
		return "", "", "", fmt.Errorf("flow URL %q must not carry user:password@", raw)
	}
	if !validHost(u.Host) {
		return "", "", "", fmt.Errorf("flow URL %q: %q is not a host name (use the ASCII/punycode form)", raw, u.Host)
	}
	// The escaped path, so that a prefix keeps its encoding in the base URL.
	path := u.EscapedPath()
	var route flowRoute
	var prefix, rest string
	found := false
	for _, r := range flowRoutes {
		if prefix, rest, found = cutPath(path, r.marker); found {
			route = r
			break
		}
	}
	if !found {
		return "", "", "", fmt.Errorf("flow URL %q: the path must contain /if/flow/SLUG/ (the page the browser shows) or /api/v3/flows/executor/SLUG/", raw)
	}
	slug, tail, _ := strings.Cut(rest, "/")
	if slug == "" {
		return "", "", "", fmt.Errorf("flow URL %q has no flow slug after %s", raw, route.marker)
	}
	if tail != "" && tail != route.tail && tail+"/" != route.tail {
		return "", "", "", fmt.Errorf("flow URL %q has %q after the flow slug %q", raw, tail, slug)
	}
	if !flow.ValidSlug(slug) {
		return "", "", "", fmt.Errorf("flow URL %q: %q is not a flow slug (letters, digits, - and _)", raw, slug)
	}
	base = u.Scheme + "://" + u.Host + strings.TrimSuffix(prefix, "/")
	switch route.query {
	case "raw":
		return base, slug, u.RawQuery, nil
	case "param":
		values, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return "", "", "", fmt.Errorf("flow URL %q: bad query string: %v", raw, err)
		}
		return base, slug, values.Get("query"), nil
	}
	return base, slug, "", nil
}

// cutPath splits path at the last occurrence of marker, so a prefix that
// happens to contain the marker text still works.
func cutPath(path, marker string) (prefix, rest string, ok bool) {
	i := strings.LastIndex(path, marker)
	if i < 0 {
		// "/if/flow" alone: report the missing slug rather than a bad path.
		if j := strings.LastIndex(path+"/", marker); j >= 0 && j+len(marker) > len(path) {
			return path[:j], "", true
		}
		return "", "", false
	}
	return path[:i], path[i+len(marker):], true
}

// validHost accepts host[:port] made of the characters DNS names, IPv4 and
// bracketed IPv6 addresses use.
func validHost(h string) bool {
	for _, r := range h {
		ok := r == '-' || r == '.' || r == ':' || r == '_' || r == '[' || r == ']' || r == '%' && strings.HasPrefix(h, "[") ||
			r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return false
		}
	}
	return h != ""
}
