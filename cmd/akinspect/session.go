package main

import (
	"io"
	"os"

	"github.com/atotto/clipboard"

	"github.com/akinspect/akinspect/model"
	"github.com/akinspect/akinspect/views"

	"github.com/akinspect/akinspect/transport"
)

// session is a live client with its cookie file and recording, as every
// command that talks to authentik sets them up.
type session struct {
	cfg    transport.Config
	client *transport.Client
	rec    *recording
	spill  *spill // the TUI's archive when not recording (modelOptions)
	stderr io.Writer
	// close saves the cookies and closes the recording; its error says the
	// recording could not be completed.
	close func() error
}

// openSession builds the client for cfg, loads the cookie file and starts
// the recording. close saves the cookies and closes the recording.
func openSession(cfg transport.Config, target *targetFlags, record *recordFlags, stderr io.Writer) (*session, error) {
	client, err := transport.New(cfg)
	if err != nil {
		return nil, exitf(exitUsage, "%v", err)
	}
	if err := target.loadCookies(client); err != nil {
		return nil, exitf(exitUsage, "--cookies: %v", err)
	}
	// What the session keeps, its observers keep (the TUI's window and
	// archive, run's printer, the recording): the recorder need not hold
	// every exchange, or a long session's memory would grow with it.
	client.Recorder().Retain(0)
	rec, err := record.start(client, stderr)
	if err != nil {
		return nil, err
	}
	s := &session{cfg: cfg, client: client, rec: rec, stderr: stderr}
	s.close = func() error {
		err := rec.close(stderr)
		s.spill.remove()
		target.saveCookies(client, stderr)
		return err
	}
	return s, nil
}

// session opens a live session on the flow named by the flags and an
// optional positional flow URL.
func (t *targetFlags) session(positional string, record *recordFlags, stderr io.Writer) (*session, error) {
	cfg, err := t.config(positional)
	if err != nil {
		return nil, exitf(exitUsage, "%v", err)
	}
	return openSession(cfg, t, record, stderr)
}

// modelOptions are the TUI options every live session shares: the client,
// the inspector when a token allows it, and the recording's state.
func (s *session) modelOptions() model.Options {
	o := model.Options{
		Client:        s.client,
		Theme:         views.NewTheme(),
		Inspector:     s.cfg.Token != "" || s.cfg.InspectorToken != "",
		RecordingPath: s.rec.Path(),
		RecordingErr:  s.rec.Err,
		KeyOverrides:  config.keyOverrides(),
	}
	if s.rec != nil {
		o.Archive = s.rec.writer
	} else if s.spill = startSpill(s.client, s.stderr); s.spill != nil {
		o.Archive = s.spill.writer
	}
	withClipboard(&o)
	return o
}

// withClipboard lets y and Y copy: an OSC 52 sequence on the program's
// output (standard output, which Bubble Tea draws on), so it works over
// SSH and in tmux, and the system clipboard where a tool for it exists.
func withClipboard(o *model.Options) {
	o.Clipboard = os.Stdout
	o.ClipboardFallback = clipboard.WriteAll
}
