package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// command is one command's flags, declared when the command tree is built
// (so that shell completion knows every flag), and what it does with them
// once they are parsed.
type command interface {
	register(fs *pflag.FlagSet)
	run(args []string, stdout, stderr io.Writer) error
}

// subcommand wires o into c: c's flags are o's, and running c runs o with
// the positional arguments (flags may stand among them; "--" ends flags).
// Each command checks its own positional arguments, with its own words.
func subcommand(c *cobra.Command, o command, stdout, stderr io.Writer) *cobra.Command {
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(_ *cobra.Command, args []string) error { return o.run(args, stdout, stderr) }
	o.register(c.Flags())
	return c
}

// newRootCommand builds the whole command tree once: `akinspect
// <flow-url>` (the TUI) with every subcommand under it, plus cobra's
// help, completion and hidden __complete commands.
func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	var tui tuiCommand
	root := &cobra.Command{
		Use:               "akinspect <flow-url> [flags]",
		Short:             "a terminal debugger for authentik flows",
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: noFiles,
		SilenceErrors:     true, // exitCode prints them, made safe
		SilenceUsage:      true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError)
	showVersion := root.Flags().Bool("version", false, "print the version")
	tui.register(root.Flags())
	root.RunE = func(c *cobra.Command, args []string) error {
		if *showVersion {
			return printVersion(stdout)
		}
		if err := checkFlowArg(c, args); err != nil {
			return err
		}
		return tui.run(args, stdout, stderr)
	}
	root.AddCommand(
		newDemoCommand(stdout, stderr),
		newRunCommand(stdout, stderr),
		newOpenCommand(stdout, stderr),
		newReplayCommand(stdout, stderr),
		newLoadCommand(stdout, stderr),
		newExportCommand(stdout, stderr),
		newDiffCommand(stdout, stderr),
		newLsCommand(stdout, stderr),
		newSimCommand(stdout, stderr),
		&cobra.Command{Use: "version", Short: "print the version", Args: cobra.ArbitraryArgs, ValidArgsFunction: noFiles,
			RunE: func(*cobra.Command, []string) error { return printVersion(stdout) }},
	)
	completeFlagValues(root)
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return exitf(exitUsage, "completion takes a shell: bash, zsh, fish or powershell")
			}
			return exitf(exitUsage, "completion: no shell %q: use bash, zsh, fish or powershell", args[0])
		}
	}
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c != root {
			defaultHelp(c, args)
			return
		}
		fmt.Fprint(c.OutOrStdout(), usage, "\nFlags of akinspect <flow-url>:\n", c.LocalFlags().FlagUsages())
	})
	return root
}

func printVersion(stdout io.Writer) error {
	fmt.Fprintln(stdout, "akinspect", versionString())
	return nil
}

// checkFlowArg: `akinspect X` with an X that is no command and no URL is
// a typo of a command, said so (with cobra's suggestion when it has one).
func checkFlowArg(root *cobra.Command, args []string) error {
	if len(args) > 1 {
		return exitf(exitUsage, "unknown command %q (see akinspect --help)", args[0])
	}
	p := first(args)
	if p == "" || strings.Contains(p, "/") {
		return nil
	}
	root.SuggestionsMinimumDistance = 2
	if s := root.SuggestionsFor(p); len(s) > 0 {
		return exitf(exitUsage, "unknown command %q: did you mean %s? (or give a flow URL)", p, strings.Join(s, " or "))
	}
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return exitf(exitUsage, "unknown command %q: use %s, or give a flow URL", p, strings.Join(names, ", "))
}

// flagError makes a flag error a usage error (exit 2) on one line. A
// single-dash long flag (-url, as Go's flag package took it) is told how
// to write it now.
func flagError(c *cobra.Command, err error) error {
	msg := err.Error()
	if _, after, ok := strings.Cut(msg, " in -"); ok && strings.HasPrefix(msg, "unknown shorthand") {
		name, _, _ := strings.Cut(after, "=")
		if c.Flags().Lookup(name) != nil {
			msg = fmt.Sprintf("-%s: long flags take two dashes: --%s", name, name)
		}
	}
	return exitf(exitUsage, "%s (see %s --help)", msg, c.CommandPath())
}

// Completion of positional arguments.

func noFiles(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// recordingArgs completes the first n positional arguments with
// recordings and HAR files; after them, rest says what comes.
func recordingArgs(n int, rest cobra.ShellCompDirective) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) < n {
			return []cobra.Completion{"jsonl", "har"}, cobra.ShellCompDirectiveFilterFileExt
		}
		return nil, rest
	}
}

// dirArg completes one directory.
func dirArg(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return nil, cobra.ShellCompDirectiveFilterDirs
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// completeFlagValues completes the values of flags that have few: --report
// kinds, and --url and --flow from the environment and config file.
func completeFlagValues(root *cobra.Command) {
	fixed := func(values ...string) cobra.CompletionFunc {
		return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var out []cobra.Completion
			for _, v := range values {
				if v != "" {
					out = append(out, v)
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		}
	}
	values := map[string]cobra.CompletionFunc{
		"report": fixed("junit", "json"),
		"url":    fixed(firstSet(os.Getenv("AUTHENTIK_URL"), config.URL)),
		"flow":   fixed(config.Flow),
	}
	for _, c := range append(root.Commands(), root) {
		for name, fn := range values {
			if c.Flags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, fn) // registered once per command
			}
		}
	}
}
