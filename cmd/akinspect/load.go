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

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/history/load/dashboard"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

const loadUsage = `Usage: akinspect load RECORDING --url BASE [flags]

Replays a recorded flow as many virtual users at once, each with its own
cookie jar, exactly as replay does, and reports per stage: count, errors by
kind, latency p50/p90/p95/p99/max, the server's time to first byte, and
throughput. Without --rate, a closed model: --users virtual users back to
back. With --rate, an open model: iterations start at that rate whatever the
server does, and latency counts from when each should have started.

Every run is bounded (--iterations, default 1, or --duration). A host that is
not this machine is asked for confirmation (or --yes). Failed iterations are
written, redacted, to one recording per failing virtual user (--failures).

Exit status: 0 every iteration succeeded (or every --threshold held),
1 an iteration failed (or a threshold was missed), 2 bad usage,
3 no iteration got an answer.

Flags:
`

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

func cmdLoad(args []string, stdout, stderr io.Writer) error {
	fs := newCommand("load", loadUsage, stderr)
	base := fs.String("url", "", "server to send to (required when it is not the recorded host)")
	vus := fs.Int("users", 0, "virtual users (default 1, or one per account of --users-file)")
	iterations := fs.Int("iterations", 0, "iterations per virtual user (default 1; the open model makes users×iterations in all)")
	duration := fs.Duration("duration", 0, "run for this long instead of a number of iterations")
	var rate rateFlag
	fs.Var(&rate, "rate", "open model: iterations started per second (50 or 50/s; 600/m)")
	ramp := fs.Duration("ramp", 0, "start the virtual users (or grow the rate) over this long")
	usersFile := fs.String("users-file", "", "CSV of accounts, one per virtual user: username,password,totp secret (values may be env:NAME or file:PATH)")
	var sf secretFlags
	sf.register(fs, " for every virtual user (without its own, for the TOTP secret)")
	var thresholds repeated
	timeout := fs.Duration("timeout", 30*time.Second, "timeout of each request")
	fs.Var(&thresholds, "threshold", "fail (exit 1) unless this holds, e.g. 'password.p95<300ms' or 'errors<1%' (repeatable)")
	var reports reportFlag
	fs.Var(&reports, "report", "also write a report: junit FILE or json FILE (repeatable)")
	failures := fs.String("failures", "", "directory for the recordings of failed iterations (default: a load-* directory in the recordings directory)")
	noTUI := fs.Bool("no-tui", false, "no dashboard: a progress line on stderr, then the report")
	yes := fs.Bool("yes", false, "do not ask before sending load to a host that is not this machine")
	caFile := fs.String("ca-file", "", "PEM file with extra CA certificates")
	insecure := fs.Bool("insecure", false, "skip TLS certificate verification")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return exitf(exitUsage, "load needs a recording file")
	}
	if err := reports.takePaths(pos[1:]); err != nil {
		return err
	}
	var checks []load.Threshold
	for _, s := range thresholds {
		t, err := load.ParseThreshold(s)
		if err != nil {
			return exitf(exitUsage, "%v", err)
		}
		checks = append(checks, t)
	}
	opts := load.Options{BaseURL: *base, VUs: *vus, Iterations: *iterations, Duration: *duration,
		Rate: float64(rate), Ramp: *ramp, Timeout: *timeout}
	if opts.Iterations == 0 && opts.Duration == 0 {
		opts.Iterations = 1
	}
	if *vus < 0 || *iterations < 0 || *duration < 0 || *ramp < 0 || *timeout <= 0 {
		return exitf(exitUsage, "--users, --iterations, --duration, --ramp and --timeout must not be negative")
	}
	if opts.Secrets, opts.TOTPSecret, err = sf.resolve(); err != nil {
		return err
	}
	if *usersFile != "" {
		f, err := os.Open(*usersFile)
		if err != nil {
			return exitf(exitUsage, "%v", err)
		}
		opts.Users, err = load.ReadUsers(f)
		f.Close()
		if err != nil {
			return exitf(exitUsage, "%s: %v", *usersFile, err)
		}
		if opts.VUs == 0 {
			opts.VUs = len(opts.Users)
		}
	}
	if opts.VUs == 0 {
		opts.VUs = 1
	}
	rec, err := history.Open(pos[0])
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	for _, w := range rec.Warnings {
		fmt.Fprintln(stderr, "warning:", termsafe.Line(w))
	}
	started := time.Now()
	if *failures == "" {
		dir, err := recordingsDir()
		if err != nil {
			return exitf(exitUsage, "%v (pass --failures DIR)", err)
		}
		*failures = filepath.Join(dir, "load-"+started.UTC().Format("20060102-150405"))
	}
	opts.FailureDir = *failures
	if *caFile != "" || *insecure {
		rt, err := transport.HTTPTransport(*caFile, *insecure)
		if err != nil {
			return exitf(exitUsage, "%v", err)
		}
		rt.MaxIdleConnsPerHost, rt.MaxIdleConns = opts.VUs, 2*opts.VUs
		opts.Transport = rt
	}
	run, err := load.New(rec, opts)
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	if !load.IsLoopback(run.Target()) && !*yes {
		if err := confirmLoad(run, opts, stderr); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var snap load.Snapshot
	if !*noTUI && isTerminal(stdout) && isTerminal(os.Stdin) {
		snap, err = dashboard.Run(ctx, run)
		if err != nil {
			return exitf(exitUsage, "%v", err)
		}
	} else {
		snap = runHeadless(ctx, run, stderr)
	}
	fmt.Fprint(stdout, snap.Text())
	var results []load.Result
	missed := 0
	for _, t := range checks {
		r, err := t.Check(snap)
		if err != nil {
			return exitf(exitUsage, "%v", err)
		}
		results = append(results, r)
		verdict := "ok    "
		if !r.Pass {
			verdict, missed = "MISSED", missed+1
		}
		fmt.Fprintf(stdout, "threshold %s %s (got %s)\n", verdict, termsafe.Line(r.Threshold), r.Got)
	}
	for i, kind := range reports.kinds {
		write := func(w io.Writer) error { return snap.WriteJSON(w, results) }
		if kind == "junit" {
			write = func(w io.Writer) error { return snap.WriteJUnit(w, results) }
		}
		if err := writeFile(reports.paths[i], write); err != nil {
			return exitf(exitUsage, "%v", err)
		}
	}
	return loadExit(snap, checks, missed)
}

// loadExit: thresholds decide when given; otherwise any failed iteration
// is 1, and no answer at all is 3.
func loadExit(s load.Snapshot, checks []load.Threshold, missed int) error {
	fail := func(code int) error { return &exitError{code: code, err: errors.New("")} }
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
	fmt.Fprintf(&b, ", %d failed, %d running, p95 %s", s.Failed, s.Active, load.Dur(s.Iteration.Latency.P95))
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
