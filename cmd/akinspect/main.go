// Command akinspect is a full-screen terminal debugger for authentik flows.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/akinspect/akinspect/history"
	_ "github.com/akinspect/akinspect/history/har" // history.Open reads HAR files too
	"github.com/akinspect/akinspect/internal/termsafe"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit codes of the headless commands (run, replay; README "Exit status").
// An HTTP answer that refuses us is the server's verdict (1); a transport
// error is no usable answer at all (3).
const (
	exitOK = 0
	// exitFlowEnded: the server's verdict. run: access denied, a flow
	// error, a rejected answer, a page instead of a challenge
	// (xak-flow-shell, session end), an HTTP refusal (403, 404, 5xx).
	// replay: a step diverged from the recording.
	exitFlowEnded = 1
	exitUsage     = 2 // bad usage, or an answer that was needed and not given
	// exitTransport: no usable answer: unreachable, DNS, TLS, timeout,
	// cancelled, a body that is not the JSON asked for or is over
	// --max-body, a redirect loop.
	exitTransport = 3
	// exitRecording: the flow itself went well, but its recording could
	// not be completed (a full disk): what was lost is said on stderr.
	// replay: the recording it read is one of those (it ends with a
	// "lost" record), so not every step could be compared.
	exitRecording = 4
)

// exitError carries an exit code up to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitf(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}

func main() {
	history.Version = versionString()
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

func runMain(args []string, stdout, stderr io.Writer) int {
	c, err := loadConfig()
	if err != nil {
		return exitCode(exitf(exitUsage, "config: %v", err), stderr)
	}
	config = c
	config.apply()
	return exitCode(dispatch(args, stdout, stderr), stderr)
}

// exitCode prints what went wrong and picks the exit status. An error may
// quote the server (a 4xx detail, a component name), so it is printed
// made safe, on one line.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "akinspect:", termsafe.Line(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "akinspect:", termsafe.Line(err.Error()))
	return exitUsage
}

// dispatch runs the command tree on args. No arguments at all is a usage
// error: the usage goes to stderr.
func dispatch(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &exitError{code: exitUsage, err: errors.New("")}
	}
	root := newRootCommand(stdout, stderr)
	root.SetArgs(args)
	return root.Execute()
}

const usage = `akinspect — a terminal debugger for authentik flows

Usage:
  akinspect demo                        open the TUI on the embedded simulator
  akinspect <flow-url> [flags]          open the TUI on a real authentik flow
  akinspect run <flow-url> [flags]      drive a flow headless, one line per exchange
  akinspect open FILE [--live]          browse a recording or a HAR file
  akinspect replay FILE [flags]         re-run a recording, report where the flow differs
  akinspect load FILE [flags]           replay a recording as many users at once, per-stage report
  akinspect export FILE --har OUT       write HAR 1.2 (or --curl N for one exchange)
  akinspect diff A B [--json]           compare two recordings or HARs stage by stage
  akinspect ls [--all] [DIR]            list recent recordings, newest first
  akinspect sim [--addr A] [--legacy]   serve the simulator
  akinspect version                     print the version (also --version)
  akinspect completion bash|zsh|fish|powershell
                                        print a shell completion script

A flow URL is the browser URL of a flow: https://auth.example.com/if/flow/<slug>/?next=/x
Run "akinspect <command> --help" (or "akinspect help <command>") for the flags of a command.
`
