package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/termsafe"
)

const lsLong = `Lists the recordings in DIR (default: the recordings directory), newest
first: when, the server and flows, how many exchanges, how the last flow
ended, and the file to give to open, replay, export or diff.`

func newLsCommand(stdout, stderr io.Writer) *cobra.Command {
	return subcommand(&cobra.Command{
		Use:               "ls [DIR] [flags]",
		Short:             "list recent recordings, newest first",
		Long:              lsLong,
		ValidArgsFunction: dirArg,
	}, &lsCommand{}, stdout, stderr)
}

// lsCommand is `akinspect ls`'s flags.
type lsCommand struct{ all bool }

func (o *lsCommand) register(fs *pflag.FlagSet) {
	fs.BoolVar(&o.all, "all", false, "list every recording, not only the newest 30")
}

// listed is one recording as ls shows it.
type listed struct {
	path      string
	modified  time.Time
	server    string
	flows     []string
	exchanges int
	result    string
}

func (o *lsCommand) run(pos []string, stdout, stderr io.Writer) error {
	var err error
	dir := first(pos)
	if dir == "" {
		if dir, err = recordingsDir(); err != nil {
			return exitf(exitUsage, "%v", err)
		}
	}
	found, err := recentRecordings(dir)
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	if len(found) == 0 {
		fmt.Fprintf(stderr, "no recordings in %s\n", termsafe.Line(dir))
		return nil
	}
	if !o.all && len(found) > 30 {
		fmt.Fprintf(stderr, "the newest 30 of %d recordings (--all for every one)\n", len(found))
		found = found[:30]
	}
	rows := make([]listed, 0, len(found))
	for _, f := range found {
		rows = append(rows, describeRecording(f.path, f.modified))
	}
	return printListing(stdout, rows)
}

// printListing writes ls's table. Everything in a row but the count and
// the time comes from the file (its name too: a file someone sent), so it
// is printed made safe, and a tab in it cannot start another column.
func printListing(w io.Writer, rows []listed) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tSERVER\tFLOWS\tEXCH\tRESULT\tFILE")
	for _, l := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", l.modified.Local().Format("2006-01-02 15:04"),
			termsafe.Line(l.server), termsafe.Line(strings.Join(l.flows, ", ")), l.exchanges,
			termsafe.Line(l.result), termsafe.Line(l.path))
	}
	return tw.Flush()
}

// recentRecordings lists the recordings and HAR files in dir, newest first.
func recentRecordings(dir string) ([]listed, error) {
	files, err := history.RecentFiles(dir)
	out := make([]listed, 0, len(files))
	for _, f := range files {
		out = append(out, listed{path: f.Path, modified: f.Modified})
	}
	return out, err
}

// describeRecording reads what ls shows of one file; a file that does not
// open says why in the result column.
func describeRecording(path string, modified time.Time) listed {
	d := history.Describe(history.File{Path: path, Modified: modified})
	return listed{path: d.Path, modified: d.Modified, server: d.Server, flows: d.Flows, exchanges: d.Exchanges, result: d.Result}
}
