package load

import (
	"net/http"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/transport"
)

// A recording made with --no-redact holds the account in clear: with a
// users file, the username and passwords of the identification and
// password answers become markers each virtual user fills, and nothing
// else is touched.
func TestRecordedAccountBecomesMarkers(t *testing.T) {
	post := func(body string) *transport.Exchange {
		return &transport.Exchange{Kind: transport.KindExecutor, Method: http.MethodPost, RequestBody: []byte(body)}
	}
	exs := []*transport.Exchange{
		post(` {"component":"ak-stage-identification","uid_field":"alice","password":"alice-pw"}`),
		post(`{"component":"ak-stage-password","password":"alice-pw"}`),
		post(`{"component":"ak-stage-authenticator-validate","code":"123456","password":"not-this-one"}`),
		post(`{"component":"ak-stage-password","password":"«redacted:password»"}`),
	}
	out := withUserMarkers(exs)
	want := []string{
		`"uid_field":"«redacted:username»"`, `"password":"«redacted:password»"`,
		`"password":"«redacted:password»"`,
		`"password":"not-this-one"`,
		`"password":"«redacted:password»"`,
	}
	for i, w := range []int{0, 0, 1, 2, 3} {
		if !strings.Contains(string(out[w].RequestBody), want[i]) {
			t.Errorf("answer %d: %s lacks %s", w, out[w].RequestBody, want[i])
		}
	}
	if out[2] != exs[2] || out[3] != exs[3] {
		t.Error("an answer with nothing to replace was copied")
	}
	if !strings.Contains(string(exs[0].RequestBody), `"alice"`) {
		t.Error("the recording's own exchange was changed")
	}
}
