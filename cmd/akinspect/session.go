package main

import (
	"io"

	"github.com/akinspect/akinspect/transport"
)

// session is a live client with its cookie file and recording, as every
// command that talks to authentik sets them up.
type session struct {
	client *transport.Client
	rec    *recording
	close  func()
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
	rec, err := record.start(client, stderr)
	if err != nil {
		return nil, err
	}
	return &session{client: client, rec: rec, close: func() {
		rec.close(stderr)
		target.saveCookies(client, stderr)
	}}, nil
}
