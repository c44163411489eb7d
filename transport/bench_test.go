package transport

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"

	"golang.org/x/net/publicsuffix"

	"github.com/akinspect/akinspect/flow"
)

// benchServer answers executor GETs with a typical identification
// challenge and a session cookie, over loopback.
func benchServer(b *testing.B) *httptest.Server {
	body := []byte(`{"component":"ak-stage-identification","flow_info":{"title":"Welcome to authentik!","background":"/static/dist/assets/images/flow_background.jpg","cancel_url":"/flows/-/cancel/","layout":"stacked"},"user_fields":["username","email"],"password_fields":false,"allow_show_password":false,"primary_action":"Log in","sources":[],"show_source_labels":false,"flow_designation":"authentication","enable_remember_me":false}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "sessionvalue", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkRecordingClient: executor GETs through the client, recording
// every exchange (headers, body, timings, jar snapshot and diff, decode).
// A new client (a new session) starts every `session` exchanges: the
// recorder keeps everything, so without this the heap would grow with b.N.
// What a kept exchange costs is mostly the garbage collector marking it
// again on every cycle, so the two lengths show a typical debugging
// session and a very long one.
func BenchmarkRecordingClient(b *testing.B) {
	for _, session := range []int{100, 1000, 100_000} {
		b.Run(fmt.Sprintf("session-%d", session), func(b *testing.B) {
			benchmarkRecording(b, session)
		})
	}
}

func benchmarkRecording(b *testing.B, session int) {
	srv := benchServer(b)
	rt := http.DefaultTransport.(*http.Transport).Clone() // shared: connections survive a new session
	newClient := func() *Client {
		c, err := New(Config{BaseURL: srv.URL, Flow: testSlug, Query: "next=/app/", Transport: rt})
		if err != nil {
			b.Fatal(err)
		}
		// As every akinspect session does (cmd's openSession): the
		// recording and the TUI keep the exchanges, the recorder none.
		c.Recorder().Retain(0)
		return c
	}
	c := newClient()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 && i%session == 0 {
			c = newClient()
		}
		step, err := c.Challenge(bg())
		if err != nil || step.Challenge == nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareHTTPClient: the same GETs with a plain http.Client and
// cookie jar, reading and decoding the body, recording nothing.
func BenchmarkBareHTTPClient(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchmarkBare(b, false) })
	// The same request as the recording client sends (what a browser
	// sends: fetch metadata, language, Referer, the CSRF header from the
	// jar), so that the difference is the recording and nothing the
	// server does with more headers.
	b.Run("browser-headers", func(b *testing.B) { benchmarkBare(b, true) })
}

func benchmarkBare(b *testing.B, browser bool) {
	srv := benchServer(b)
	jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	hc := &http.Client{Jar: jar, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	u := srv.URL + "/api/v3/flows/executor/" + testSlug + "/?" + EncodeQuery("next=/app/")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequestWithContext(bg(), http.MethodGet, u, nil)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", DefaultUserAgent)
		if browser {
			h := req.Header
			h.Set("Accept", "*/*")
			h.Set("Accept-Language", acceptLanguage(DefaultLang))
			h.Set("Referer", srv.URL+"/if/flow/"+testSlug+"/?next=/app/")
			h.Set("Sec-Fetch-Site", "same-origin")
			h.Set("Sec-Fetch-Mode", "cors")
			h.Set("Sec-Fetch-Dest", "empty")
			for _, c := range jar.Cookies(req.URL) {
				if c.Name == CSRFCookie {
					h.Set(CSRFHeader, c.Value)
				}
			}
		}
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := flow.Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}
