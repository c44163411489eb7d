package main

import (
	"errors"
	"io"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/model"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

const openUsage = `Usage: akinspect open FILE [flags]
       akinspect open FILE --live [--url BASE] [flags]

Opens a recording (or a HAR file from browser devtools) in the TUI,
read-only. With --live, steps through the recorded flow against a live
server with each recorded answer pre-filled, so it can be changed before
sending; that live session is recorded like any other.

Flags:
`

func cmdOpen(args []string, stderr io.Writer) error {
	fs := newCommand("open", openUsage, stderr)
	live := fs.Bool("live", false, "step through the recording against a live server")
	var target targetFlags
	target.register(fs)
	var record recordFlags
	record.register(fs)
	var tui tuiFlags
	tui.register(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return exitf(exitUsage, "open takes one recording file")
	}
	if tui.totpSecret != "" && !*live {
		return exitf(exitUsage, "--totp-secret needs --live: a recording alone sends nothing")
	}
	rec, err := history.Open(pos[0])
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	opts := model.OfflineOptions{Recording: rec, Options: model.Options{Theme: views.NewTheme()}}
	withClipboard(&opts.Options)
	if !*live {
		return runProgram(model.NewOffline(opts))
	}
	cfg, err := liveConfig(rec, &target)
	if err != nil {
		return exitf(exitUsage, "%v", err)
	}
	sess, err := openSession(cfg, &target, &record, stderr)
	if err != nil {
		return err
	}
	defer sess.close()
	opts.Options = sess.modelOptions()
	if err := tui.apply(&opts.Options); err != nil {
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
