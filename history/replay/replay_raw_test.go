package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// cutOffPassword is what raw mode sends when a person stops typing the
// JSON halfway; it carries alice's password.
const cutOffPassword = `{"component":"ak-stage-password","password":"alice-demo`

// recordRawAnswers records alice identifying, then two malformed bodies
// sent in raw mode ("x" after a restart, and cut-off JSON holding the
// password), each answered by a flow error.
func recordRawAnswers(t *testing.T) (path string) {
	t.Helper()
	s, ts := newSimServer(t, "")
	alice := simUser(t, s, "alice")
	if alice.Password != "alice-demo" {
		t.Fatalf("the simulator's alice has password %q; update cutOffPassword", alice.Password)
	}
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "raw"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: ts.URL, Flow: "default-authentication-flow"}, history.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	ctx := context.Background()
	expect := func(want string, step *transport.Step, err error) {
		t.Helper()
		if err != nil || step.Challenge == nil || step.Challenge.Component != want {
			t.Fatalf("recording: want %s, got %+v (%v)", want, step.Challenge, err)
		}
	}
	raw := func(body string) flow.Answer {
		return flow.Answer{Component: flow.ComponentPassword, Body: []byte(body)}
	}
	st, err := c.Start(ctx)
	expect(flow.ComponentIdentify, st, err)
	st, err = c.Submit(ctx, answer(flow.ComponentIdentify, map[string]any{"uid_field": alice.Username}))
	expect(flow.ComponentPassword, st, err)
	st, err = c.Submit(ctx, raw(cutOffPassword))
	expect(flow.ComponentFlowError, st, err)
	st, err = c.Start(ctx)
	expect(flow.ComponentPassword, st, err)
	st, err = c.Submit(ctx, raw("x"))
	expect(flow.ComponentFlowError, st, err)
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRawBodyIsRedactedButKeptRaw(t *testing.T) {
	path := recordRawAnswers(t)
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte("alice-demo")) {
		t.Fatal("the password sent in a malformed raw body is in the recording")
	}
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := rec.Exchange(4) // page, executor, POST identification, POST raw
	if err != nil {
		t.Fatal(err)
	}
	want := `{"component":"ak-stage-password","password":"«redacted:password»`
	if string(x.RequestBody) != want {
		t.Errorf("recorded raw body = %s, want %s (cut off as sent, password replaced)", x.RequestBody, want)
	}
}

func TestReplaySendsRawBodiesVerbatimAndComparesTheOutcome(t *testing.T) {
	path := recordRawAnswers(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var sent [][]byte
	_, fresh := newSimServer(t, "")
	report, err := Replay(context.Background(), rec, ReplayOptions{
		BaseURL: fresh.URL, Secrets: map[string]string{"password": "alice-demo"},
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
		t.Fatalf("replay of raw answers refused: %v", err)
	}
	if report.Diverged {
		t.Fatalf("replay of raw answers diverged:\n%s", report.Text())
	}
	if len(sent) != 3 || string(sent[1]) != cutOffPassword || string(sent[2]) != "x" {
		t.Errorf("replay sent %q, want the raw bodies as recorded (password filled in)", sent)
	}
	raw := report.Steps[2]
	if raw.Action != "answer password (raw)" || raw.Got != flow.ComponentFlowError || !strings.Contains(raw.Note, "raw body") {
		t.Errorf("raw step reported as %+v", raw)
	}
}

// A raw body the server now answers differently is a divergence of the
// flow, not a transport failure.
func TestRawBodyWithAnotherOutcomeIsADivergence(t *testing.T) {
	path := recordRawAnswers(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	exs, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	// Pretend the server had accepted "x" with a validation error.
	last := *exs[len(exs)-1]
	last.Component = flow.ComponentPassword
	last.ResponseBody, _ = json.Marshal(map[string]any{"component": flow.ComponentPassword,
		"response_errors": map[string]any{"non_field_errors": []any{map[string]string{"string": "Invalid", "code": "invalid"}}}})
	exs[len(exs)-1] = &last
	_, fresh := newSimServer(t, "")
	report, err := Replay(context.Background(), history.FromExchanges(rec.Header, exs), ReplayOptions{
		BaseURL: fresh.URL, Secrets: map[string]string{"password": "alice-demo"},
	})
	if err != nil {
		t.Fatal(err)
	}
	step := report.Steps[len(report.Steps)-1]
	if step.Status != StepDiverged || report.FirstDivergence != step.Index || step.Got != flow.ComponentFlowError {
		t.Fatalf("raw step with a different outcome: %+v\n%s", step, report.Text())
	}
}

func TestAnswerFieldsTellsRawBodiesApart(t *testing.T) {
	form := &transport.Exchange{Method: "POST", RequestBody: []byte(`{"component":"ak-stage-password","password":"«redacted:password»"}`)}
	fields, ok := AnswerFields(form)
	if !ok || string(fields["password"]) != `"«redacted:password»"` {
		t.Errorf("form answer: fields %v ok %v", fields, ok)
	}
	for _, body := range []string{"x", cutOffPassword, `[1]`, `{"component":"ak-stage-password"} trailing`} {
		x := &transport.Exchange{Method: "POST", RequestBody: []byte(body)}
		if f, ok := AnswerFields(x); ok || f != nil {
			t.Errorf("raw body %q: AnswerFields ok=%v", body, ok)
		}
	}
	get := &transport.Exchange{Method: "GET"}
	if _, ok := AnswerFields(get); ok {
		t.Error("an exchange without a body counts as an answer")
	}
}

// parseErrorOnRawBody answers a POST whose body is not JSON as DRF does when
// it cannot parse a body (400 with a detail), and hands the rest to next.
func parseErrorOnRawBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, _ := io.ReadAll(r.Body)
			if !json.Valid(body) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"detail":"JSON parse error - Expecting value: line 1 column 1 (char 0)"}`))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// A server that answers a raw body with an HTTP error (no challenge) is
// still an answer: replay compares it instead of calling it a failure.
func TestRawBodyAnsweredWithHTTPErrorIsCompared(t *testing.T) {
	newServer := func() *httptest.Server {
		ts := httptest.NewServer(parseErrorOnRawBody(sim.New(sim.Options{})))
		t.Cleanup(ts.Close)
		return ts
	}
	ts := newServer()
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := c.Submit(ctx, flow.Answer{Component: flow.ComponentIdentify, Body: []byte("x")})
	if err == nil || st.Last() == nil || st.Last().Status != http.StatusBadRequest {
		t.Fatalf("recording: the raw body was not refused with 400: %v", err)
	}
	rec := history.FromExchanges(history.Header{BaseURL: ts.URL, Flow: "default-authentication-flow"}, c.Recorder().Exchanges())

	report, err := Replay(ctx, rec, ReplayOptions{BaseURL: newServer().URL})
	if err != nil {
		t.Fatal(err)
	}
	if report.Diverged || report.Steps[1].Status != StepOK || report.Steps[1].GotStatus != http.StatusBadRequest {
		t.Errorf("the same 400 again is not a match:\n%s", report.Text())
	}

	_, plain := newSimServer(t, "") // answers "x" with a flow error instead
	report, err = Replay(ctx, rec, ReplayOptions{BaseURL: plain.URL})
	if err != nil {
		t.Fatal(err)
	}
	if st := report.Steps[1]; st.Status != StepDiverged || st.Got != flow.ComponentFlowError {
		t.Errorf("a flow error instead of the recorded 400 is not a divergence: %+v\n%s", st, report.Text())
	}
}

// FuzzRawAnswerRedaction: a password typed into a malformed raw body never
// reaches the file, and the body stays raw (it is not re-encoded).
func FuzzRawAnswerRedaction(f *testing.F) {
	f.Add("alice-demo", "")
	f.Add("s3cret", `"}x`)
	f.Add("p", `,"code":123456`)
	f.Add("hunter2", `"} trailing`)
	f.Fuzz(func(t *testing.T, secret, tail string) {
		if secret == "" || strings.Trim(secret, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
			return
		}
		body := []byte(`{"component":"ak-stage-password","password":"` + secret + tail)
		x := &transport.Exchange{Method: "POST", Flow: "f", Kind: transport.KindExecutor, RequestBody: body}
		out := redact.NewRedactor().Redact(x).RequestBody
		if bytes.Contains(out, []byte(`"password":"`+secret)) {
			t.Fatalf("password %q kept in %s", secret, out)
		}
		// A control character or a bad escape inside the password is what
		// makes such a body invalid; replacing the password then fixes it.
		// Anywhere else the body must stay as invalid as it was sent.
		clean := !strings.ContainsAny(tail, "\\") && strings.IndexFunc(tail, func(r rune) bool { return r < 0x20 }) < 0
		_, wasObject := AnswerFields(x)
		_, isObject := AnswerFields(&transport.Exchange{Method: "POST", RequestBody: out})
		if clean && wasObject != isObject {
			t.Fatalf("redaction changed whether the body is raw: %s → %s", body, out)
		}
	})
}
