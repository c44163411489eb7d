package load

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/transport"
)

// Judging an iteration: the replay report and the exchanges it made,
// cut into stage steps, each with its latency and what went wrong.

// outcome is one iteration as the collector takes it.
type outcome struct {
	intended, end time.Time
	steps         []stepOutcome
}

type stepOutcome struct {
	stage          int
	start, end     time.Time
	ttfb, transfer time.Duration
	kind           ErrorKind // "" when the step went as recorded
	msg            string
	cancelled      bool
	// failedAt is the index in the iteration's exchanges of the exchange
	// the step failed on (its last), -1 when it made none.
	failedAt int
}

// steps turns the replay report and the observed exchanges into step
// outcomes. Exchanges split into steps where replay's do: a flow page GET
// begins a start step, an executor POST an answer step.
func (r *Run) steps(rep *replay.Report, exs []*transport.Exchange, intended time.Time, cancelled bool) []stepOutcome {
	groups := groupSteps(exs)
	var out []stepOutcome
	seen := 0 // exchanges in the steps so far
	prevEnd := intended
	for i, st := range rep.Steps {
		if st.Status == replay.StepNotRun {
			break
		}
		so := stepOutcome{stage: i, start: prevEnd, end: prevEnd, failedAt: -1}
		var g []*transport.Exchange
		if i < len(groups) {
			g = groups[i]
		}
		seen += len(g)
		for _, e := range g {
			so.ttfb += e.Timing.FirstByte
			if e.Timing.FirstByte > 0 {
				so.transfer += e.Timing.Total - e.Timing.FirstByte
			}
			if end := e.Start.Add(e.Timing.Total); end.After(so.end) {
				so.end = end
			}
		}
		if st.Status != replay.StepOK {
			so.kind, so.msg = classify(st, g)
			if len(g) > 0 {
				so.failedAt = seen - 1
			}
			if cancelled && (st.Status == replay.StepFailed || lastCancelled(g)) {
				so.cancelled = true
			}
		}
		out = append(out, so)
		prevEnd = so.end
		if so.kind != "" {
			break
		}
	}
	return out
}

func lastCancelled(g []*transport.Exchange) bool {
	return len(g) > 0 && g[len(g)-1].Has(transport.FlagCancelled)
}

func groupSteps(exs []*transport.Exchange) [][]*transport.Exchange {
	var groups [][]*transport.Exchange
	for _, e := range exs {
		begins := e.Kind == transport.KindPage || (e.Kind == transport.KindExecutor && e.Method == http.MethodPost)
		if begins || len(groups) == 0 {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], e)
	}
	return groups
}

// classify names why a step did not match the recording.
func classify(st replay.StepResult, g []*transport.Exchange) (ErrorKind, string) {
	var last *transport.Exchange
	if len(g) > 0 {
		last = g[len(g)-1]
	}
	if st.Status == replay.StepFailed || last == nil || last.Status == 0 {
		msg := st.Note
		if last != nil && last.Error != "" {
			msg = last.Error
		}
		if last != nil && last.Has(transport.FlagTimeout) {
			return ErrTimeout, msg
		}
		return ErrTransport, msg
	}
	switch {
	case last.Component == flow.ComponentAccessDenied:
		return ErrAccessDenied, "access denied" + challengeMessage(last)
	case last.Component == flow.ComponentFlowError:
		return ErrFlow, "flow error" + challengeMessage(last)
	case last.Has(transport.FlagValidation):
		return ErrValidation, flow.ShortComponent(last.Component) + " rejected the answer" + challengeMessage(last)
	case last.Status >= 500:
		return ErrHTTP5xx, fmt.Sprintf("HTTP %d", last.Status)
	case last.Status >= 400:
		return ErrHTTP4xx, fmt.Sprintf("HTTP %d", last.Status)
	}
	want := flow.ShortComponent(st.Expected)
	return ErrUnexpected, fmt.Sprintf("%s instead of %s", orDash(flow.ShortComponent(last.Component)), orDash(want))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// messageHider hides an iteration's secrets (the password, the TOTP
// secret) in its error messages: they quote the server (error_message,
// response_errors, a transport error), which may echo what was sent, and
// go to the --report files, the dashboard and the failure recordings'
// notes. The username is not hidden: every event names its account.
func messageHider(ro replay.ReplayOptions) func(string) string {
	secrets := map[string]string{}
	for k, v := range ro.Secrets {
		if k != UsernameMarker {
			secrets[k] = v
		}
	}
	if ro.TOTPSecret != "" {
		secrets["totp_secret"] = ro.TOTPSecret
	}
	return redact.NewHider(secrets)
}

// challengeMessage is the first response error or error message of a
// challenge, ": <text>", or "".
func challengeMessage(e *transport.Exchange) string {
	if e.Challenge == nil {
		return ""
	}
	if m := e.Challenge.String("error_message"); m != "" {
		return ": " + m
	}
	var errs map[string][]struct {
		String string `json:"string"`
	}
	if raw, ok := e.Challenge.Fields["response_errors"]; ok && json.Unmarshal(raw, &errs) == nil {
		for _, list := range errs {
			for _, x := range list {
				if x.String != "" {
					return ": " + x.String
				}
			}
		}
	}
	return ""
}

// failedExchange is a redacted copy of the exchange the iteration failed
// on, for the dashboard to open; nil when no step failed or it sent
// nothing. The iteration's exchanges before it go through the same
// redactor, so that a secret sent earlier (the password) is replaced
// wherever it comes back.
func failedExchange(steps []stepOutcome, exs []*transport.Exchange) *transport.Exchange {
	for _, s := range steps {
		if s.kind == "" || s.cancelled || s.failedAt < 0 || s.failedAt >= len(exs) {
			continue
		}
		red := redact.NewRedactor()
		var last *transport.Exchange
		for _, e := range exs[:s.failedAt+1] {
			last = red.Redact(e)
		}
		return last
	}
	return nil
}
