package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/history/load/dashboard"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

const loadLong = `Replays a recorded flow as many virtual users at once, each with its own
cookie jar, exactly as replay does, and reports per stage: count, errors by
kind, latency p50/p90/p95/p99/max, the server's time to first byte and the
transfer after it, and throughput. Without --rate, a closed model: --users
virtual users back to back. With --rate, an open model: iterations start at
that rate whatever the server does, and latency counts from when each should
have started.

Every run is bounded (--iterations, default 1, or --duration). A host that is
not this machine is asked for confirmation (or --yes). Failed iterations are
written, redacted, to one recording per failing virtual user (--failures).

With --users-file, iteration k of virtual user i logs in as account i+k*users
(modulo the file's length). authentik takes a TOTP code once per device, so an
account logs in with TOTP once per 30 s step: an iteration waits for its
account's next step (not counted as latency). Give more accounts than --users
for more logins per second.

The dashboard: up/down select a stage, tab the error list, enter opens the
exchange the selected error failed on in the details pane; esc only goes
back (out of the exchange, then the error list) and never stops the run:
q or ctrl+c does.

Exit status: 0 every iteration succeeded (or every --threshold held),
1 an iteration failed (or a threshold was missed), 2 bad usage,
3 no iteration got an answer, 130 stopped early (ctrl+c, or q in the
dashboard) whatever the thresholds say: the report is still printed and
the --report files written.`

func newLoadCommand(stdout, stderr io.Writer) *cobra.Command {
	return subcommand(&cobra.Command{
		Use:     "load FILE --url BASE [flags]",
		Short:   "replay a recording as many users at once, per-stage report",
		Long:    loadLong,
		Example: "  akinspect load login.akinspect.jsonl --url http://127.0.0.1:9000 --users-file users.csv \\\n    --iterations 50 --threshold 'password.p95<300ms' --threshold 'errors<1%'",
		// After FILE come the files of "--report KIND FILE".
		ValidArgsFunction: recordingArgs(1, cobra.ShellCompDirectiveDefault),
	}, &loadCommand{}, stdout, stderr)
}

// rateFlag reads "50", "50/s" or "3000/m".
type rateFlag float64

func (r *rateFlag) String() string { return strconv.FormatFloat(float64(*r), 'g', -1, 64) }
func (r *rateFlag) Set(v string) error {
	num, unit := v, "s"
	if i := strings.IndexByte(v, '/'); i >= 0 {
		num, unit = v[:i], v[i+1:]
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || f <= 0 || f > 1e6 {
		return fmt.Errorf("%q is not a rate such as 50/s", v)
	}
	switch unit {
	case "s":
	case "m", "min":
		f /= 60
	default:
		return fmt.Errorf("%q: the rate is per s or per m", v)
	}
	*r = rateFlag(f)
	return nil
}

func (r *rateFlag) Type() string { return "rate" }

// loadCommand is `akinspect load`'s flags.
type loadCommand struct {
	base       string
	vus        int
	iterations int
	duration   time.Duration
	rate       rateFlag
	ramp       time.Duration
	usersFile  string
	secrets    secretFlags
	thresholds repeated
	timeout    time.Duration
	reports    reportFlag
	failures   string
	noTUI      bool
	yes        bool
	caFile     string
	insecure   bool
}

func (o *loadCommand) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.base, "url", "", "server to send to (required when it is not the recorded host)")
	fs.IntVar(&o.vus, "users", 0, fmt.Sprintf("virtual users (default 1, or one per account of --users-file; at most %d)", load.MaxVUs))
	fs.IntVar(&o.iterations, "iterations", 0, "iterations per virtual user (default 1; the open model makes users×iterations in all)")
	fs.DurationVar(&o.duration, "duration", 0, "run for this long instead of a number of iterations")
	fs.Var(&o.rate, "rate", "open model: iterations started per second (50 or 50/s; 600/m)")
	fs.DurationVar(&o.ramp, "ramp", 0, "start the virtual users (or grow the rate) over this long")
	fs.StringVar(&o.usersFile, "users-file", "", "CSV `file` of accounts, one per virtual user: username,password,totp secret (values may be env:NAME or file:PATH)")
	_ = cobra.MarkFlagFilename(fs, "users-file", "csv")
	o.secrets.register(fs, " for every virtual user (without its own, for the TOTP secret)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "timeout of each request")
	fs.Var(&o.thresholds, "threshold", "fail (exit 1) unless this holds, e.g. 'password.p95<300ms' or 'errors<1%' (repeatable)")
	fs.Var(&o.reports, "report", "also write a report: junit FILE or json FILE (repeatable)")
	fs.StringVar(&o.failures, "failures", "", "`directory` for the recordings of failed iterations (default: a load-* directory in the recordings directory)")
	_ = cobra.MarkFlagDirname(fs, "failures")
	fs.BoolVar(&o.noTUI, "no-tui", false, "no dashboard: a progress line on stderr, then the report")
	fs.BoolVar(&o.yes, "yes", false, "do not ask before sending load to a host that is not this machine")
	fs.StringVar(&o.caFile, "ca-file", "", "PEM `file` with extra CA certificates")
	_ = cobra.MarkFlagFilename(fs, "ca-file", "pem", "crt", "cer")
	fs.BoolVar(&o.insecure, "insecure", false, "skip TLS certificate verification")
}

func (o *loadCommand) run(pos []string, stdout, stderr io.Writer) error {
	if len(pos) == 0 {
		return exitf(exitUsage, "load needs a recording file")
	}
	if err := o.reports.takePaths(pos[1:]); err != nil {
		return err
	}
	var checks []load.Threshold
	for _, s := range o.thresholds {
		t, err := load.ParseThreshold(s)
		if err != nil {
			return exitf(exitUsage, "%v", err)
		}
		checks = append(checks, t)
	}
	opts, err := o.options()
	if err != nil {
		return err
	}
	run, err := o.newRun(pos[0], opts, checks, stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var snap load.Snapshot
	if !o.noTUI && isTerminal(stdout) && isTerminal(os.Stdin) {
		snap, err = dashboard.Run(ctx, run)
		if err != nil {
			return exitf(exitUsage, "%v", err)
		}
	} else {
		snap = runHeadless(ctx, run, stderr)
	}
	fmt.Fprint(stdout, snap.Text())
	return o.report(snap, checks, stdout)
}

// options are the run's options from the flags (users, secrets, accounts).
func (o *loadCommand) options() (load.Options, error) {
	opts := load.Options{BaseURL: o.base, VUs: o.vus, Iterations: o.iterations, Duration: o.duration,
		Rate: float64(o.rate), Ramp: o.ramp, Timeout: o.timeout}
	if opts.Iterations == 0 && opts.Duration == 0 {
		opts.Iterations = 1
	}
	if o.vus < 0 || o.iterations < 0 || o.duration < 0 || o.ramp < 0 || o.timeout <= 0 {
		return opts, exitf(exitUsage, "--users, --iterations, --duration, --ramp and --timeout must not be negative")
	}
	var err error
	if opts.Secrets, opts.TOTPSecret, err = o.secrets.resolve(); err != nil {
		return opts, err
	}
	if o.usersFile != "" {
		f, err := os.Open(o.usersFile)
		if err != nil {
			return opts, exitf(exitUsage, "%v", err)
		}
		opts.Users, err = load.ReadUsers(f)
		f.Close()
		if err != nil {
			return opts, exitf(exitUsage, "%s: %v", o.usersFile, err)
		}
		if opts.VUs == 0 {
			opts.VUs = len(opts.Users)
		}
	}
	if opts.VUs == 0 {
		opts.VUs = 1
	}
	if opts.VUs > load.MaxVUs {
		if o.vus == 0 {
			return opts, exitf(exitUsage, "%s has %d accounts: at most %d virtual users at once: pass --users N to use the first N",
				o.usersFile, opts.VUs, load.MaxVUs)
		}
		return opts, exitf(exitUsage, "--users %d: at most %d virtual users at once", opts.VUs, load.MaxVUs)
	}
	return opts, nil
}

// newRun opens the recording and sets the run up: where failures go, TLS,
// and the confirmation a host that is not this machine needs.
func (o *loadCommand) newRun(path string, opts load.Options, checks []load.Threshold, stderr io.Writer) (*load.Run, error) {
	rec, err := history.Open(path)
	if err != nil {
		return nil, exitf(exitUsage, "%v", err)
	}
	for _, w := range rec.Warnings {
		fmt.Fprintln(stderr, "warning:", termsafe.Line(w))
	}
	opts.FailureDir = o.failures
	if opts.FailureDir == "" {
		dir, err := recordingsDir()
		if err != nil {
			return nil, exitf(exitUsage, "%v (pass --failures DIR)", err)
		}
		opts.FailureDir = filepath.Join(dir, "load-"+time.Now().UTC().Format("20060102-150405"))
	}
	if o.caFile != "" || o.insecure {
		rt, err := transport.HTTPTransport(o.caFile, o.insecure)
		if err != nil {
			return nil, exitf(exitUsage, "%v", err)
		}
		rt.MaxIdleConnsPerHost, rt.MaxIdleConns = opts.VUs, 2*opts.VUs
		opts.Transport = rt
	}
	run, err := load.New(rec, opts)
	if err != nil {
		return nil, exitf(exitUsage, "%v", err)
	}
	// A threshold on a stage the recording does not have would only fail
	// after the whole run: refuse it before anything is sent.
	for _, t := range checks {
		if err := t.CheckStages(run.Stages()); err != nil {
			return nil, exitf(exitUsage, "%v", err)
		}
	}
	if !load.IsLoopback(run.Target()) && !o.yes {
		if err := confirmLoad(run, opts, stderr); err != nil {
			return nil, err
		}
	}
	return run, nil
}

// report checks the thresholds, writes the --report files and picks the
// exit status. The report files are written whatever the thresholds say:
// a CI job that fails wants them most.
func (o *loadCommand) report(snap load.Snapshot, checks []load.Threshold, stdout io.Writer) error {
	var results []load.Result
	missed := 0
	var checkErr error
	for _, t := range checks {
		r, err := t.Check(snap)
		if err != nil && checkErr == nil {
			checkErr = exitf(exitUsage, "%v", err)
		}
		results = append(results, r)
		verdict := "ok    "
		if !r.Pass {
			verdict, missed = "MISSED", missed+1
		}
		fmt.Fprintf(stdout, "threshold %s %s (got %s)\n", verdict, termsafe.Line(r.Threshold), r.Got)
	}
	for i, kind := range o.reports.kinds {
		write := func(w io.Writer) error { return snap.WriteJSON(w, results) }
		if kind == "junit" {
			write = func(w io.Writer) error { return snap.WriteJUnit(w, results) }
		}
		if err := writeFile(o.reports.paths[i], write); err != nil {
			return exitf(exitUsage, "%v", err)
		}
	}
	if checkErr != nil {
		return checkErr
	}
	return loadExit(snap, checks, missed)
}

// exitInterrupted is a load run stopped before its end (ctrl+c), as a
// shell reports a command killed by SIGINT (128+2).
const exitInterrupted = 130

// loadExit: a run stopped early is 130, whatever it measured (a cut run
// must not pass a CI gate); then thresholds decide when given; otherwise
// any failed iteration is 1, and no answer at all is 3.
func loadExit(s load.Snapshot, checks []load.Threshold, missed int) error {
	fail := func(code int) error { return &exitError{code: code, err: errors.New("")} }
	if s.Stopped {
		return &exitError{code: exitInterrupted, err: errors.New("stopped before the end: the report covers the iterations that finished")}
	}
	if len(checks) > 0 {
		if missed > 0 {
			return fail(exitFlowEnded)
		}
		return nil
	}
	if s.Iterations > 0 && s.Failed == s.Iterations {
		transportOnly := true
		for _, st := range s.Stages {
			for k, n := range st.ByKind {
				if n > 0 && k != load.ErrTransport && k != load.ErrTimeout {
					transportOnly = false
				}
			}
		}
		if transportOnly {
			return fail(exitTransport)
		}
	}
	if s.Failed > 0 {
		return fail(exitFlowEnded)
	}
	return nil
}

// confirmLoad asks before load goes to another machine; without a
// terminal it refuses.
func confirmLoad(run *load.Run, opts load.Options, stderr io.Writer) error {
	what := fmt.Sprintf("%d virtual users", opts.VUs)
	if opts.Duration > 0 {
		what += " for " + opts.Duration.String()
	} else {
		what += fmt.Sprintf(" × %d iterations", opts.Iterations)
	}
	target := termsafe.Line(run.Target())
	if !isTerminal(os.Stdin) {
		return exitf(exitUsage, "%s is not this machine: pass --yes to send it load (%s)", target, what)
	}
	fmt.Fprintf(stderr, "send load (%s) to %s? [y/N] ", what, target)
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return exitf(exitUsage, "not confirmed: nothing was sent")
	}
	return nil
}

// runHeadless runs with a progress line on stderr: redrawn in place on a
// terminal, one line every 5 s otherwise.
func runHeadless(ctx context.Context, run *load.Run, stderr io.Writer) load.Snapshot {
	done := make(chan load.Snapshot, 1)
	go func() { done <- run.Run(ctx) }()
	tty := isTerminal(stderr)
	every := 5 * time.Second
	if tty {
		every = 250 * time.Millisecond
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case snap := <-done:
			if tty {
				fmt.Fprint(stderr, "\r\x1b[K")
			}
			fmt.Fprintln(stderr, progressLine(snap))
			return snap
		case <-tick.C:
			line := progressLine(run.Snapshot())
			if tty {
				fmt.Fprint(stderr, "\r\x1b[K"+line)
			} else {
				fmt.Fprintln(stderr, line)
			}
		}
	}
}

func progressLine(s load.Snapshot) string {
	var b strings.Builder
	fmt.Fprintf(&b, "load: %s", Dur(s.Elapsed))
	switch {
	case s.Planned > 0:
		fmt.Fprintf(&b, " of %s", Dur(s.Planned))
	case s.PlannedIterations > 0:
		fmt.Fprintf(&b, ", %d/%d iterations", s.Iterations, s.PlannedIterations)
	}
	if s.Planned > 0 || s.PlannedIterations == 0 {
		fmt.Fprintf(&b, ", %d iterations", s.Iterations)
	}
	fmt.Fprintf(&b, ", %d failed, %d running", s.Failed, s.Active)
	if s.TOTPWaiting > 0 {
		fmt.Fprintf(&b, ", %d waiting for a TOTP step", s.TOTPWaiting)
	}
	fmt.Fprintf(&b, ", p95 %s", load.Dur(s.Iteration.Latency.P95))
	if s.Done {
		b.WriteString(", done")
		if s.Stopped {
			b.WriteString(" (stopped)")
		}
	}
	return b.String()
}

// Dur is load.Dur, for the elapsed time (whole seconds beyond a minute).
func Dur(d time.Duration) string { return load.Dur(d.Round(time.Millisecond)) }
