package transport

import (
	"net/http"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
)

func recorded(id int, method string, header http.Header, body, challenge string) *Exchange {
	ex := &Exchange{ID: id, Method: method, Kind: KindExecutor, RequestHeader: header, RequestBody: []byte(body), Status: 200}
	if challenge != "" {
		ch, err := flow.Decode([]byte(challenge))
		if err != nil {
			panic(err)
		}
		ex.Challenge, ex.Component = ch, ch.Component
	}
	return ex
}

// A browser HAR: a login rotated the session, then a consent POST went out
// without the CSRF header and came back as a bare flow error. The recorded
// exchange gets the diagnosis a live client would have given.
func TestDiagnoseRecordedFindsTheMissingCSRFHeader(t *testing.T) {
	login := recorded(1, "POST", http.Header{}, `{"component":"ak-stage-password","password":"x"}`, "")
	login.Flags = []string{FlagSessionRotated}
	consent := recorded(2, "GET", http.Header{}, "", `{"component":"ak-stage-consent","token":"t","permissions":[]}`)
	post := recorded(3, "POST", http.Header{"Cookie": {"authentik_session=s; authentik_csrf=c"}},
		`{"component":"ak-stage-consent","token":"t"}`, `{"component":"ak-stage-flow-error","request_id":"r9"}`)
	before := []*Exchange{login, consent}
	DiagnoseRecorded(before, post)
	if !post.Has(FlagLikelyCSRF) || !strings.Contains(post.Diagnosis, "sent no X-authentik-CSRF header") || !strings.Contains(post.Diagnosis, "r9") {
		t.Errorf("diagnosis %q flags %v: want a likely CSRF failure naming the missing header", post.Diagnosis, post.Flags)
	}

	// With the header, or before any login, it is not blamed on CSRF.
	withHeader := recorded(3, "POST", http.Header{"Cookie": {"authentik_csrf=c"}, "X-Authentik-Csrf": {"c"}},
		`{"component":"ak-stage-consent","token":"t"}`, `{"component":"ak-stage-flow-error","request_id":"r9"}`)
	DiagnoseRecorded(before, withHeader)
	anonymous := recorded(3, "POST", http.Header{}, `{"component":"ak-stage-consent","token":"t"}`, `{"component":"ak-stage-flow-error","request_id":"r9"}`)
	DiagnoseRecorded([]*Exchange{consent}, anonymous)
	for _, ex := range []*Exchange{withHeader, anonymous} {
		if ex.Has(FlagLikelyCSRF) || !strings.Contains(ex.Diagnosis, "hid the error") {
			t.Errorf("diagnosis %q flags %v: want the hidden-error explanation, not CSRF", ex.Diagnosis, ex.Flags)
		}
	}
	// A diagnosis the recording already has is kept.
	kept := recorded(4, "POST", http.Header{}, `{}`, `{"component":"ak-stage-flow-error","request_id":"r1"}`)
	kept.Diagnosis = "as recorded"
	DiagnoseRecorded(before, kept)
	if kept.Diagnosis != "as recorded" {
		t.Errorf("a recorded diagnosis was replaced: %q", kept.Diagnosis)
	}
}
