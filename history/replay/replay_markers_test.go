package replay

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/transport"
)

// A password typed into a free-text field is redacted inside that longer
// value; replay must put it back there, not send the marker text.
func TestReplayFillsMarkersInsideLongerValues(t *testing.T) {
	const password = `s3cr"et-pass` // a quote: written escaped inside JSON
	bio := "my password is " + password + ", don't tell"
	site := "https://blog.example/?key=" + password + "&x=1"

	_, ts := newSimServer(t, "")
	const slug = "default-enrollment-flow"
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: slug})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), history.FileName(simNow, slug))
	w, err := history.Create(path, history.Header{BaseURL: ts.URL, Flow: slug}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	ctx := context.Background()
	if _, err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	values := enrollmentValues(password)
	values["bio"], values["name"] = bio, site
	st, err := c.Submit(ctx, answer(flow.ComponentPrompt, values))
	if err != nil || st.Challenge == nil || st.Challenge.Component != flow.ComponentUserLogin {
		t.Fatalf("enrollment: %+v (%v)", st, err)
	}
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recorded := promptAnswer(t, openAll(t, path))
	if !strings.Contains(string(recorded["bio"]), redact.Marker("password")+", don't tell") {
		t.Fatalf("recorded bio = %q; the test needs the password redacted inside it", recorded["bio"])
	}

	var sent [][]byte
	_, fresh := newSimServer(t, "")
	_, err = Replay(ctx, rec, ReplayOptions{
		BaseURL: fresh.URL, Secrets: map[string]string{"password": password},
		Client: func(cfg transport.Config) (*transport.Client, error) {
			c, err := transport.New(cfg)
			if err == nil {
				c.Recorder().Observe(func(e *transport.Exchange) {
					if e.Method == "POST" {
						sent = append(sent, e.RequestBody)
					}
				})
			}
			return c, err
		},
	})
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if len(sent) == 0 {
		t.Fatal("replay sent no answer")
	}
	var got map[string]any
	if err := json.Unmarshal(sent[0], &got); err != nil {
		t.Fatalf("replayed answer is not JSON: %v\n%s", err, sent[0])
	}
	if got["bio"] != bio || got["name"] != site || got["password"] != password {
		t.Errorf("replay sent bio=%q name=%q password=%q, want the values typed when recording", got["bio"], got["name"], got["password"])
	}
}

// A marker inside a longer value names a secret like a whole one: without
// its value, Replay refuses before sending anything.
func TestReplayAsksForSecretsRedactedInsideValues(t *testing.T) {
	body := `{"component":"ak-stage-prompt","bio":"mine is ` + redact.Marker("pin") + ` ok"}`
	rec := history.FromExchanges(history.Header{BaseURL: base, Flow: "f"}, []*transport.Exchange{
		{ID: 1, Flow: "f", Kind: transport.KindExecutor, Method: "GET", URL: executorURL("f"), Status: 200, Component: flow.ComponentPrompt},
		{ID: 2, Flow: "f", Kind: transport.KindExecutor, Method: "POST", URL: executorURL("f"), Status: 200, RequestBody: []byte(body)},
	})
	var asked []string
	_, err := Replay(context.Background(), rec, ReplayOptions{
		Prompt: func(name string) (string, error) { asked = append(asked, name); return "", context.Canceled },
	})
	if err == nil || len(asked) != 1 || asked[0] != "pin" {
		t.Errorf("replay asked for %q (err %v), want the secret pin", asked, err)
	}
}

// A secret redacted inside a longer page-query value (here the next URL
// the flow returns to) is put back where it was when the run starts.
func TestReplayFillsMarkersInsideAPageQueryValue(t *testing.T) {
	const secret = "hunter2-long"
	next := "/done?key=" + secret + "&x=1"
	// As redaction writes it: the marker in place of the secret, inside
	// the value, query-escaped with it.
	red := "next=" + url.QueryEscape("/done?key="+redact.Marker("password")+"&x=1")
	page := base + "/if/flow/f/?" + red
	rec := history.FromExchanges(history.Header{BaseURL: base, Flow: "f", Query: red}, []*transport.Exchange{
		{ID: 1, Flow: "f", Kind: transport.KindPage, Method: "GET", URL: page, Status: 200},
		{ID: 2, Flow: "f", Kind: transport.KindExecutor, Method: "GET", URL: executorURL("f"), Status: 200, Component: flow.ComponentPrompt},
	})
	var asked []string
	var got []string
	_, err := Replay(context.Background(), rec, ReplayOptions{
		Secrets: map[string]string{"password": secret},
		Prompt:  func(name string) (string, error) { asked = append(asked, name); return "", context.Canceled },
		Transport: roundTripFunc(func(req *http.Request) (*http.Response, error) {
			got = append(got, req.URL.String())
			return nil, context.Canceled
		}),
	})
	if err != nil || len(asked) != 0 || len(got) == 0 {
		t.Fatalf("replay: err %v, asked %q, requests %q", err, asked, got)
	}
	u, perr := url.Parse(got[0])
	if perr != nil || u.Query().Get("next") != next {
		t.Errorf("the run started with %s, want next=%s", got[0], next)
	}
}
