package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/model"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

const openLong = `Opens a recording (or a HAR file from browser devtools) in the TUI,
read-only. Without FILE, lists the recent recordings (as ls does) to pick one
from. With --live, steps through the recorded flow against a live server with
each recorded answer pre-filled, so it can be changed before sending; that
live session is recorded like any other.`

func newOpenCommand(stdout, stderr io.Writer) *cobra.Command {
	return subcommand(&cobra.Command{
		Use:               "open [FILE] [flags]",
		Short:             "browse a recording or a HAR file",
		Long:              openLong,
		Example:           "  akinspect open login.akinspect.jsonl\n  akinspect open FILE --live [--url BASE] [flags]",
		ValidArgsFunction: recordingArgs(1, cobra.ShellCompDirectiveNoFileComp),
	}, &openCommand{}, stdout, stderr)
}

// openCommand is `akinspect open`'s flags.
type openCommand struct {
	live   bool
	target targetFlags
	record recordFlags
	tui    tuiFlags
}

func (o *openCommand) register(fs *pflag.FlagSet) {
	fs.BoolVar(&o.live, "live", false, "step through the recording against a live server")
	o.target.register(fs)
	o.record.register(fs)
	o.tui.register(fs)
}

func (o *openCommand) run(pos []string, stdout, stderr io.Writer) error {
	if len(pos) == 0 {
		var picked string
		var err error
		if isTerminal(os.Stdin) && isTerminal(stdout) {
			picked, err = pickRecordingTUI()
		} else {
			picked, err = pickRecording(os.Stdin, stderr)
		}
		if err != nil || picked == "" {
			return err // or left the picker without opening one
		}
		pos = []string{picked}
	}
	if len(pos) != 1 {
		return exitf(exitUsage, "open takes one recording file")
	}
	if o.tui.totpSecret != "" && !o.live {
		return exitf(exitUsage, "--totp-secret needs --live: a recording alone sends nothing")
	}
	rec, err := history.Open(pos[0])
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	opts := model.OfflineOptions{Recording: rec, Options: model.Options{Theme: views.NewTheme(), KeyOverrides: config.keyOverrides()}}
	withClipboard(&opts.Options)
	if !o.live {
		return runProgram(model.NewOffline(opts))
	}
	cfg, err := liveConfig(rec, &o.target)
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	sess, err := openSession(cfg, &o.target, &o.record, stderr)
	if err != nil {
		return err
	}
	defer sess.close()
	opts.Options = sess.modelOptions()
	if err := o.tui.apply(&opts.Options); err != nil {
		return err
	}
	return runProgram(model.NewOffline(opts))
}

// liveConfig targets the recorded flow on the recorded host, or on --url.
// Recorded answers go to another host only when --url says so.
func liveConfig(rec *history.Recording, target *targetFlags) (transport.Config, error) {
	base := rec.Header.BaseURL
	if target.url != "" {
		base = target.url
	}
	if base == "" {
		return transport.Config{}, errors.New("the recording names no server: pass --url BASE")
	}
	t := *target
	t.url = base
	if t.flow == "" {
		t.flow = rec.Header.Flow
	}
	cfg, err := t.config("")
	if err != nil {
		return transport.Config{}, err
	}
	cfg.Query = rec.Header.Query
	return cfg, nil
}

// pickRecording lists the newest recordings and reads the number of the one
// to open (enter: the newest). Without a terminal to ask, it says what to
// pass instead.
func pickRecording(in io.Reader, out io.Writer) (string, error) {
	dir, found, err := recentToPick()
	if err != nil {
		return "", err
	}
	if f, ok := in.(*os.File); ok && !isTerminal(f) {
		return "", exitf(exitUsage, "open takes a recording file (akinspect ls lists them)")
	}
	found = found[:min(len(found), 15)]
	fmt.Fprintf(out, "Recent recordings in %s:\n", termsafe.Line(dir))
	for i, f := range found {
		l := describeRecording(f.path, f.modified)
		fmt.Fprintf(out, "%3d  %s  %-24s %5d  %-14s %s\n", i+1, l.modified.Local().Format("2006-01-02 15:04"),
			termsafe.Line(strings.Join(l.flows, ", ")), l.exchanges, termsafe.Line(l.result), termsafe.Line(filepath.Base(l.path)))
	}
	fmt.Fprint(out, "Open which (1, enter for the newest)? ")
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return "", exitf(exitUsage, "nothing picked")
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return found[0].path, nil
	}
	n, err := strconv.Atoi(line)
	if err != nil || n < 1 || n > len(found) {
		return "", exitf(exitUsage, "%q is not one of 1 to %d", line, len(found))
	}
	return found[n-1].path, nil
}

// recentToPick is the recordings directory and what it holds, newest
// first; none is an error that says so.
func recentToPick() (string, []listed, error) {
	dir, err := recordingsDir()
	if err != nil {
		return "", nil, exitf(exitUsage, "%v", err)
	}
	found, err := recentRecordings(dir)
	if err != nil {
		return "", nil, exitf(exitUsage, "%v", err)
	}
	if len(found) == 0 {
		return "", nil, exitf(exitUsage, "no recordings in %s: open takes a recording or HAR file", termsafe.Line(dir))
	}
	return dir, found, nil
}

// pickerLimit is how many recordings the full-screen picker describes:
// each is read to say its flows and result.
const pickerLimit = 50

// pickRecordingTUI shows the newest recordings full screen to pick one
// from; "" when it was left without picking.
func pickRecordingTUI() (string, error) {
	dir, found, err := recentToPick()
	if err != nil {
		return "", err
	}
	rows := recordingRows(found[:min(len(found), pickerLimit)])
	picker := model.NewRecordingPicker(views.NewTheme(), dir, rows)
	p := tea.NewProgram(picker, tea.WithAltScreen(), tea.WithMouseCellMotion())
	if _, err := p.Run(); err != nil {
		return "", exitf(exitTransport, "%v", err)
	}
	picked, _ := picker.Picked()
	return picked, nil
}

// recordingRows describes the files as the picker lists them, in local time.
func recordingRows(found []listed) []views.RecordingRow {
	rows := make([]views.RecordingRow, len(found))
	for i, f := range found {
		l := describeRecording(f.path, f.modified)
		rows[i] = views.RecordingRow{Path: l.path, Modified: l.modified.Local(), Server: l.server,
			Flows: l.flows, Exchanges: l.exchanges, Result: l.result}
	}
	return rows
}
