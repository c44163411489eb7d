package transport

import (
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func TestParseFlowURL(t *testing.T) {
	cases := []struct {
		raw, base, slug, query string
	}{
		{"https://auth.example.com/if/flow/default-authentication-flow/?next=/x",
			"https://auth.example.com", "default-authentication-flow", "next=/x"},
		{"https://auth.example.com/if/flow/default-authentication-flow/",
			"https://auth.example.com", "default-authentication-flow", ""},
		{"https://auth.example.com/if/flow/login", "https://auth.example.com", "login", ""},
		{"http://127.0.0.1:9000/authentik/if/flow/consent/?next=%2Fapplication%2Fo%2Fauthorize%2F%3Fclient_id%3Dx#frag",
			"http://127.0.0.1:9000/authentik", "consent", "next=%2Fapplication%2Fo%2Fauthorize%2F%3Fclient_id%3Dx"},
		{"  https://auth.example.com/if/flow/a_b-1/?inspector  ", "https://auth.example.com", "a_b-1", "inspector"},
		{"https://auth.example.com/api/v3/flows/executor/default-authentication-flow/?query=next%3D%252Fapp%252F",
			"https://auth.example.com", "default-authentication-flow", "next=%2Fapp%2F"},
		{"https://auth.example.com/api/v3/flows/executor/f/", "https://auth.example.com", "f", ""},
		{"https://auth.example.com/api/v3/flows/inspector/f/", "https://auth.example.com", "f", ""},
		{"https://auth.example.com/p/api/v3/flows/instances/f/execute/", "https://auth.example.com/p", "f", ""},
	}
	for _, tc := range cases {
		base, slug, query, err := ParseFlowURL(tc.raw)
		if err != nil {
			t.Errorf("ParseFlowURL(%q): %v", tc.raw, err)
			continue
		}
		if base != tc.base || slug != tc.slug || query != tc.query {
			t.Errorf("ParseFlowURL(%q) = %q %q %q, want %q %q %q", tc.raw, base, slug, query, tc.base, tc.slug, tc.query)
		}
	}
}

func TestParseFlowURLErrors(t *testing.T) {
	cases := map[string]string{
		"":                                       "empty",
		"auth.example.com/if/flow/x/":            "http:// or https://",
		"ftp://auth.example.com/if/flow/x/":      "http:// or https://",
		"https:///if/flow/x/":                    "no host",
		"https://auth.example.com/":              "/if/flow/SLUG/",
		"https://auth.example.com/if/flow/":      "no flow slug",
		"https://auth.example.com/if/flow":       "no flow slug",
		"https://auth.example.com/if/flow/x/y/":  `"y/" after the flow slug`,
		"https://auth.example.com/if/flow/a%20b": "not a flow slug",
		"https://u:p@auth.example.com/if/flow/x": "user:password",
		"https://h/api/v3/flows/instances/x/y/":  `"y/" after the flow slug`,
	}
	for raw, want := range cases {
		_, _, _, err := ParseFlowURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFlowURL(%q) error = %v, want it to mention %q", raw, err, want)
		}
	}
}

func FuzzParseFlowURL(f *testing.F) {
	f.Add("https://auth.example.com/if/flow/default-authentication-flow/?next=/x")
	f.Add("http://127.0.0.1:9000/prefix/if/flow/f/?a=b&c=d%20e")
	f.Add("https://h/api/v3/flows/executor/s/?query=next%3D%252F")
	f.Add("https://h/if/flow/if/flow/x/")
	f.Add("%")
	f.Fuzz(func(t *testing.T, raw string) {
		base, slug, query, err := ParseFlowURL(raw)
		if err != nil {
			return
		}
		if !flow.ValidSlug(slug) {
			t.Fatalf("invalid slug %q accepted", slug)
		}
		// What it returns must build a client, and the page URL must
		// parse back to the same parts.
		c, err := New(Config{BaseURL: base, Flow: slug, Query: query})
		if err != nil {
			t.Fatalf("New(%q, %q): %v", base, slug, err)
		}
		// The page URL holds the query as a browser's address bar would.
		page := c.endpoints().page().String()
		b2, s2, q2, err := ParseFlowURL(page)
		if err != nil || b2 != c.Config().BaseURL || s2 != slug || q2 != browserQuery(query) {
			t.Fatalf("page URL %q parsed back as %q %q %q (%v), want %q %q %q", page, b2, s2, q2, err, c.Config().BaseURL, slug, browserQuery(query))
		}
	})
}

func TestParseFlowURLKeepsAnEncodedPrefix(t *testing.T) {
	base, slug, _, err := ParseFlowURL("https://h/a%3Fb/if/flow/x/")
	if err != nil || base != "https://h/a%3Fb" || slug != "x" {
		t.Fatalf("got %q %q %v", base, slug, err)
	}
	if _, err := New(Config{BaseURL: base, Flow: slug}); err != nil {
		t.Fatal(err)
	}
}
