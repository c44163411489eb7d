package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/curl"
	"github.com/akinspect/akinspect/history/har"
	"github.com/akinspect/akinspect/internal/termsafe"
)

const exportLong = `Writes a recording (or HAR file) as HAR 1.2, which browser devtools import,
or prints a curl command that repeats exchange #N with the cookies of that
moment. Secrets stay redacted unless --no-redact (and the recording kept them).`

func newExportCommand(stdout, stderr io.Writer) *cobra.Command {
	return subcommand(&cobra.Command{
		Use:               "export FILE (--har OUT | --curl N) [flags]",
		Short:             "write HAR 1.2 (or --curl N for one exchange)",
		Long:              exportLong,
		Example:           "  akinspect export login.akinspect.jsonl --har login.har\n  akinspect export login.akinspect.jsonl --curl 4",
		ValidArgsFunction: recordingArgs(1, cobra.ShellCompDirectiveNoFileComp),
	}, &exportCommand{}, stdout, stderr)
}

// exportCommand is `akinspect export`'s flags.
type exportCommand struct {
	harOut   string
	curl     int
	noRedact bool
	flowOnly bool
}

func (o *exportCommand) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.harOut, "har", "", "write HAR 1.2 to this `file` (- for standard output)")
	_ = cobra.MarkFlagFilename(fs, "har", "har")
	fs.IntVar(&o.curl, "curl", 0, "print a curl command for exchange #`N`")
	fs.BoolVar(&o.noRedact, "no-redact", false, "keep secret values in the HAR")
	fs.BoolVar(&o.flowOnly, "flow-only", false, "leave out requests that are not part of a flow (from browser HARs)")
}

func (o *exportCommand) run(pos []string, stdout, stderr io.Writer) error {
	if len(pos) != 1 || (o.harOut == "") == (o.curl == 0) {
		return exitf(exitUsage, "export takes one recording and either --har OUT or --curl N (see akinspect export --help)")
	}
	rec, err := history.Open(pos[0])
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	for _, w := range rec.Warnings {
		fmt.Fprintln(stderr, "warning:", termsafe.Line(w))
	}
	if o.curl != 0 {
		return printCurl(rec, o.curl, stdout)
	}
	h := rec.Header
	opts := har.Options{NoRedact: o.noRedact, Header: &h, SkipHidden: o.flowOnly}
	if o.harOut == "-" {
		if err := har.Export(stdout, rec, opts); err != nil {
			return exitf(exitUsage, "%v", err)
		}
		return nil
	}
	err = writeFile(o.harOut, func(w io.Writer) error { return har.Export(w, rec, opts) })
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	fmt.Fprintln(stderr, "wrote", o.harOut)
	return nil
}

// writeFile writes a file that may hold session data: mode 0600, and a
// failed write or close (a full disk) is an error, not a silent cut.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// printCurl finds exchange #id (IDs as the timeline shows them).
func printCurl(rec *history.Recording, id int, stdout io.Writer) error {
	for i := 0; i < rec.Len(); i++ {
		if rec.Summary(i).ID != id {
			continue
		}
		x, err := rec.Exchange(i)
		if err != nil {
			return exitf(exitUsage, "%v", err)
		}
		jar, err := rec.JarBefore(i)
		if err != nil {
			return exitf(exitUsage, "%v", err)
		}
		// curl.Command quotes what a terminal would act on ($'\x1b'); String
		// stands guard in case a part ever escapes that.
		fmt.Fprintln(stdout, termsafe.String(curl.Command(x, jar)))
		return nil
	}
	return exitf(exitUsage, "no exchange #%d in %s (it has %d)", id, rec.Path, rec.Len())
}
