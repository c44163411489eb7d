package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

const replayLong = `Re-runs a recording against a live server, answering each stage with the
recorded answer, and reports where the flow now differs. Redacted secrets
come from --secret, --secrets-file, the environment (AKINSPECT_SECRET_<NAME>,
e.g. AKINSPECT_SECRET_PASSWORD) or, on a terminal, a prompt.

Exit status: 0 the run matches, 1 it diverges, 2 bad usage, 3 transport error,
4 the recording is incomplete (its writer lost exchanges, e.g. on a full
disk): what it lacks was never compared, so it cannot say the run matches.`

func newReplayCommand(stdout, stderr io.Writer) *cobra.Command {
	return subcommand(&cobra.Command{
		Use:     "replay FILE [flags]",
		Short:   "re-run a recording, report where the flow differs",
		Long:    replayLong,
		Example: "  akinspect replay login.akinspect.jsonl --url https://staging.example.com --report junit report.xml",
		// After FILE come the files of "--report KIND FILE".
		ValidArgsFunction: recordingArgs(1, cobra.ShellCompDirectiveDefault),
	}, &replayCommand{}, stdout, stderr)
}

// reportFlag collects --report kinds: "junit=FILE", or "junit" followed by
// FILE as the next argument.
type reportFlag struct{ kinds, paths []string }

func (r *reportFlag) String() string { return strings.Join(r.kinds, ",") }
func (r *reportFlag) Set(v string) error {
	kind, path, _ := strings.Cut(v, "=")
	if kind != "junit" && kind != "json" {
		return fmt.Errorf("report kind %q: use junit or json", kind)
	}
	r.kinds = append(r.kinds, kind)
	r.paths = append(r.paths, path)
	return nil
}

func (r *reportFlag) Type() string { return "kind" }

// replayCommand is `akinspect replay`'s flags.
type replayCommand struct {
	base      string
	secrets   secretFlags
	ignore    repeated
	compare   repeated
	keepGoing bool
	reports   reportFlag
}

func (o *replayCommand) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.base, "url", "", "server to replay against (required when it is not the recorded host)")
	o.secrets.register(fs, "")
	fs.Var(&o.ignore, "ignore", "also ignore this JSON `path` when comparing (repeatable), e.g. flow_info.title")
	fs.Var(&o.compare, "compare", "compare this `path` although it is ignored by default (repeatable)")
	fs.BoolVar(&o.keepGoing, "keep-going", false, "run every step instead of stopping at the first divergence")
	fs.Var(&o.reports, "report", "also write a report: junit FILE or json FILE (repeatable)")
}

func (o *replayCommand) run(pos []string, stdout, stderr io.Writer) error {
	if len(pos) == 0 {
		return exitf(exitUsage, "replay needs a recording file")
	}
	if err := o.reports.takePaths(pos[1:]); err != nil {
		return err
	}
	known, totpSecret, err := o.secrets.resolve()
	if err != nil {
		return err
	}
	rec, err := history.Open(pos[0])
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	for _, w := range rec.Warnings {
		fmt.Fprintln(stderr, "warning:", termsafe.Line(w))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	report, err := replay.Replay(ctx, rec, replay.ReplayOptions{
		BaseURL:    o.base,
		Secrets:    known,
		TOTPSecret: totpSecret,
		Prompt:     secretPrompt(stderr),
		Ignore:     o.ignore,
		Compare:    o.compare,
		KeepGoing:  o.keepGoing,
	})
	if err != nil {
		var te *transport.Error
		if errors.As(err, &te) {
			return transportExit(err)
		}
		return exitf(exitUsage, "%v", err)
	}
	fmt.Fprint(stdout, report.Text())
	for i, kind := range o.reports.kinds {
		if err := writeReport(report, kind, o.reports.paths[i]); err != nil {
			return exitf(exitUsage, "%v", err)
		}
	}
	return replayExit(report, rec)
}

// takePaths pairs each "--report KIND" given without "=FILE" with the next
// positional argument, as in "--report junit out.xml".
func (r *reportFlag) takePaths(rest []string) error {
	for i := range r.paths {
		if r.paths[i] == "" {
			if len(rest) == 0 {
				return exitf(exitUsage, "--report %s needs a file", r.kinds[i])
			}
			r.paths[i], rest = rest[0], rest[1:]
		}
	}
	if len(rest) > 0 {
		return exitf(exitUsage, "unexpected arguments %q", rest)
	}
	return nil
}

// gatherSecrets reads --secrets-file, then --secret (which wins).
func gatherSecrets(file string, pairs []string) (map[string]string, error) {
	known := map[string]string{}
	if file != "" {
		a, err := readAnswersFile(file)
		if err != nil {
			return nil, exitf(exitUsage, "%v", err)
		}
		for k, v := range a {
			known[k] = v
		}
	}
	for i, s := range pairs {
		k, spec, ok := strings.Cut(s, "=")
		if !ok {
			// Not quoted back: what was typed may be the secret itself.
			return nil, exitf(exitUsage, "--secret number %d is not name=value (e.g. password=env:AK_PASSWORD)", i+1)
		}
		v, err := fromEnv(spec)
		if err != nil {
			return nil, exitf(exitUsage, "--secret %s: %v", k, err)
		}
		known[k] = v
	}
	return known, nil
}

// replayExit is 3 when a step got no response; 4 when the recording
// lacks what its writer lost, since the steps after the loss were never
// compared (and the step the loss cut short diverges for that alone);
// 1 on divergence; else 0.
func replayExit(report *replay.Report, rec *history.Recording) error {
	for _, s := range report.Steps {
		if s.Status == replay.StepFailed {
			return &exitError{code: exitTransport, err: errors.New("")}
		}
	}
	if rec.Incomplete() {
		return exitf(exitRecording, "%s is incomplete (warning above): what it lacks was never compared; record the flow again", rec.Path)
	}
	if report.Diverged {
		return &exitError{code: exitFlowEnded, err: errors.New("")}
	}
	return nil
}

func writeReport(r *replay.Report, kind, path string) error {
	if kind == "junit" {
		return writeFile(path, r.WriteJUnit)
	}
	return writeFile(path, r.WriteJSON)
}

var nonAlnum = regexp.MustCompile(`[^A-Za-z0-9]+`)

// secretPrompt fills a redacted value from the environment, or asks on the
// terminal without echo. Without a terminal a missing secret is an error.
func secretPrompt(stderr io.Writer) func(name string) (string, error) {
	return func(name string) (string, error) {
		env := "AKINSPECT_SECRET_" + strings.ToUpper(strings.Trim(nonAlnum.ReplaceAllString(name, "_"), "_"))
		if v, ok := os.LookupEnv(env); ok {
			return v, nil
		}
		if !term.IsTerminal(os.Stdin.Fd()) {
			return "", fmt.Errorf("the recording needs %q: pass --secret %s=... or set %s", name, name, env)
		}
		fmt.Fprintf(stderr, "value for %s (not echoed): ", termsafe.Line(name))
		b, err := term.ReadPassword(os.Stdin.Fd())
		fmt.Fprintln(stderr)
		if err != nil {
			// Fall back to a plain line read (some terminals refuse raw mode).
			line, rerr := bufio.NewReader(os.Stdin).ReadString('\n')
			return strings.TrimRight(line, "\r\n"), rerr
		}
		return string(b), nil
	}
}

// secretFlags are how replay and load are given the values a recording's
// redaction markers stand for: --secret, --secrets-file, --totp-secret.
type secretFlags struct {
	pairs repeated
	file  string
	totp  string
}

// register adds the flags; forEach says who the values are for ("" or
// " for every virtual user").
func (s *secretFlags) register(fs *pflag.FlagSet, forEach string) {
	fs.Var(&s.pairs, "secret", "a redacted value"+forEach+": `name=value` or name=env:NAME (repeatable)")
	fs.StringVar(&s.file, "secrets-file", "", "`file` of name=value lines for redacted values")
	fs.StringVar(&s.totp, "totp-secret", "", "base32 TOTP secret, or env:NAME: compute fresh codes for MFA stages"+forEach)
}

// resolve reads the secrets and the TOTP secret (env:NAME read now).
func (s *secretFlags) resolve() (map[string]string, string, error) {
	known, err := gatherSecrets(s.file, s.pairs)
	if err != nil {
		return nil, "", err
	}
	totp, err := fromEnv(s.totp)
	if err != nil {
		return nil, "", exitf(exitUsage, "--totp-secret: %v", err)
	}
	return known, totp, nil
}
