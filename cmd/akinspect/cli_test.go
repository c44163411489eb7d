package main

import (
	"strings"
	"testing"
)

func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string][]string{
		"bash":       {"__start_akinspect", "complete -o default -F __start_akinspect akinspect"},
		"zsh":        {"#compdef akinspect", "compdef _akinspect akinspect"},
		"fish":       {"complete -c akinspect"},
		"powershell": {"Register-ArgumentCompleter", "akinspect"},
	} {
		code, out, errOut := runCLI(t, "completion", shell)
		if code != exitOK {
			t.Fatalf("completion %s: exit %d: %s", shell, code, errOut)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("completion %s: the script has no %q", shell, w)
			}
		}
	}
	if code, _, errOut := runCLI(t, "completion", "tcsh"); code != exitUsage || !strings.Contains(errOut, "bash, zsh, fish or powershell") {
		t.Errorf("completion tcsh: exit %d: %s", code, errOut)
	}
}

// __complete is what the shell scripts call: it answers from the same
// command tree that parses the flags.
func TestCompletionKnowsCommandsFlagsAndFiles(t *testing.T) {
	_, out, _ := runCLI(t, "__complete", "")
	for _, name := range []string{"demo", "run", "open", "replay", "load", "export", "diff", "ls", "sim", "version", "completion"} {
		if !strings.Contains(out, "\n"+name+"\t") && !strings.HasPrefix(out, name+"\t") {
			t.Errorf("__complete \"\" does not offer %s:\n%s", name, out)
		}
	}
	_, out, _ = runCLI(t, "__complete", "run", "--")
	for _, flag := range []string{"--url\t", "--flow\t", "--token\t", "--set\t", "--verbose\t", "--record\t"} {
		if !strings.Contains(out, flag) {
			t.Errorf("__complete run -- does not offer %s:\n%s", flag, out)
		}
	}
	// Recordings: the file argument of open, replay, load, export and diff
	// completes *.jsonl and *.har files (directive 8: filter by extension).
	for _, args := range [][]string{{"open", ""}, {"replay", ""}, {"load", ""}, {"export", ""}, {"diff", "a.jsonl", ""}} {
		_, out, _ = runCLI(t, append([]string{"__complete"}, args...)...)
		if out != "jsonl\nhar\n:8\n" {
			t.Errorf("__complete %q = %q, want the recording extensions", args, out)
		}
	}
	if _, out, _ = runCLI(t, "__complete", "replay", "--report", ""); !strings.HasPrefix(out, "junit\njson\n") {
		t.Errorf("__complete replay --report = %q", out)
	}
}

func TestHelpWritesLongFlags(t *testing.T) {
	code, out, _ := runCLI(t, "run", "--help")
	if code != exitOK || !strings.Contains(out, "--url string") || !strings.Contains(out, "-v, --verbose") ||
		!strings.Contains(out, "--set key=value") || !strings.Contains(out, "akinspect run <flow-url> [flags]") {
		t.Errorf("run --help: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, _ := runCLI(t, args...)
		if code != exitOK {
			t.Errorf("%q: exit %d", args, code)
		}
		for _, name := range []string{"demo", "<flow-url>", "run", "open", "replay", "load", "export", "diff", "ls", "sim", "version", "completion"} {
			if !strings.Contains(out, "akinspect "+name) {
				t.Errorf("%q does not list akinspect %s", args, name)
			}
		}
		if !strings.Contains(out, "--url string") {
			t.Errorf("%q does not list the TUI's flags", args)
		}
	}
	code, out, errOut := runCLI(t)
	if code != exitUsage || out != "" || !strings.Contains(errOut, "akinspect run <flow-url>") {
		t.Errorf("no arguments: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestBadFlagsAreUsageErrorsOnOneLine(t *testing.T) {
	for args, want := range map[string]string{
		"run --bogus":             "unknown flag: --bogus",
		"run -url http://x":       "-url: long flags take two dashes: --url",
		"ls --all=maybe":          `invalid argument "maybe" for "--all"`,
		"sim --users":             "flag needs an argument: --users",
		"rnu":                     `unknown command "rnu": did you mean run?`,
		"replay x.jsonl --ignore": "flag needs an argument: --ignore",
	} {
		code, out, errOut := runCLI(t, strings.Fields(args)...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %q on one line", args, code, out, errOut, want)
		}
	}
}

func TestVersionBothWays(t *testing.T) {
	_, a, _ := runCLI(t, "--version")
	_, b, _ := runCLI(t, "version")
	if a != b || !strings.HasPrefix(a, "akinspect ") {
		t.Errorf("--version %q, version %q", a, b)
	}
}
