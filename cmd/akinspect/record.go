package main

import (
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

// recordFlags choose where a session is recorded. Every session is
// recorded unless --no-record is given.
type recordFlags struct {
	path     string
	off      bool
	noRedact bool
}

func (r *recordFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&r.path, "record", "", "recording `file` (default: a new file in "+defaultDirHint()+")")
	_ = cobra.MarkFlagFilename(fs, "record", "jsonl")
	fs.BoolVar(&r.off, "no-record", false, "do not record this session")
	fs.BoolVar(&r.noRedact, "no-redact", false, "keep passwords, codes, tokens and cookie values in the recording")
}

func defaultDirHint() string {
	if dir, err := recordingsDir(); err == nil {
		return dir
	}
	return "$XDG_STATE_HOME/akinspect/recordings"
}

// recording is a session being written to disk.
type recording struct {
	writer *history.Writer
	stop   func()
}

// start opens the recording and hooks it to the client's recorder. A file
// named with --record that cannot be created is an error (the person asked
// for it); the default file failing is reported and the session goes on
// without it, since losing the live session would be worse.
func (r *recordFlags) start(client *transport.Client, stderr io.Writer) (*recording, error) {
	if r.off {
		return nil, nil
	}
	cfg := client.Config()
	now := time.Now()
	path := r.path
	if path == "" {
		var err error
		if path, err = recordingPath(now, sessionName(cfg)); err != nil {
			fmt.Fprintln(stderr, "akinspect: not recording:", termsafe.Line(err.Error()))
			return nil, nil
		}
	}
	w, err := history.Create(path, history.Header{
		Recording: history.FormatVersion,
		Version:   version,
		BaseURL:   cfg.BaseURL,
		Flow:      cfg.Flow,
		Query:     cfg.Query,
		Started:   now,
		Redacted:  !r.noRedact,
	}, history.WriterOptions{NoRedact: r.noRedact})
	if err != nil {
		if r.path != "" {
			return nil, exitf(exitUsage, "--record: %v", err)
		}
		fmt.Fprintln(stderr, "akinspect: not recording:", termsafe.Line(err.Error()))
		return nil, nil
	}
	fmt.Fprintln(stderr, "recording to", termsafe.Line(w.Path()))
	return &recording{writer: w, stop: w.Observe(client.Recorder())}, nil
}

// sessionName names a recording after its session: the server and the
// flow it started with (a session may run other flows later).
func sessionName(cfg transport.Config) string {
	host := cfg.BaseURL
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	return host + "--" + cfg.Flow
}

// Path is where the recording goes, "" when not recording.
func (rec *recording) Path() string {
	if rec == nil {
		return ""
	}
	return rec.writer.Path()
}

// Err is why writing the recording failed; nil while it is fine or when
// not recording.
func (rec *recording) Err() error {
	if rec == nil {
		return nil
	}
	return rec.writer.Err()
}

// close stops the recording, writes what is still queued, and says where
// the recording is or why it is incomplete; the error is the writer's
// failure (a *history.WriteFailure), for the exit status.
func (rec *recording) close(stderr io.Writer) error {
	if rec == nil {
		return nil
	}
	rec.stop()
	if err := rec.writer.Close(); err != nil {
		fmt.Fprintf(stderr, "akinspect: recording incomplete (%s): %s\n", rec.writer.Path(), termsafe.Line(err.Error()))
		return err
	}
	fmt.Fprintln(stderr, "recorded to", rec.writer.Path())
	return nil
}
