// Package historytest writes the recordings that the tests of the packages
// built on history (har, curl, replay) start from. (history's own tests
// keep their copies: they cannot import a package that imports history.)
package historytest

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/internal/fixture"
	"github.com/akinspect/akinspect/transport"
)

// WriteSession writes the synthetic session to a new recording.
func WriteSession(t *testing.T, opts history.WriterOptions) (string, *history.Writer) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rec", history.FileName(fixture.SyntheticSession()[0].Start, "default-authentication-flow"))
	w, err := history.Create(path, history.Header{BaseURL: fixture.Base, Flow: "default-authentication-flow", Query: "next=%2F"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range fixture.SyntheticSession() {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	return path, w
}

// RecordingSeed is a small recording as the Writer writes it (redacted).
func RecordingSeed(f *testing.F, user string) []byte {
	path := filepath.Join(f.TempDir(), "seed"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: fixture.Base, Flow: "f"}, history.WriterOptions{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range fixture.TinySession(user)[:2] { // under fixture.MaxFuzzInput
		_ = w.Write(e)
	}
	w.Close()
	data, _ := os.ReadFile(path)
	if len(data) > fixture.MaxFuzzInput {
		f.Fatalf("recording seed of %d bytes, over MaxFuzzInput: the fuzz function would pass it over", len(data))
	}
	return data
}

// FuzzLimits keep every fuzz input cheap: a line or HAR entry over 1 KiB
// takes the over-the-limit path instead of being decoded, so small inputs
// reach that path too.
var FuzzLimits = history.ReadOptions{MaxLine: 1 << 10}

// WriteManyRuns records n exchanges through the real Writer in runs of
// eight: a flow page GET, then seven exchanges of the synthetic login. Three
// runs in four are restarts (R: the page GET carries the jar's cookies);
// every fourth starts in a new session (N: the page GET goes out without
// cookies). With oldWriter the flow records lose their new_session key, as
// files from writers before it had, so Open must work the flag out itself.
func WriteManyRuns(b testing.TB, n int, oldWriter bool) string {
	path := filepath.Join(b.TempDir(), "runs"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: fixture.Base, Flow: "default-authentication-flow"}, history.WriterOptions{NoRedact: true, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	login := fixture.SyntheticSession()[1:8] // executor GET … password POST and its redirect
	jar := login[0].Jar
	html := "<!DOCTYPE html><html><head>" + strings.Repeat(`<link rel="stylesheet" href="/static/dist/x.css">`, 60) + "</head><body><ak-flow-executor></ak-flow-executor></body></html>"
	t0 := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		var e transport.Exchange
		if i%8 == 0 {
			h := http.Header{"Accept": {"text/html"}}
			if (i/8)%4 != 3 {
				h.Set("Cookie", "authentik_session="+fixture.SecretSession+"; authentik_csrf="+fixture.SecretCSRF)
			}
			e = transport.Exchange{
				Flow: "default-authentication-flow", Kind: transport.KindPage, Method: "GET",
				URL: fixture.Base + "/if/flow/default-authentication-flow/?next=%2F", RequestHeader: h, Status: 200, Proto: "HTTP/1.1",
				ResponseHeader: http.Header{"Content-Type": {"text/html"}}, ResponseBody: []byte(html), BodySize: int64(len(html)), Jar: jar,
			}
		} else {
			e = *login[i%8-1]
		}
		e.ID = i + 1
		e.Start = t0.Add(time.Duration(i) * time.Millisecond)
		if err := w.Write(&e); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	if oldWriter {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte(`,"new_session":true`), nil)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return path
}
