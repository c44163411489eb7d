package transport

import (
	"net/http"
	"strings"
	"testing"
)

// The values Python's urllib.parse.urlencode({"query": raw}) gives, which is
// what Django's urlencode (and so authentik's 302 Location) produces.
func TestEncodeQueryMatchesDjangoURLEncode(t *testing.T) {
	cases := []struct{ raw, want string }{
		{"", "query="},
		{"next=/app/", "query=next%3D%2Fapp%2F"},
		{"next=%2Fapp%2F", "query=next%3D%252Fapp%252F"},
		{"a=1&b=2", "query=a%3D1%26b%3D2"},
		{"q=hello world", "query=q%3Dhello+world"},
		{"q=a+b", "query=q%3Da%2Bb"},
		{"next=/café/", "query=next%3D%2Fcaf%C3%A9%2F"},
		{"x=日本", "query=x%3D%E6%97%A5%E6%9C%AC"},
		{"safe=_.-~AZaz09", "query=safe%3D_.-~AZaz09"},
		{"odd=!*'();:@$,?#[]", "query=odd%3D%21%2A%27%28%29%3B%3A%40%24%2C%3F%23%5B%5D"},
		{"flow_token=abc", "query=flow_token%3Dabc"},
	}
	for _, tc := range cases {
		if got := EncodeQuery(tc.raw); got != tc.want {
			t.Errorf("EncodeQuery(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

func TestQueryIsIdenticalOnEveryCall(t *testing.T) {
	f := newFakeAK(t)
	var seen []string
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.RawQuery)
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Query = "next=/if/user/ x&y" })
	step, err := c.Start(bg())
	if err != nil {
		t.Fatal(err)
	}
	// As a browser's address bar has it: the space percent-encoded.
	if page := step.Exchanges[0].URL; !strings.HasSuffix(page, "/if/flow/"+testSlug+"/?next=/if/user/%20x&y") {
		t.Errorf("page URL %q does not carry the raw query", page)
	}
	if _, err := c.Challenge(bg()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Submit(bg(), answer(`{"component":"ak-stage-identification","uid_field":"a"}`)); err != nil {
		t.Fatal(err)
	}
	want := "query=next%3D%2Fif%2Fuser%2F%2520x%26y"
	for _, s := range seen {
		if !strings.HasSuffix(s, " "+want) {
			t.Errorf("executor call %q, want query %q", s, want)
		}
	}
	if len(seen) != 3 {
		t.Errorf("want 3 executor calls, got %d", len(seen))
	}
}

func TestBrowserQueryEncodesLikeTheAddressBar(t *testing.T) {
	cases := map[string]string{
		"next=/app/":        "next=/app/",
		"next=%2Fapp%2F":    "next=%2Fapp%2F",
		"q=a b":             "q=a%20b",
		"next=/café/":       "next=/caf%C3%A9/",
		`x="<'>"`:           "x=%22%3C%27%3E%22",
		"a=1&b=2+3;c=/?d=e": "a=1&b=2+3;c=/?d=e",
	}
	for raw, want := range cases {
		if got := browserQuery(raw); got != want {
			t.Errorf("browserQuery(%q) = %q, want %q", raw, got, want)
		}
	}
}
