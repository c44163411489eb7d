package replay

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/har"
	"github.com/akinspect/akinspect/transport"
)

const flowTokenSecret = "SECRETTOKEN123"

// recordWithFlowToken logs alice in on a page opened with a recovery-style
// link (flow_token in the page query) and returns the recording, the live
// exchanges and the sim's URL.
func recordWithFlowToken(t *testing.T, opts history.WriterOptions) (string, []*transport.Exchange, string) {
	t.Helper()
	s, ts := newSimServer(t, "")
	alice := simUser(t, s, "alice")
	query := "flow_token=" + flowTokenSecret + "&next=/x"
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: "default-authentication-flow", Query: query})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), history.FileName(simNow, "default-authentication-flow"))
	w, err := history.Create(path, history.Header{BaseURL: ts.URL, Flow: "default-authentication-flow", Query: query}, opts)
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	ctx := context.Background()
	steps := []func() (*transport.Step, error){
		func() (*transport.Step, error) { return c.Start(ctx) },
		func() (*transport.Step, error) {
			return c.Submit(ctx, answer(flow.ComponentIdentify, map[string]any{"uid_field": alice.Username}))
		},
		func() (*transport.Step, error) {
			return c.Submit(ctx, answer(flow.ComponentPassword, map[string]any{"password": alice.Password}, "password"))
		},
		func() (*transport.Step, error) {
			code, _ := flow.TOTP(alice.TOTPSecret, simNow)
			return c.Submit(ctx, answer(flow.ComponentValidate, map[string]any{"code": code}, "code"))
		},
	}
	var last *transport.Step
	for _, step := range steps {
		if last, err = step(); err != nil {
			t.Fatalf("recording the login: %v", err)
		}
	}
	if last.Challenge == nil || last.Challenge.Component != flow.ComponentRedirect {
		t.Fatalf("login did not finish: %+v", last.Challenge)
	}
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	live := c.Recorder().Exchanges()
	sawToken := false
	for _, e := range live {
		sawToken = sawToken || strings.Contains(e.URL, flowTokenSecret)
	}
	if !sawToken {
		t.Fatal("the client never sent the flow_token: the test proves nothing")
	}
	return path, live, ts.URL
}

func TestFlowTokenInPageQueryIsRedacted(t *testing.T) {
	path, live, _ := recordWithFlowToken(t, history.WriterOptions{})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if i := bytes.Index(data, []byte(flowTokenSecret)); i >= 0 {
		t.Errorf("the redacted recording holds the flow_token: …%s…", data[max(0, i-120):i+len(flowTokenSecret)])
	}
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	raw := history.Header{Flow: "default-authentication-flow", Query: "flow_token=" + flowTokenSecret + "&next=/x"}
	for _, x := range []struct {
		name string
		src  history.Source
		opts har.Options
	}{{"the recording", rec, har.Options{}}, {"the live session", history.Exchanges(live), har.Options{Header: &raw}}} {
		var out bytes.Buffer
		if err := har.Export(&out, x.src, x.opts); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out.Bytes(), []byte(flowTokenSecret)) {
			t.Errorf("har.Export of %s holds the flow_token", x.name)
		}
	}
	if !strings.Contains(rec.Header.Query, "next=/x") || !strings.Contains(rec.Flows[0].Query, "flow_token=") {
		t.Errorf("redaction lost the rest of the query: header %q, run %q", rec.Header.Query, rec.Flows[0].Query)
	}
}

func TestNoRedactKeepsTheFlowToken(t *testing.T) {
	path, _, _ := recordWithFlowToken(t, history.WriterOptions{NoRedact: true})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(flowTokenSecret)) {
		t.Error("--no-redact dropped the flow_token")
	}
}

// urlLog records the URLs a replay sends.
type urlLog struct {
	mu   sync.Mutex
	urls []string
}

func (l *urlLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.urls = append(l.urls, r.URL.String())
	l.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestReplayAsksForTheRedactedFlowTokenAndSendsIt(t *testing.T) {
	path, _, _ := recordWithFlowToken(t, history.WriterOptions{})
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, fresh := newSimServer(t, "")
	var asked []string
	sent := &urlLog{}
	report, err := Replay(context.Background(), rec, ReplayOptions{
		BaseURL: fresh.URL, Transport: sent, Now: func() time.Time { return simNow },
		TOTPSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
		Prompt: func(name string) (string, error) {
			asked = append(asked, name)
			if name == "url:flow_token" {
				return flowTokenSecret, nil
			}
			return "alice-demo", nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if report.Diverged {
		t.Errorf("replay diverged at step %d: %+v", report.FirstDivergence, report.Steps)
	}
	if strings.Join(asked, ",") != "url:flow_token,password" {
		t.Errorf("Prompt asked for %v, want the flow_token and the password", asked)
	}
	got := strings.Join(sent.urls, "\n")
	if !strings.Contains(got, "flow_token%3D"+flowTokenSecret) {
		t.Errorf("the replay did not send the flow_token back:\n%s", got)
	}
	if strings.Contains(got, "redacted") {
		t.Errorf("the replay sent a marker:\n%s", got)
	}
}
