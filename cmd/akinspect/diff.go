package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/replay"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

const diffLong = `Compares two recordings or HAR files flow run by flow run and stage by
stage (aligned by component, so a missing or extra stage shows as such; a
stage shown again after a rejected answer is its own step, "password
(retry)"): challenge fields and errors, the answers sent and the server's
reply to them (status, flags, response_errors), session flags and cookies.
Each step's time is shown for both sides but not compared.
Volatile values (tokens, request ids, avatars, codes) are ignored as replay
ignores them. --ignore and --compare take any path the report prints
(challenge.pending_user, answer.uid_field, reply.status, flags,
jar.authentik_session); a path without challenge., answer. or reply.
(flow_info.title, token) reaches into all three. --compare time reports a
step that took at least twice as long and 100 ms longer on one side.
A#N and B#N compare two single exchanges (what was sent too).

Exit status, as diff(1): 0 the same, 1 different, 2 trouble.`

func newDiffCommand(stdout, stderr io.Writer) *cobra.Command {
	return subcommand(&cobra.Command{
		Use:               "diff A B [flags]",
		Short:             "compare two recordings or HARs stage by stage",
		Long:              diffLong,
		Example:           "  akinspect diff bob-login.akinspect.jsonl alice-login.akinspect.jsonl\n  akinspect diff bob.akinspect.jsonl#4 alice.akinspect.jsonl#4 --json",
		ValidArgsFunction: recordingArgs(2, cobra.ShellCompDirectiveNoFileComp),
	}, &diffCommand{}, stdout, stderr)
}

// diffCommand is `akinspect diff`'s flags.
type diffCommand struct {
	asJSON  bool
	ignore  repeated
	compare repeated
}

func (o *diffCommand) register(fs *pflag.FlagSet) {
	fs.BoolVar(&o.asJSON, "json", false, "write the comparison as JSON")
	fs.Var(&o.ignore, "ignore", "also ignore this `path` as the report prints it (repeatable), e.g. answer.uid_field")
	fs.Var(&o.compare, "compare", "compare this `path` although it is ignored by default (repeatable), e.g. challenge.token")
}

func (o *diffCommand) run(pos []string, stdout, stderr io.Writer) error {
	if len(pos) != 2 {
		return exitf(exitUsage, "diff takes two files (see akinspect diff --help)")
	}
	opts := replay.DiffOptions{Ignore: o.ignore, Compare: o.compare}
	a, idA, err := openForDiff(pos[0], stderr)
	if err != nil {
		return err
	}
	b, idB, err := openForDiff(pos[1], stderr)
	if err != nil {
		return err
	}
	if (idA == 0) != (idB == 0) {
		return exitf(exitUsage, "give #N on both files to compare two exchanges, or on neither")
	}
	if idA != 0 {
		return diffExchanges(a, idA, b, idB, opts, o.asJSON, stdout)
	}
	d, err := replay.DiffRecordings(a, b, opts)
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	if o.asJSON {
		if err := writeJSONTo(stdout, d); err != nil {
			return err
		}
	} else {
		fmt.Fprint(stdout, colourDiff(d.Text(), stdout))
	}
	if d.Differences() > 0 {
		return &exitError{code: exitFlowEnded, err: fmt.Errorf("")}
	}
	return nil
}

// openForDiff opens FILE or FILE#N (exchange id N).
func openForDiff(arg string, stderr io.Writer) (*history.Recording, int, error) {
	path, id := arg, 0
	if i := strings.LastIndexByte(arg, '#'); i > 0 {
		if n, err := strconv.Atoi(arg[i+1:]); err == nil && n > 0 {
			path, id = arg[:i], n
		}
	}
	rec, err := history.Open(path)
	if err != nil {
		return nil, 0, exitf(exitUsage, "%v", err)
	}
	for _, w := range rec.Warnings {
		fmt.Fprintln(stderr, "warning:", termsafe.Line(w))
	}
	return rec, id, nil
}

func diffExchanges(a *history.Recording, idA int, b *history.Recording, idB int, opts replay.DiffOptions, asJSON bool, stdout io.Writer) error {
	ea, err := exchangeByID(a, idA)
	if err != nil {
		return err
	}
	eb, err := exchangeByID(b, idB)
	if err != nil {
		return err
	}
	diffs := replay.DiffExchanges(ea, eb, opts)
	if asJSON {
		if err := writeJSONTo(stdout, diffs); err != nil {
			return err
		}
	} else {
		text := replay.ExchangesText(fmt.Sprintf("%s#%d", a.Path, idA), fmt.Sprintf("%s#%d", b.Path, idB), diffs)
		fmt.Fprint(stdout, colourDiff(text, stdout))
	}
	if len(diffs) > 0 {
		return &exitError{code: exitFlowEnded, err: fmt.Errorf("")}
	}
	return nil
}

func exchangeByID(rec *history.Recording, id int) (*transport.Exchange, error) {
	for i := 0; i < rec.Len(); i++ {
		if rec.Summary(i).ID == id {
			e, err := rec.Exchange(i)
			if err != nil {
				return nil, exitf(exitUsage, "%s#%d: %v", rec.Path, id, err)
			}
			return e, nil
		}
	}
	return nil, exitf(exitUsage, "%s has no exchange #%d", rec.Path, id)
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return exitf(exitUsage, "writing JSON: %v", err)
	}
	return nil
}

// colourDiff colours a unified report by its line marks when w is a
// terminal that takes colour (NO_COLOR respected).
func colourDiff(text string, w io.Writer) string {
	r := lipgloss.NewRenderer(w)
	styles := map[string]lipgloss.Style{
		"- ":  r.NewStyle().Foreground(lipgloss.Color("1")),
		"+ ":  r.NewStyle().Foreground(lipgloss.Color("2")),
		"~ ":  r.NewStyle().Foreground(lipgloss.Color("3")),
		"---": r.NewStyle().Bold(true),
		"+++": r.NewStyle().Bold(true),
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, l := range lines {
		for prefix, st := range styles {
			if strings.HasPrefix(l, prefix) { // "- " and "---" cannot both match
				lines[i] = st.Render(l)
				break
			}
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
