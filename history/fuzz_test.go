package history

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/akinspect/akinspect/history/curl"
	"github.com/akinspect/akinspect/transport"
)

// Fuzz seeds are small on purpose. Go's fuzzer minimizes every input that
// finds new coverage, and its minimizer runs up to a minute on an input of
// a few kilobytes (it tries removing every pair of positions); a seed the
// size of a real recording keeps both workers minimizing instead of
// fuzzing. What a seed must show is the structure: a flow record, an
// exchange line with headers, bodies, a jar and its changes.

// tinySession is a small login: the executor's identification, the
// password POST whose response rotates the session, and the redirect.
func tinySession(user string) []*transport.Exchange {
	t0 := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	u := base + "/api/v3/flows/executor/f/"
	jar := func(v string) []transport.Cookie {
		return []transport.Cookie{{Name: "authentik_session", Value: v, Domain: "127.0.0.1", Path: "/"}}
	}
	return []*transport.Exchange{
		{ID: 1, Flow: "f", Kind: transport.KindExecutor, Method: "GET", URL: u, Status: 200, Start: t0,
			ResponseBody: []byte(`{"component":"ak-stage-identification"}`), Jar: jar("s1"),
			JarChanges: []transport.CookieChange{{Name: "authentik_session", Change: transport.ChangeAdded}}},
		{ID: 2, Flow: "f", Kind: transport.KindExecutor, Method: "POST", URL: u, Status: 302, Start: t0.Add(time.Second),
			RequestHeader: http.Header{"Cookie": {"authentik_session=s1"}},
			RequestBody:   []byte(`{"component":"ak-stage-password","uid_field":"` + user + `","password":"pw"}`),
			Flags:         []string{transport.FlagRedirect, transport.FlagSessionRotated}, Jar: jar("s2"),
			JarChanges: []transport.CookieChange{{Name: "authentik_session", Change: transport.ChangeChanged}}},
		{ID: 3, Flow: "f", Kind: transport.KindExecutor, Method: "GET", URL: u, Status: 200, Start: t0.Add(2 * time.Second),
			ResponseBody: []byte(`{"component":"xak-flow-redirect","to":"/"}`), Jar: jar("s2")},
	}
}

// recordingSeed is a small recording as the Writer writes it (redacted).
func recordingSeed(f *testing.F, user string) []byte {
	path := filepath.Join(f.TempDir(), "seed"+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "f"}, WriterOptions{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range tinySession(user)[:2] { // under maxFuzzInput
		_ = w.Write(e)
	}
	w.Close()
	data, _ := os.ReadFile(path)
	if len(data) > maxFuzzInput {
		f.Fatalf("recording seed of %d bytes, over maxFuzzInput: the fuzz function would pass it over", len(data))
	}
	return data
}

// tinyBrowserHAR is a devtools HAR in few bytes: a pseudo header, cookies
// both ways, a POST and a flow error.
const tinyBrowserHAR = `{"log":{"entries":[` +
	`{"startedDateTime":"2026-11-26T10:00:00Z","request":{"method":"POST","url":"https://a/api/v3/flows/executor/f/","headers":[{"name":":authority","value":"a"},{"name":"cookie","value":"authentik_session=s"}],"cookies":[{"name":"authentik_session","value":"s"}],"postData":{"text":"{\"component\":\"ak-stage-consent\"}"}},"response":{"status":200,"cookies":[{"name":"authentik_session","value":"t","expires":"2027-01-01T00:00:00Z"}],"content":{"size":-1,"text":"eyJjb21wb25lbnQiOiJhay1zdGFnZS1mbG93LWVycm9yIn0=","encoding":"base64"}},"timings":{"wait":1,"ssl":-1}}]}}`

// fuzzLimits keep every fuzz input cheap: a line or HAR entry over 1 KiB
// takes the over-the-limit path instead of being decoded, so small inputs
// reach that path too.
var fuzzLimits = ReadOptions{MaxLine: 1 << 10}

// maxFuzzInput: a larger input is passed over at once. It finds no new
// coverage, so the fuzzer never spends a minute minimizing it; everything
// a larger input could reach, one under this size reaches with the small
// line limit.
const maxFuzzInput = 1536

// FuzzOpenRecording: whatever the file holds, Open and reading what it
// indexed never panic.
func FuzzOpenRecording(f *testing.F) {
	seed := recordingSeed(f, "alice")
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(`{"akinspect_recording":1}` + "\n" + `{"type":"exchange","id":1,"url":"x"` + "\n"))
	f.Add([]byte(`{"akinspect_recording":1}` + "\n" + `{"type":"flow","flow":"a"}` + "\n" + `{"id":1,"type":"exchange","response_body":"e30=","response_body_encoding":"base64"}` + "\n"))
	f.Add([]byte(tinyBrowserHAR))
	f.Add([]byte("\xef\xbb\xbf{\"log\":{\"entries\":[]}}"))
	f.Add([]byte("not json at all"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		// In memory, as Open reads a file (no temporary file per input),
		// with a small line limit so that the over-limit paths are reached
		// by small inputs.
		rec, err := openBytes(data, fuzzLimits)
		if err != nil {
			return
		}
		for i := 0; i < rec.Len(); i++ {
			_ = rec.Summary(i)
			_, _ = rec.Exchange(i)
			_ = rec.FlowAt(i)
		}
		_, _ = rec.Search("a")
		var buf bytes.Buffer
		_ = ExportHAR(&buf, rec, HAROptions{})
	})
}

// FuzzImportHAR: any input either imports or returns an error.
func FuzzImportHAR(f *testing.F) {
	f.Add([]byte(tinyBrowserHAR))
	var buf, compact bytes.Buffer
	_ = ExportHAR(&buf, Exchanges(tinySession("alice")[1:2]), HAROptions{})
	_ = json.Compact(&compact, buf.Bytes()) // under maxFuzzInput
	if compact.Len() > maxFuzzInput || len(tinyBrowserHAR) > maxFuzzInput {
		f.Fatal("a HAR seed is over maxFuzzInput: the fuzz function would pass it over")
	}
	f.Add(compact.Bytes())
	f.Add([]byte(`{"log":{"entries":[{"request":{"postData":{"text":"%%%","_encoding":"base64"}}}]}}`))
	f.Add([]byte(`{"log":{"entries":[{"startedDateTime":"x","request":{"url":"http://h/api/v3/flows/executor//"},"response":{"content":{"text":"{}","encoding":"base64"}}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		rec, err := ImportHARWith(bytes.NewReader(data), fuzzLimits)
		if err != nil {
			return
		}
		for i := 0; i < rec.Len(); i++ {
			e, err := rec.Exchange(i)
			if err != nil || e == nil {
				t.Fatalf("imported exchange %d unreadable: %v", i, err)
			}
			_ = curl.Command(e, e.Jar)
		}
	})
}
