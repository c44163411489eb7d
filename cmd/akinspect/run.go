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

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termqr"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

const runLong = `Drives a flow to its end without the TUI, answering each stage from --answers
and --set, and prints one line per exchange. Values may be "env:NAME" (read
from the environment), "totp:SECRET" or "totp:env:NAME" (a fresh TOTP code).
Keys are field keys ("password") or scoped to a stage ("validate.code").

With --token or --inspector-token the flow inspector is read after each step
(always recorded; printed with --verbose, -v). --no-validate sends values as
typed (client-side checks become warnings), and body=JSON answers any stage raw.
Setup stages print what a person must see (the otpauth URI and secret, the
recovery codes) to the terminal; recordings keep them redacted.

Exit status: 0 the flow finished (xak-flow-redirect); 1 the server's verdict
(access denied, flow error, a rejected answer, a page instead of a challenge,
an HTTP refusal such as 403 or 404); 2 bad usage or an answer that was needed
and not given; 3 no usable answer (unreachable, TLS, timeout, not JSON, over
--max-body, a gateway 502/503/504); 4 the recording could not be completed.`

func newRunCommand(stdout, stderr io.Writer) *cobra.Command {
	return subcommand(&cobra.Command{
		Use:               "run <flow-url> [flags]",
		Short:             "drive a flow headless, one line per exchange",
		Long:              runLong,
		ValidArgsFunction: noFiles,
	}, &runCommand{}, stdout, stderr)
}

// runCommand is `akinspect run`'s flags.
type runCommand struct {
	target      targetFlags
	record      recordFlags
	answersFile string
	sets        repeated
	schema      string
	verbose     bool
	asTyped     bool
}

func (o *runCommand) register(fs *pflag.FlagSet) {
	o.target.register(fs)
	fs.StringVar(&o.answersFile, "answers", "", "`file` of answers: key=value lines or a JSON object")
	fs.Var(&o.sets, "set", "answer a field: `key=value` (repeatable; value may be env:NAME or totp:SECRET)")
	fs.StringVar(&o.schema, "schema", "", "authentik schema `version` to build answers for (default: detected)")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "also print inspector reads and the flow plan after each step")
	fs.BoolVar(&o.asTyped, "no-validate", false, "send values as typed: client-side checks only warn, so authentik's own errors show")
	o.record.register(fs)
}

// maxSteps stops a run that goes round in circles.
const maxSteps = 50

func (o *runCommand) run(pos []string, stdout, stderr io.Writer) error {
	if len(pos) > 1 {
		return exitf(exitUsage, "run takes one flow URL, got %q", pos)
	}
	var err error
	ans := answers{}
	if o.answersFile != "" {
		if ans, err = readAnswersFile(o.answersFile); err != nil {
			return exitf(exitUsage, "%v", err)
		}
	}
	for _, s := range o.sets {
		if err := ans.set(s); err != nil {
			return exitf(exitUsage, "--set: %v", err)
		}
	}
	sess, err := o.target.session(first(pos), &o.record, stderr)
	if err != nil {
		return err
	}
	client := sess.client

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	stopPrinting := printExchanges(client.Recorder(), stdout, o.verbose)
	defer stopPrinting()
	cfg := client.Config()
	d := &driver{client: client, answers: ans, version: flow.Version(o.schema), out: stdout, errOut: stderr,
		inspect: cfg.Token != "" || cfg.InspectorToken != "", verbose: o.verbose, asTyped: o.asTyped}
	err = d.run(ctx)
	stopPrinting()
	if recErr := sess.close(); recErr != nil && err == nil {
		return &exitError{code: exitRecording, err: errors.New("")} // close said why
	}
	return err
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
// Inspector reads are printed only when verbose.
func printExchanges(rec *transport.Recorder, w io.Writer, verbose bool) (stop func()) {
	var mu sync.Mutex
	return rec.Observe(func(x *transport.Exchange) {
		if x.Kind == transport.KindInspector && !verbose {
			return
		}
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
	if x.Has(transport.FlagCookiesDropped) && x.Diagnosis != "" {
		// The jar silently kept nothing of this response: say it where the
		// flag is, not only in the TUI.
		line += "\n     warning: " + termsafe.Line(x.Diagnosis)
	}
	return line
}

// driver answers each stage of a flow until it ends.
type driver struct {
	client  *transport.Client
	answers answers
	version flow.Version
	out     io.Writer
	errOut  io.Writer // warnings
	inspect bool      // read the inspector after each step
	verbose bool      // print the plan the inspector shows
	asTyped bool      // --no-validate
	// inspectFailed: the inspector refused once; it is not asked again.
	inspectFailed bool
}

func (d *driver) run(ctx context.Context) error {
	step, err := d.client.Start(ctx)
	for n := 0; ; n++ {
		if err != nil {
			return transportExit(err)
		}
		d.readInspector(ctx)
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
		d.showSetup(form)
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

// answer builds the body for form from the given answers: body=JSON (for
// any stage) as it is, else the form's fields.
func (d *driver) answer(form flow.Form) (flow.Answer, error) {
	if spec, ok := d.answers.lookup(form.Component, "body"); ok && !form.Raw {
		form = flow.Form{Component: form.Component, Raw: true}
		d.answers = d.answers.with(form.Component+".body", spec)
	}
	values, err := d.answers.valuesFor(form, time.Now())
	var missing *missingAnswer
	switch {
	case errors.As(err, &missing) && d.asTyped:
		// Sent empty: authentik says what it thinks of a blank field.
		for _, k := range missing.fields {
			values[k] = ""
		}
	case err != nil:
		return flow.Answer{}, exitf(exitUsage, "%v", err)
	}
	if !d.asTyped {
		body, err := flow.BuildAnswer(form, values, d.version)
		if err != nil {
			return flow.Answer{}, exitf(exitUsage, "stage %s: %v (--no-validate sends it as typed)", termsafe.Line(form.Component), err)
		}
		return body, nil
	}
	body, warnings, err := flow.BuildAnswerAsTyped(form, values, d.version)
	for _, w := range warnings {
		fmt.Fprintf(d.errOut, "warning: stage %s: %s; sent as typed\n", termsafe.Line(flow.ShortComponent(form.Component)), termsafe.Line(w.Error()))
	}
	if err != nil {
		return flow.Answer{}, exitf(exitUsage, "stage %s: %v", termsafe.Line(form.Component), err)
	}
	return body, nil
}

// setupStages show what a person must see to finish enrolling (the
// otpauth URI and its secret, the recovery codes). They are printed to the
// terminal only: recordings keep them redacted.
var setupStages = map[string]bool{flow.ComponentTOTPSetup: true, flow.ComponentStaticSetup: true, flow.ComponentDuoSetup: true}

func (d *driver) showSetup(form flow.Form) {
	if !setupStages[form.Component] {
		return
	}
	for _, c := range form.Context {
		if c.Value != "" { // a block (recovery codes) keeps its lines, indented
			value := strings.ReplaceAll(termsafe.String(c.Value), "\n", "\n    ")
			fmt.Fprintf(d.out, "  %s: %s\n", termsafe.Line(c.Label), value)
		}
		if c.Label == "Setup URL" && c.Value != "" && isTerminal(d.out) {
			if qr, err := termqr.Render(c.Value); err == nil {
				fmt.Fprintln(d.out, qr) // for a phone's authenticator app
			}
		}
	}
}

// isTerminal: w is a terminal (a QR code is drawn only for a person).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// readInspector reads the flow plan after a step when a token allows it:
// always recorded, printed with -v. A refusal is said once and not asked
// again; it never stops the run.
func (d *driver) readInspector(ctx context.Context) {
	if !d.inspect || d.inspectFailed {
		return
	}
	in, _, err := d.client.Inspect(ctx)
	if err != nil {
		d.inspectFailed = true
		fmt.Fprintln(d.errOut, "warning: inspector:", termsafe.Line(err.Error()))
		return
	}
	if d.verbose {
		fmt.Fprintln(d.out, "  plan:", termsafe.Line(planLine(in)))
	}
}

// planLine says where the plan stands: the current stage and the next one.
func planLine(in *flow.Inspection) string {
	if in.IsCompleted || in.CurrentPlan == nil {
		return "completed"
	}
	name := func(b *flow.StageBinding) string {
		if b == nil || b.StageObj == nil || b.StageObj.Name == "" {
			return "—"
		}
		return b.StageObj.Name
	}
	return "at " + name(in.CurrentPlan.CurrentStage) + ", next " + name(in.CurrentPlan.NextPlannedStage)
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

// transportExit maps a client failure to its exit status, with its hint:
// 1 when the server answered and refused, 3 when no usable answer came.
func transportExit(err error) error {
	var te *transport.Error
	if errors.As(err, &te) && te.Refused() {
		return &exitError{code: exitFlowEnded, err: err}
	}
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
