package main

import (
	"fmt"
	"io"
	"os"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/curl"
	"github.com/akinspect/akinspect/history/har"
	"github.com/akinspect/akinspect/internal/termsafe"
)

const exportUsage = `Usage: akinspect export FILE --har OUT [--no-redact]
       akinspect export FILE --curl N

Writes a recording (or HAR file) as HAR 1.2, which browser devtools import,
or prints a curl command that repeats exchange #N with the cookies of that
moment. Secrets stay redacted unless --no-redact (and the recording kept them).

Flags:
`

func cmdExport(args []string, stdout, stderr io.Writer) error {
	fs := newCommand("export", exportUsage, stderr)
	harOut := fs.String("har", "", "write HAR 1.2 to this file (- for standard output)")
	curl := fs.Int("curl", 0, "print a curl command for exchange #N")
	noRedact := fs.Bool("no-redact", false, "keep secret values in the HAR")
	flowOnly := fs.Bool("flow-only", false, "leave out requests that are not part of a flow (from browser HARs)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (*harOut == "") == (*curl == 0) {
		fs.Usage()
		return exitf(exitUsage, "export takes one recording and either --har OUT or --curl N")
	}
	rec, err := history.Open(pos[0])
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	for _, w := range rec.Warnings {
		fmt.Fprintln(stderr, "warning:", termsafe.Line(w))
	}
	if *curl != 0 {
		return printCurl(rec, *curl, stdout)
	}
	h := rec.Header
	opts := har.Options{NoRedact: *noRedact, Header: &h, SkipHidden: *flowOnly}
	if *harOut == "-" {
		if err := har.Export(stdout, rec, opts); err != nil {
			return exitf(exitUsage, "%v", err)
		}
		return nil
	}
	err = writeFile(*harOut, func(w io.Writer) error { return har.Export(w, rec, opts) })
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	fmt.Fprintln(stderr, "wrote", *harOut)
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
