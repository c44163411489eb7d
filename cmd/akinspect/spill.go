package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/transport"
)

// spill is a TUI session's private archive when it is not recorded
// (--no-record): the model keeps only the newest exchanges and reads
// older ones back from here, as it does from a recording. It is written
// like a recording (0600 in a 0700 directory, redacted) and unlinked as
// soon as it is open: the Writer writes and reads through descriptors it
// already has, and no way of ending the process (a closed terminal's
// SIGHUP, kill -9) can leave it behind.
type spill struct {
	writer *history.Writer
	stop   func()
}

// startSpill opens the spill file; when it cannot, the session keeps every
// exchange in memory instead, and says so.
func startSpill(client *transport.Client, stderr io.Writer) *spill {
	dir, err := os.MkdirTemp("", "akinspect-session-*")
	if err == nil {
		cfg := client.Config()
		var w *history.Writer
		w, err = history.Create(filepath.Join(dir, "session"+history.Extension),
			history.Header{Version: version, BaseURL: cfg.BaseURL, Flow: cfg.Flow, Query: cfg.Query},
			history.WriterOptions{NoSync: true}) // a spill need not survive a crash
		os.RemoveAll(dir) // the open descriptors keep the file while the session lasts
		if err == nil {
			return &spill{writer: w, stop: w.Observe(client.Recorder())}
		}
	}
	fmt.Fprintln(stderr, "akinspect: keeping the whole session in memory:", termsafe.Line(err.Error()))
	return nil
}

// remove closes the spill file, which frees its space.
func (s *spill) remove() {
	if s == nil {
		return
	}
	s.stop()
	_ = s.writer.Close()
}
