package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

const runUsage = `Usage: akinspect run <flow-url> [flags]

Drives a flow to its end without the TUI, answering each stage from --answers
and --set, and prints one line per exchange. Values may be "env:NAME" (read
from the environment), "totp:SECRET" or "totp:env:NAME" (a fresh TOTP code).
Keys are field keys ("password") or scoped to a stage ("validate.code").

Exit status: 0 the flow finished (xak-flow-redirect), 1 access denied or flow
error, 2 an answer was needed and not given (or bad usage), 3 transport error.

Flags:
`

// maxSteps stops a run that goes round in circles.
const maxSteps = 50

func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := newCommand("run", runUsage, stderr)
	var target targetFlags
	target.register(fs)
	answersFile := fs.String("answers", "", "file of answers: key=value lines or a JSON object")
	var sets repeated
	fs.Var(&sets, "set", "answer a field: key=value (repeatable; value may be env:NAME or totp:SECRET)")
	schema := fs.String("schema", "", "authentik schema version to build answers for (default: detected)")
	var record recordFlags
	record.register(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return exitf(exitUsage, "run takes one flow URL, got %q", pos)
	}
	ans := answers{}
	if *answersFile != "" {
		if ans, err = readAnswersFile(*answersFile); err != nil {
			return exitf(exitUsage, "%v", err)
		}
	}
	for _, s := range sets {
		if err := ans.set(s); err != nil {
			return exitf(exitUsage, "--set: %v", err)
		}
	}
	sess, err := target.session(first(pos), &record, stderr)
	if err != nil {
		return err
	}
	defer sess.close()
	client := sess.client

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	stopPrinting := printExchanges(client.Recorder(), stdout)
	defer stopPrinting()
	d := &driver{client: client, answers: ans, version: flow.Version(*schema), out: stdout}
	return d.run(ctx)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// printExchanges writes one line per exchange as it completes.
// Everything printed from the server, a recording or a file goes through
// termsafe.Line (or String), so that it shows as text and never acts on
// the terminal.
func printExchanges(rec *transport.Recorder, w io.Writer) (stop func()) {
	var mu sync.Mutex
	return rec.Observe(func(x *transport.Exchange) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(w, exchangeLine(x))
	})
}

func exchangeLine(x *transport.Exchange) string {
	status := fmt.Sprint(x.Status)
	if x.Status == 0 {
		status = "---"
	}
	label := transport.Label(x.Kind, x.Method, x.Component, x.RequestBody) // as the timeline says it
	line := fmt.Sprintf("%-4s %s %-26s %7s", termsafe.Line(x.Method), status, termsafe.Line(label), shortDuration(x.Timing.Total))
	if len(x.Flags) > 0 {
		line += "  [" + termsafe.Line(strings.Join(x.Flags, " ")) + "]"
	}
	if x.Error != "" {
		line += "  " + termsafe.Line(x.Error)
	}
	return line
}

// driver answers each stage of a flow until it ends.
type driver struct {
	client  *transport.Client
	answers answers
	version flow.Version
	out     io.Writer
}

func (d *driver) run(ctx context.Context) error {
	step, err := d.client.Start(ctx)
	for n := 0; ; n++ {
		if err != nil {
			return transportExit(err)
		}
		ch := step.Challenge
		if ch == nil {
			return exitf(exitTransport, "no challenge came back")
		}
		if d.version == "" {
			d.version = flow.DetectVersion(ch)
		}
		form := flow.FormFor(ch)
		if form.Terminal {
			return d.finish(form, step)
		}
		if n > 0 && len(ch.ResponseErrors) > 0 {
			return exitf(exitFlowEnded, "stage %s rejected the answer: %s", ch.Component, describeErrors(ch))
		}
		if n >= maxSteps {
			return exitf(exitFlowEnded, "gave up after %d steps without reaching the end", maxSteps)
		}
		answer, usageErr := d.answer(form)
		if usageErr != nil {
			return usageErr
		}
		// The loop's err, not a new one: a failed Submit is diagnosed above.
		step, err = d.client.Submit(ctx, answer)
	}
}

// answer builds the body for form from the given answers.
func (d *driver) answer(form flow.Form) (flow.Answer, error) {
	values, err := d.answers.valuesFor(form, time.Now())
	if err != nil {
		return flow.Answer{}, exitf(exitUsage, "%v", err)
	}
	body, err := flow.BuildAnswer(form, values, d.version)
	if err != nil {
		return flow.Answer{}, exitf(exitUsage, "stage %s: %v", form.Component, err)
	}
	return body, nil
}

// finish prints the terminal result and picks the exit code.
func (d *driver) finish(form flow.Form, step *transport.Step) error {
	r := form.Result
	if r == nil {
		r = &flow.Result{Headline: form.Component}
	}
	line := termsafe.Line(r.Headline)
	if r.Message != "" {
		line += ": " + termsafe.Line(r.Message)
	}
	if r.Outcome == flow.OutcomeSuccess {
		fmt.Fprintln(d.out, "✓", line)
		return nil
	}
	msg := line
	if r.RequestID != "" {
		msg += " (request_id " + termsafe.Line(r.RequestID) + ")"
	}
	if step.Diagnosis != "" {
		msg += "\n  likely cause: " + termsafe.Line(step.Diagnosis)
	}
	fmt.Fprintln(d.out, "✗", msg)
	return &exitError{code: exitFlowEnded, err: errors.New("")}
}

func describeErrors(ch *flow.Challenge) string {
	var parts []string
	for _, e := range ch.NonFieldErrors() {
		parts = append(parts, termsafe.Line(e.String))
	}
	for _, k := range ch.ErrorFields() {
		for _, e := range ch.Errors(k) {
			parts = append(parts, termsafe.Line(k)+": "+termsafe.Line(e.String))
		}
	}
	return strings.Join(parts, "; ")
}

// transportExit maps a transport failure to exit status 3 with its hint.
func transportExit(err error) error {
	return &exitError{code: exitTransport, err: err}
}

// shortDuration keeps three significant digits: 484µs, 12.3ms, 1.52s.
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}
