package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/har"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// recordSimLogin logs alice in (password, TOTP) and then runs the consent
// flow in the same jar, writing everything to a redacted recording.
func recordSimLogin(t *testing.T) (path string, alice sim.User) {
	t.Helper()
	s, ts := newSimServer(t, "")
	alice = simUser(t, s, "alice")
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: "default-authentication-flow", Query: "next=%2F"})
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), history.FileName(simNow, "default-authentication-flow"))
	w, err := history.Create(path, history.Header{BaseURL: ts.URL, Flow: "default-authentication-flow", Query: "next=%2F"}, history.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	ctx := context.Background()
	must := func(step *transport.Step, err error) *flow.Challenge {
		t.Helper()
		if err != nil {
			t.Fatalf("recording the login: %v", err)
		}
		return step.Challenge
	}
	must(c.Start(ctx))
	must(c.Submit(ctx, answer(flow.ComponentIdentify, map[string]any{"uid_field": alice.Username})))
	must(c.Submit(ctx, answer(flow.ComponentPassword, map[string]any{"password": alice.Password}, "password")))
	code, _ := flow.TOTP(alice.TOTPSecret, simNow)
	ch := must(c.Submit(ctx, answer(flow.ComponentValidate, map[string]any{"code": code}, "code")))
	if ch == nil || ch.Component != flow.ComponentRedirect {
		t.Fatalf("login did not finish: %+v", ch)
	}
	c.UseFlow("default-provider-authorization-explicit-consent", "")
	ch = must(c.Start(ctx))
	if ch == nil || ch.Component != flow.ComponentConsent {
		t.Fatalf("consent flow starts with %+v", ch)
	}
	consentToken := ch.String("token")
	ch = must(c.Submit(ctx, answer(flow.ComponentConsent, map[string]any{"token": consentToken})))
	if ch == nil || ch.Component != flow.ComponentRedirect {
		t.Fatalf("consent did not finish: %+v", ch)
	}
	stop()
	var live []string // every cookie value of the session, old and new
	for _, e := range c.Recorder().Exchanges() {
		for _, ck := range e.Jar {
			live = append(live, ck.Value)
		}
	}
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte(alice.Password)) || bytes.Contains(data, []byte(`"`+code+`"`)) {
		t.Fatal("the simulator recording holds the password or the TOTP code")
	}
	if consentToken == "" || bytes.Contains(data, []byte(consentToken)) {
		t.Fatalf("the consent token %q is missing from the challenge or kept in the recording", consentToken)
	}
	if len(live) == 0 {
		t.Fatal("the client recorded no cookies")
	}
	for _, v := range live {
		if len(v) >= 6 && bytes.Contains(data, []byte(v)) {
			t.Fatalf("the simulator recording holds the cookie value %q", v)
		}
	}
	return path, alice
}

func TestReplaySimLoginAgainstFreshSimulatorMatches(t *testing.T) {
	path, alice := recordSimLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Flows) != 2 {
		t.Fatalf("recording has flows %+v, want login and consent", rec.Flows)
	}
	_, fresh := newSimServer(t, "")
	report, err := Replay(context.Background(), rec, ReplayOptions{
		BaseURL: fresh.URL, Secrets: map[string]string{"password": alice.Password},
		TOTPSecret: alice.TOTPSecret, Now: func() time.Time { return simNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	if report.Diverged {
		t.Fatalf("replay against a fresh simulator diverged:\n%s", report.Text())
	}
	if len(report.Steps) != 6 {
		t.Errorf("replayed %d steps, want 6 (start, 3 answers, consent start, consent answer):\n%s", len(report.Steps), report.Text())
	}
	text := report.Text()
	if !strings.Contains(text, "TOTP code computed fresh") || !strings.Contains(text, "all 6 steps match") {
		t.Errorf("report does not say how the TOTP code was made or that all matched:\n%s", text)
	}
}

func TestReplayAgainstChangedFlowNamesTheDivergingStep(t *testing.T) {
	path, alice := recordSimLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, changed := newSimServer(t, sim.VariantDummyBeforePassword)
	report, err := Replay(context.Background(), rec, ReplayOptions{
		BaseURL: changed.URL, Secrets: map[string]string{"password": alice.Password},
		TOTPSecret: alice.TOTPSecret, Now: func() time.Time { return simNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !report.Diverged || report.FirstDivergence != 2 {
		t.Fatalf("want a divergence at step 2 (after identification), got:\n%s", report.Text())
	}
	step := report.Steps[1]
	if step.Expected != flow.ComponentPassword || step.Got != flow.ComponentDummy {
		t.Errorf("step 2 expected %s got %s", step.Expected, step.Got)
	}
	if report.Steps[2].Status != StepNotRun {
		t.Errorf("replay went on after the divergence without KeepGoing")
	}
	text := report.Text()
	if !strings.Contains(text, "diverged at step 2") || !strings.Contains(text, `"ak-stage-dummy"`) {
		t.Errorf("text report does not name the step and the new stage:\n%s", text)
	}
	var buf bytes.Buffer
	if err := report.WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &suites); err != nil {
		t.Fatalf("JUnit output does not parse: %v\n%s", err, buf.String())
	}
	if len(suites.Suites) != 1 || suites.Suites[0].Failures != 1 || suites.Suites[0].Cases[1].Failure == nil {
		t.Errorf("JUnit output does not fail step 2:\n%s", buf.String())
	}
}

func TestReplayRefusesAnotherHostWithoutBaseURL(t *testing.T) {
	path, _ := recordSimLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rec.Header.BaseURL = "http://127.0.0.1:1" // recorded exchanges went elsewhere
	_, err = Replay(context.Background(), rec, ReplayOptions{Secrets: map[string]string{"password": "x"}})
	if err == nil || !strings.Contains(err.Error(), "--url") || strings.Contains(err.Error(), "BaseURL") {
		t.Fatalf("replay to a host other than the recorded one: err = %v", err)
	}
}

func TestReplayOfRedactedRecordingNeedsItsSecrets(t *testing.T) {
	path, _ := recordSimLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, fresh := newSimServer(t, "")
	_, err = Replay(context.Background(), rec, ReplayOptions{BaseURL: fresh.URL})
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("replay without the password: err = %v", err)
	}
	var asked []string
	_, err = Replay(context.Background(), rec, ReplayOptions{BaseURL: fresh.URL, Prompt: func(name string) (string, error) {
		asked = append(asked, name)
		return "alice-demo", nil
	}, TOTPSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"})
	if err != nil || len(asked) != 1 || asked[0] != "password" {
		t.Fatalf("Prompt asked for %v (err %v), want just password", asked, err)
	}
}

func TestReplayFromExportedHARMatchesAndReportsAsJSON(t *testing.T) {
	path, alice := recordSimLogin(t)
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var harOut bytes.Buffer
	if err := har.Export(&harOut, rec, har.Options{}); err != nil {
		t.Fatal(err)
	}
	imported, err := har.Import(&harOut)
	if err != nil {
		t.Fatal(err)
	}
	_, fresh := newSimServer(t, "")
	report, err := Replay(context.Background(), imported, ReplayOptions{
		BaseURL: fresh.URL, Secrets: map[string]string{"password": alice.Password},
		TOTPSecret: alice.TOTPSecret, Now: func() time.Time { return simNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	if report.Diverged {
		t.Fatalf("replay of the HAR diverged:\n%s", report.Text())
	}
	var out bytes.Buffer
	if err := report.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	var decoded Report
	if err := json.Unmarshal(out.Bytes(), &decoded); err != nil || len(decoded.Steps) != len(report.Steps) || decoded.Diverged {
		t.Errorf("JSON report does not read back: %v\n%s", err, out.String())
	}
}
