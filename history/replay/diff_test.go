package replay

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/internal/historytest"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// recordLoginAs logs username in against a simulator built with opts and
// returns the recording, as `akinspect run --record` would write it.
func recordLoginAs(t testing.TB, opts sim.Options, username string) *history.Recording {
	t.Helper()
	opts.Now = func() time.Time { return simNow }
	s := sim.New(opts)
	ts := httptest.NewServer(s)
	defer ts.Close()
	u := simUser(t, s, username)
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: "default-authentication-flow"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), username+".akinspect.jsonl")
	w, err := history.Create(path, history.Header{BaseURL: ts.URL, Flow: "default-authentication-flow"}, history.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop := w.Observe(c.Recorder())
	ctx := context.Background()
	step, err := c.Start(ctx)
	for i := 0; err == nil && step.Challenge.Component != flow.ComponentRedirect; i++ {
		if i > 6 {
			t.Fatalf("login of %s did not end: %s", username, step.Challenge.Raw)
		}
		var a flow.Answer
		switch step.Challenge.Component {
		case flow.ComponentIdentify:
			a = answer(flow.ComponentIdentify, map[string]any{"uid_field": u.Username})
		case flow.ComponentPassword:
			a = answer(flow.ComponentPassword, map[string]any{"password": u.Password}, "password")
		case flow.ComponentValidate:
			code, _ := flow.TOTP(u.TOTPSecret, simNow)
			a = answer(flow.ComponentValidate, map[string]any{"code": code}, "code")
		default:
			t.Fatalf("no answer for %s", step.Challenge.Component)
		}
		step, err = c.Submit(ctx, a)
	}
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestDiffOfTheSameLoginTwiceIsEmpty(t *testing.T) {
	a := recordLoginAs(t, sim.Options{}, "alice")
	b := recordLoginAs(t, sim.Options{}, "alice")
	d, err := DiffRecordings(a, b, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := d.Differences(); n != 0 {
		t.Errorf("%d differences between two recordings of the same login:\n%s", n, d.Text())
	}
	if !strings.Contains(d.Text(), "no difference") {
		t.Errorf("the report does not say they are the same:\n%s", d.Text())
	}
}

// A user with MFA against one without: the extra stage is reported as
// such, not as a shifted list of changes.
func TestDiffReportsTheExtraMFAStage(t *testing.T) {
	withMFA := recordLoginAs(t, sim.Options{}, "alice")
	without := recordLoginAs(t, sim.Options{}, "bob")
	d, err := DiffRecordings(without, withMFA, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var extra []string
	for _, s := range d.Runs[0].Steps {
		if s.Change == OnlyB {
			extra = append(extra, s.B.Component)
		}
		if s.Change == OnlyA {
			t.Errorf("a stage reported missing from the MFA login: %s", s.A.Component)
		}
	}
	if len(extra) != 1 || extra[0] != flow.ComponentValidate {
		t.Errorf("stages only in the MFA login: %v, want just authenticator-validate\n%s", extra, d.Text())
	}
	if !strings.Contains(d.Text(), "+ authenticator-validate") {
		t.Errorf("the report does not show the extra stage:\n%s", d.Text())
	}
}

// A 2023.10 (legacy) recording against a current one: the type field and
// the changed shapes are reported per stage.
func TestDiffReportsLegacyShapesPerStage(t *testing.T) {
	legacy := recordLoginAs(t, sim.Options{Legacy: true}, "bob")
	current := recordLoginAs(t, sim.Options{}, "bob")
	d, err := DiffRecordings(legacy, current, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := d.Text()
	if !strings.Contains(text, "challenge.type") {
		t.Errorf("the type field is not reported:\n%s", text)
	}
	changed := 0
	for _, s := range d.Runs[0].Steps {
		if s.Change == Changed {
			changed++
		}
	}
	if changed < 2 {
		t.Errorf("%d stages changed, want every stage's shape (≥ 2):\n%s", changed, text)
	}
}

func TestAlignKeepsOrderAndMarksGaps(t *testing.T) {
	a := strings.Split("id pw mfa end", " ")
	b := strings.Split("id pw end extra", " ")
	got := align(len(a), len(b), func(i, j int) bool { return a[i] == b[j] })
	var s []string
	for _, p := range got {
		switch {
		case p.j < 0:
			s = append(s, "-"+a[p.i])
		case p.i < 0:
			s = append(s, "+"+b[p.j])
		default:
			s = append(s, a[p.i])
		}
	}
	if strings.Join(s, " ") != "id pw -mfa end +extra" {
		t.Errorf("alignment %v", s)
	}
}

// FuzzDiff: a diff never panics on any pair of files the reader accepts,
// and its report is safe to print.
//
// One input is two recordings, each opened and every exchange decoded, so
// it costs some ten times an input of FuzzOpenRecording, and Go's
// minimizer, which tries up to a minute on every input with new coverage,
// keeps the workers busy minimizing early on. Give it a budget when
// fuzzing for real: go test ./history/replay -fuzz FuzzDiff -fuzzminimizetime 2000x
func FuzzDiff(f *testing.F) {
	// Seeds: small recordings as the Writer writes them (see
	// historytest.RecordingSeed: a real recording of some 14 KB keeps the fuzzer
	// minimizing for a minute per interesting input), a cut one, a HAR,
	// and nothing. TestDiff* cover real recordings.
	alice, bob := historytest.RecordingSeed(f, "alice"), historytest.RecordingSeed(f, "bob")
	f.Add(alice, bob)
	f.Add(bob, alice[:len(alice)*2/3])
	f.Add([]byte(tinyBrowserHAR), bob)
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, da, db []byte) {
		if len(da) > maxFuzzInput || len(db) > maxFuzzInput {
			return // see maxFuzzInput
		}
		// In memory (no temporary files), with the fuzz tests' small line
		// limit.
		ra, err := history.OpenBytes(da, historytest.FuzzLimits)
		if err != nil {
			return
		}
		rb, err := history.OpenBytes(db, historytest.FuzzLimits)
		if err != nil {
			return
		}
		d, err := DiffRecordings(ra, rb, DiffOptions{})
		if err != nil {
			return
		}
		if text := d.Text(); strings.ContainsRune(text, 0x1b) {
			t.Fatalf("the report holds a raw ESC: %q", text)
		}
	})
}
