// Package replay runs a recording again against a live server and compares:
// Replay sends the recorded answers (secrets put back through package
// redact) and reports each step as matched, diverged or failed (Report, as
// text, JSON or JUnit); Plan is the order it follows; DiffRecordings and
// DiffExchanges compare two recordings or two exchanges with the same
// matcher (Diff, FlowDiff).
package replay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/internal/jsonobj"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/transport"
)

// ReplayOptions tune Replay.
type ReplayOptions struct {
	// BaseURL is the server to replay against. Required when it differs
	// from the recorded host: recorded answers are never sent elsewhere
	// without it.
	BaseURL string
	// Secrets fills redacted values by marker name ("password",
	// "password#2"); a name without "#n" also fills its numbered variants.
	Secrets map[string]string
	// TOTPSecret computes fresh codes for authenticator-validate stages.
	TOTPSecret string
	// Prompt asks for a missing secret (on a terminal); nil makes a missing
	// secret an error.
	Prompt func(name string) (string, error)
	// Ignore adds JSON paths to DefaultIgnore; Compare takes paths out.
	Ignore  []string
	Compare []string
	// KeepGoing runs every step instead of stopping at the first divergence.
	KeepGoing bool
	// ShapeOnly compares each step by component, status and
	// response_errors only, without decoding the bodies: load runs
	// thousands of iterations and judges nothing else.
	ShapeOnly bool
	// Client builds the transport client; nil means transport.New.
	Client func(cfg transport.Config) (*transport.Client, error)
	// Transport is passed to the client config (tests).
	Transport http.RoundTripper
	// Now is the clock for TOTP codes; nil means time.Now.
	Now func() time.Time
}

// Replay runs the recorded flow runs again against a server, in order and in
// one cookie jar (emptied first for a run that started a new session),
// answering each stage as recorded, and compares every step with the
// recording. Raw answer bodies (not a JSON object) are sent verbatim. A
// step fails (StepFailed) only when no response came back; any answer from
// the server is compared.
func Replay(ctx context.Context, rec *history.Recording, opts ReplayOptions) (*Report, error) {
	exs, err := rec.All()
	if err != nil {
		return nil, err
	}
	steps := planSteps(rec, exs)
	if len(steps) == 0 {
		return nil, errors.New("the recording has no flow exchanges to replay")
	}
	for _, st := range steps {
		if !st.Start && rec.Oversized(st.AnswerAt) {
			return nil, fmt.Errorf("recorded answer %d (exchange %d) is over the line limit, so its body was not read: it cannot be replayed",
				st.AnswerAt+1, st.Answer.ID)
		}
	}
	target, err := replayTarget(rec, exs, opts.BaseURL)
	if err != nil {
		return nil, err
	}
	secrets, err := resolveSecrets(steps, opts)
	if err != nil {
		return nil, err
	}
	newClient := opts.Client
	if newClient == nil {
		newClient = transport.New
	}
	first := steps[0].Flow
	client, err := newClient(transport.Config{BaseURL: target, Flow: first.Slug, Query: redact.FillQuery(first.Query, secrets), Transport: opts.Transport})
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	r := &replayer{opts: opts, secrets: secrets, match: newMatcher(opts.Ignore, opts.Compare), now: now}
	report := &Report{Flow: first.Slug, Target: target, Recorded: rec.Header.Started}
	for i, st := range steps {
		res := r.run(ctx, client, i, st)
		res.Index = i + 1
		report.Steps = append(report.Steps, res)
		if res.Status != StepOK && !report.Diverged {
			report.Diverged = true
			report.FirstDivergence = res.Index
		}
		if report.Diverged && !opts.KeepGoing {
			for j, rest := range steps[i+1:] {
				report.Steps = append(report.Steps, StepResult{
					Index: i + j + 2, Flow: rest.Flow.Slug, Action: actionOf(rest),
					Expected: rest.Expected.Component, Status: StepNotRun, WantStatus: rest.Expected.Status,
				})
			}
			break
		}
	}
	report.hideSecrets(r.secrets, r.sent)
	return report, nil
}

type replayer struct {
	opts    ReplayOptions
	secrets map[string]string
	sent    []sentSecret // values sent that the recording did not hold (fresh codes, echoed tokens)
	match   matcher
	now     func() time.Time
	live    *flow.Challenge // the challenge the server showed last
}

func actionOf(st plannedStep) string {
	if st.Start {
		if st.NewSession {
			return "start " + st.Flow.Slug + " (new session)"
		}
		return "start " + st.Flow.Slug
	}
	if _, ok := answerObject(st.Answer.RequestBody); !ok {
		return "answer " + flow.ShortComponent(answeredComponent(st)) + " (raw)"
	}
	component, _ := flow.AnswerComponent(st.Answer.RequestBody)
	return "answer " + flow.ShortComponent(component)
}

// answeredComponent is the component of the recorded challenge an answer
// replied to, "" when unknown.
func answeredComponent(st plannedStep) string {
	if st.Answered != nil {
		return st.Answered.Component
	}
	return ""
}

func (r *replayer) run(ctx context.Context, c *transport.Client, i int, st plannedStep) StepResult {
	res := StepResult{Flow: st.Flow.Slug, Action: actionOf(st), Expected: st.Expected.Component,
		WantStatus: st.Expected.Status, RecordedID: st.Expected.ID}
	var step *transport.Step
	var err error
	if st.Start {
		if st.NewSession {
			c.ResetJar()
			res.Note = "cookie jar emptied first, as recorded"
		}
		if i > 0 {
			c.UseFlow(st.Flow.Slug, redact.FillQuery(st.Flow.Query, r.secrets))
		}
		step, err = c.Start(ctx)
	} else {
		var a flow.Answer
		var notes []string
		a, notes, err = r.answer(st)
		res.Note = strings.Join(notes, "; ")
		if err == nil && r.wrongStageForSecrets(st, a) {
			// --keep-going past a divergence: the server shows another
			// stage than the one this answer was recorded for.
			res.Status = StepNotRun
			if r.live != nil {
				res.Got = r.live.Component
			}
			res.Note = joinNote(res.Note, "not sent: the answer holds secrets ("+strings.Join(a.Secrets, ", ")+") recorded for "+
				flow.ShortComponent(answeredComponent(st))+", and the server shows "+r.liveComponent())
			return res
		}
		if err == nil {
			step, err = c.Submit(ctx, a)
		}
	}
	got := step.Last()
	// What the server shows now; nil when this step brought no challenge, so
	// that no secret follows a step the server did not answer with a stage.
	r.live = nil
	if step != nil {
		r.live = step.Challenge
	}
	if got != nil {
		res.Got, res.GotStatus = got.Component, got.Status
	}
	if err != nil {
		res.Note = joinNote(res.Note, err.Error())
	}
	if err != nil && (got == nil || got.Status == 0) {
		// No response to compare: the request could not be made or answered.
		res.Status = StepFailed
		return res
	}
	// The server answered, even if not with a challenge (a 400 to a raw
	// body): that answer is compared with the recorded one like any other.
	if r.opts.ShapeOnly {
		res.Diffs = compareShape(st.Expected, got)
	} else {
		res.Diffs = compareExchanges(st.Expected, got, r.match)
	}
	res.Status = StepOK
	if len(res.Diffs) > 0 {
		res.Status = StepDiverged
	}
	return res
}

// wrongStageForSecrets: a secret is sent only to the stage it was recorded
// for, never to whatever the server shows instead.
func (r *replayer) wrongStageForSecrets(st plannedStep, a flow.Answer) bool {
	recorded := answeredComponent(st)
	if len(a.Secrets) == 0 || recorded == "" {
		return false
	}
	// No live challenge (the last step got a 500 page, say) is another stage
	// too: nothing shows that the server waits for this secret.
	return r.live == nil || r.live.Component != recorded
}

// liveComponent names what the server shows now, for a note.
func (r *replayer) liveComponent() string {
	if r.live == nil {
		return "no stage"
	}
	return flow.ShortComponent(r.live.Component)
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// answer rebuilds the recorded answer for the live server: redacted values
// from Secrets, echoed values (the consent token) from the live challenge,
// TOTP codes computed now.
func (r *replayer) answer(st plannedStep) (flow.Answer, []string, error) {
	ms, ok := answerObject(st.Answer.RequestBody)
	if !ok {
		return r.rawAnswer(st)
	}
	component, _ := flow.AnswerComponent(st.Answer.RequestBody)
	a := flow.Answer{Component: component, Secrets: append([]string(nil), st.Answer.Secrets...)}
	if a.Component == "" && r.live != nil {
		a.Component = r.live.Component // an answer without its component key
	}
	var notes []string
	for i, m := range ms {
		if m.Key == "component" {
			continue
		}
		how, err := r.resolve(st, a.Component, m)
		if err != nil {
			return flow.Answer{}, nil, err
		}
		if how.value != nil {
			ms[i].Value = how.value
			if how.secret {
				a.Secrets = appendUnique(a.Secrets, m.Key)
				text, _, _ := jsonobj.RawScalarText(how.value)
				r.sent = append(r.sent, sentSecret{m.Key, text})
			}
		}
		if how.note != "" {
			notes = append(notes, how.note)
		}
	}
	a.Body = jsonobj.EncodeObject(ms)
	return a, notes, nil
}

type resolved struct {
	value  []byte // nil keeps the recorded value
	secret bool
	note   string
}

func (r *replayer) resolve(st plannedStep, component string, m jsonobj.Member) (resolved, error) {
	text, _, _ := jsonobj.RawScalarText(m.Value)
	name, number, isMark := redact.ParseMarker(text)
	if echoed(st, m) && r.live != nil {
		if v, ok := r.live.Fields[m.Key]; ok {
			return resolved{value: v, secret: true, note: m.Key + " taken from the live challenge"}, nil
		}
	}
	if m.Key == "code" {
		secret, from := r.totpSecret(component)
		if secret != "" {
			code, err := flow.TOTP(secret, r.now())
			if err != nil {
				return resolved{}, err
			}
			v := jsonobj.MarshalNoEscape(code)
			if number || (!isMark && len(m.Value) > 0 && m.Value[0] != '"') {
				v = []byte(strings.TrimLeft(code, "0"))
				if len(v) == 0 {
					v = []byte("0")
				}
			}
			return resolved{value: v, secret: true, note: "TOTP code computed fresh (" + from + ")"}, nil
		}
	}
	if _, ok := r.secrets[name]; isMark && !ok && echoed(st, m) {
		return resolved{}, fmt.Errorf("the recorded answer echoed the challenge's %s, but the live challenge has none", m.Key)
	}
	// Every marker in the value, whole or inside a longer string at any
	// depth, gets its secret back the way redaction took it out.
	names := redact.BodyMarkerNames(m.Value)
	if len(names) == 0 {
		return resolved{}, nil
	}
	for _, n := range names {
		if _, ok := r.secrets[n]; !ok {
			return resolved{}, fmt.Errorf("no value for the redacted %s", n)
		}
	}
	return resolved{value: redact.RestoreBody(m.Value, r.secrets), secret: true}, nil
}

// echoed: the recorded answer sent back a value the challenge had given
// (the consent token), so the live challenge's value is the right one now.
func echoed(st plannedStep, m jsonobj.Member) bool {
	if st.Answered == nil || st.Answered.Challenge == nil {
		return false
	}
	v, ok := st.Answered.Challenge.Fields[m.Key]
	return ok && string(v) == string(m.Value)
}

// totpSecret finds the seed for a code: the setup stage's config_url, or
// the TOTPSecret option for validation stages.
func (r *replayer) totpSecret(component string) (secret, from string) {
	switch component {
	case flow.ComponentTOTPSetup:
		if r.live != nil {
			if u, err := url.Parse(r.live.String("config_url")); err == nil && u.Query().Get("secret") != "" {
				return u.Query().Get("secret"), "from the setup challenge's config_url"
			}
		}
	case flow.ComponentValidate:
		if r.opts.TOTPSecret != "" {
			return r.opts.TOTPSecret, "from TOTPSecret"
		}
	}
	return "", ""
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// replayTarget picks the server. Without an explicit BaseURL it is the
// recorded one, and every recorded flow exchange must have gone there.
func replayTarget(rec *history.Recording, exs []*transport.Exchange, explicit string) (string, error) {
	if explicit != "" {
		return strings.TrimRight(explicit, "/"), nil
	}
	recorded := rec.Header.BaseURL
	if recorded == "" {
		recorded = history.HeaderFromExchanges(exs).BaseURL
	}
	if recorded == "" {
		return "", errors.New("the recording names no server; pass --url")
	}
	want, err := url.Parse(recorded)
	if err != nil {
		return "", fmt.Errorf("recorded base URL: %w", err)
	}
	for _, e := range exs {
		if e.Kind == history.KindOther || e.Kind == transport.KindRedirect {
			continue
		}
		u, err := url.Parse(e.URL)
		if err == nil && u.Host != "" && !strings.EqualFold(u.Host, want.Host) {
			return "", fmt.Errorf("the recording talks to %s as well as %s; pass --url to choose where recorded answers go", u.Host, want.Host)
		}
	}
	return strings.TrimRight(recorded, "/"), nil
}

// resolveSecrets collects, before anything is sent, every redacted value
// the answers need, from Secrets or Prompt.
func resolveSecrets(steps []plannedStep, opts ReplayOptions) (map[string]string, error) {
	out := map[string]string{}
	var missing []string
	for _, st := range steps {
		var names []string
		if st.Start {
			// A redacted credential in the page query (a recovery
			// link's flow_token) is asked for like any other secret.
			names = redact.QueryMarkers(st.Flow.Query)
		} else if ms, ok := answerObject(st.Answer.RequestBody); ok {
			comp, _ := flow.AnswerComponent(st.Answer.RequestBody)
			for _, m := range ms {
				if m.Key == "component" || echoed(st, m) || (m.Key == "code" && (comp == flow.ComponentTOTPSetup || (comp == flow.ComponentValidate && opts.TOTPSecret != ""))) {
					continue
				}
				names = append(names, redact.BodyMarkerNames(m.Value)...)
			}
		} else {
			// A raw body: every marker in it, wherever it sits.
			names = redact.BodyMarkerNames(st.Answer.RequestBody)
		}
		for _, name := range names {
			if _, done := out[name]; done {
				continue
			}
			if v, ok := opts.Secrets[name]; ok {
				out[name] = v
			} else if v, ok := opts.Secrets[redact.BaseName(name)]; ok {
				out[name] = v
			} else if opts.Prompt != nil {
				v, err := opts.Prompt(name)
				if err != nil {
					return nil, fmt.Errorf("secret %s: %w", name, err)
				}
				out[name] = v
			} else {
				missing = append(missing, name)
				out[name] = ""
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("the recording is redacted and needs %s: pass them as secrets", strings.Join(missing, ", "))
	}
	return out, nil
}

// compareShape is what ShapeOnly compares: the stage, the status, and the
// validation errors (by field and code), from the decoded challenges.
func compareShape(want, got *transport.Exchange) []Diff {
	if got == nil {
		return []Diff{{Path: "exchange", Want: describeShort(want), Got: absent}}
	}
	var diffs []Diff
	if want.Component != got.Component {
		diffs = append(diffs, Diff{Path: "component", Want: quote(want.Component), Got: quote(got.Component)})
	}
	if want.Status != got.Status {
		diffs = append(diffs, Diff{Path: "status", Want: strconv.Itoa(want.Status), Got: strconv.Itoa(got.Status)})
	}
	if w, g := errorCodes(want), errorCodes(got); w != g {
		diffs = append(diffs, Diff{Path: "response_errors", Want: w, Got: g})
	}
	return diffs
}

// errorCodes lists a challenge's response_errors as "field:code" pairs.
func errorCodes(e *transport.Exchange) string {
	if e.Challenge == nil || len(e.Challenge.ResponseErrors) == 0 {
		return absent
	}
	var parts []string
	for _, d := range e.Challenge.NonFieldErrors() {
		parts = append(parts, flow.NonFieldErrors+":"+d.Code)
	}
	for _, field := range e.Challenge.ErrorFields() {
		for _, d := range e.Challenge.Errors(field) {
			parts = append(parts, field+":"+d.Code)
		}
	}
	return strings.Join(parts, " ")
}
