package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// recordEnrollment enrolls carol on a fresh simulator over real HTTP and
// records the session. The answer carries no Secrets list: the redactor
// must find the password fields itself.
func recordEnrollment(t *testing.T, password string, opts history.WriterOptions) (string, []*transport.Exchange) {
	t.Helper()
	_, ts := newSimServer(t, "")
	const slug = "default-enrollment-flow"
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: slug})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), history.FileName(simNow, slug))
	w, err := history.Create(path, history.Header{BaseURL: ts.URL, Flow: slug}, opts)
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	ctx := context.Background()
	step := func(st *transport.Step, err error, want string) {
		t.Helper()
		if err != nil || st.Challenge == nil || st.Challenge.Component != want {
			t.Fatalf("enrollment: want %s, got %+v (%v)", want, st, err)
		}
	}
	st, err := c.Start(ctx)
	step(st, err, flow.ComponentPrompt)
	st, err = c.Submit(ctx, answer(flow.ComponentPrompt, enrollmentValues(password)))
	step(st, err, flow.ComponentUserLogin)
	st, err = c.Submit(ctx, answer(flow.ComponentUserLogin, map[string]any{"remember_me": true}))
	step(st, err, flow.ComponentRedirect)
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path, c.Recorder().Exchanges()
}

func openAll(t *testing.T, path string) []*transport.Exchange {
	t.Helper()
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	exs, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	return exs
}

// jsonKeys lists every object key of a JSON document in order, read with
// encoding/json rather than the redactor's own scanner.
func jsonKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	var keys []string
	var inObject []bool // per open container: is it an object
	expectKey := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return keys
		}
		if err != nil {
			t.Fatalf("body does not parse: %v\n%s", err, b)
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				inObject = append(inObject, d == '{')
				expectKey = d == '{'
			default:
				inObject = inObject[:len(inObject)-1]
				expectKey = len(inObject) > 0 && inObject[len(inObject)-1]
			}
			continue
		}
		if expectKey {
			keys = append(keys, tok.(string))
		}
		expectKey = len(inObject) > 0 && inObject[len(inObject)-1] && !expectKey
	}
}

// names is what a person reads as structure in an exchange: body keys,
// header names, cookie names in headers and in the jar.
func names(t *testing.T, e *transport.Exchange) []string {
	t.Helper()
	var out []string
	for _, b := range [][]byte{e.RequestBody, e.ResponseBody} {
		if json.Valid(b) {
			out = append(out, jsonKeys(t, b)...)
		}
	}
	for _, h := range []http.Header{e.RequestHeader, e.ResponseHeader} {
		for k, vs := range h {
			out = append(out, k)
			for _, v := range vs {
				if k == "Cookie" || k == "Set-Cookie" {
					out = append(out, cookieNames(v, k == "Set-Cookie")...)
				}
			}
		}
	}
	for _, ck := range e.Jar {
		out = append(out, ck.Name)
	}
	sort.Strings(out)
	return out
}

// checkStructureKept: the recording has the live session's keys, header
// and cookie names, and no marker inside another.
func checkStructureKept(t *testing.T, path string, live []*transport.Exchange) []*transport.Exchange {
	t.Helper()
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte("«redacted:«")) || bytes.Contains(data, []byte("redacted:%C2%AB")) {
		t.Errorf("a marker was written inside another marker:\n%s", data)
	}
	got := openAll(t, path)
	if len(got) != len(live) {
		t.Fatalf("recorded %d exchanges, the session had %d", len(got), len(live))
	}
	for i := range live {
		want, have := names(t, live[i]), names(t, got[i])
		if strings.Join(want, "\n") != strings.Join(have, "\n") {
			t.Errorf("exchange %d: keys and names changed:\nlive     %q\nrecorded %q", i+1, want, have)
		}
	}
	return got
}

// promptAnswer is the recorded POST that answered the enrollment prompt.
func promptAnswer(t *testing.T, exs []*transport.Exchange) map[string]json.RawMessage {
	t.Helper()
	for _, e := range exs {
		if e.Method == http.MethodPost && bytes.Contains(e.RequestBody, []byte(`"`+flow.ComponentPrompt+`"`)) {
			fields, ok := AnswerFields(e)
			if !ok {
				t.Fatalf("the recorded prompt answer is no longer a JSON object: %s", e.RequestBody)
			}
			return fields
		}
	}
	t.Fatal("no prompt answer recorded")
	return nil
}

func replayEnrollment(t *testing.T, path, password string) (*Report, [][]byte) {
	t.Helper()
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, fresh := newSimServer(t, "")
	sent := &bodyLog{}
	report, err := Replay(context.Background(), rec, ReplayOptions{
		BaseURL: fresh.URL, Secrets: map[string]string{"password": password},
		Transport: sent, Now: func() time.Time { return simNow },
	})
	if err != nil {
		t.Fatalf("replay with --secret password=%s: %v", password, err)
	}
	return report, sent.bodies
}

func TestEnrollmentWithPasswordPasswordKeepsKeysAndReplays(t *testing.T) {
	path, live := recordEnrollment(t, "password", history.WriterOptions{})
	got := checkStructureKept(t, path, live)
	fields := promptAnswer(t, got)
	for _, k := range []string{"password", "password_repeat"} {
		if string(fields[k]) != `"«redacted:password»"` {
			t.Errorf("answer field %s recorded as %s, want the password marker", k, fields[k])
		}
	}
	if string(fields["username"]) != `"carol"` || string(fields["age"]) != "33" {
		t.Errorf("fields that are not secret changed: username %s age %s", fields["username"], fields["age"])
	}
	report, _ := replayEnrollment(t, path, "password")
	if report.Diverged {
		t.Errorf("replay diverged:\n%s", report.Text())
	}
}

func TestEnrollmentWithPasswordAuthentikKeepsCookieNames(t *testing.T) {
	path, live := recordEnrollment(t, "authentik", history.WriterOptions{})
	got := checkStructureKept(t, path, live)
	last := got[len(got)-1]
	if len(last.Jar) == 0 {
		t.Fatal("the recording has no cookies to check")
	}
	for _, ck := range last.Jar {
		if !strings.HasPrefix(ck.Name, "authentik_") || !strings.HasPrefix(ck.Value, "«redacted:cookie:authentik_") {
			t.Errorf("jar cookie recorded as %s=%s", ck.Name, ck.Value)
		}
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte(`"authentik"`)) {
		t.Error("the password authentik is in the recording as a value")
	}
	report, _ := replayEnrollment(t, path, "authentik")
	if report.Diverged {
		t.Errorf("replay diverged:\n%s", report.Text())
	}
}

func TestRedactedAndUnredactedRecordingsReplayTheSameBodies(t *testing.T) {
	for _, password := range []string{"password", "authentik", "carol-demo-pw"} {
		redacted, _ := recordEnrollment(t, password, history.WriterOptions{})
		plain, _ := recordEnrollment(t, password, history.WriterOptions{NoRedact: true})
		_, want := replayEnrollment(t, plain, password)
		_, got := replayEnrollment(t, redacted, password)
		if len(want) != 2 {
			t.Fatalf("password %q: the unredacted replay sent %d answers, want 2", password, len(want))
		}
		if len(got) != len(want) {
			t.Fatalf("password %q: replays sent %d and %d answers", password, len(got), len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Errorf("password %q, answer %d:\nredacted recording sent   %s\nunredacted recording sent %s", password, i+1, got[i], want[i])
			}
		}
	}
}

// bodyLog records the bodies of the POSTs a replay sends.
type bodyLog struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (l *bodyLog) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		l.mu.Lock()
		l.bodies = append(l.bodies, b)
		l.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// cookieNames lists the cookie names of a Cookie header value (or the one
// of a Set-Cookie value), however redacted the values are.
func cookieNames(v string, set bool) []string {
	parts := strings.Split(v, ";")
	if set {
		parts = parts[:1]
	}
	var out []string
	for _, p := range parts {
		name, _, _ := strings.Cut(p, "=")
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, name)
		}
	}
	return out
}
