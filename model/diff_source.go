package model

import (
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// diffSource is what d and D need of a source (source.go).
type diffSource interface {
	// exchangeLoader reads timeline row id in full, in a command; ok is
	// false for a row the root holds in memory (the session's).
	exchangeLoader(id int) (load func() (*transport.Exchange, error), ok bool)
	// sessionRecording is what D compares: the session as a recording,
	// built by open in a command (it may read exchanges back from the
	// archive). byIndex: its timeline IDs are exchange indices + 1 (a
	// recording's rows), not the exchanges' IDs.
	sessionRecording() (open func() (*history.Recording, error), byIndex bool)
	// ownFile is the file this session is (its recording, or the file
	// opened), "" for none: D never offers it to compare with itself.
	ownFile() string
}

func (s *liveSource) ownFile() string      { return s.m.opts.RecordingPath }
func (s *recordingSource) ownFile() string { return s.o.rec.Path }

func (s *liveSource) exchangeLoader(int) (func() (*transport.Exchange, error), bool) {
	return nil, false
}

// sessionRecording is the live exchanges as an in-memory recording, those
// no longer held whole read back from the archive.
func (s *liveSource) sessionRecording() (func() (*history.Recording, error), bool) {
	cfg := s.client.Config()
	all := s.m.session.loadAll()
	return func() (*history.Recording, error) {
		xs, err := all()
		if err != nil {
			return nil, err
		}
		return history.FromExchanges(history.Header{BaseURL: cfg.BaseURL, Flow: cfg.Flow}, xs), nil
	}, false
}

func (s *recordingSource) exchangeLoader(id int) (func() (*transport.Exchange, error), bool) {
	return s.o.exchangeLoader(id)
}

func (s *recordingSource) sessionRecording() (func() (*history.Recording, error), bool) {
	rec := s.o.rec
	return func() (*history.Recording, error) { return rec, nil }, true
}

// A live replay compares its live session (liveSource's sessionRecording);
// d reads its recorded rows from the file.
func (s *replaySource) exchangeLoader(id int) (func() (*transport.Exchange, error), bool) {
	return s.o.exchangeLoader(id)
}

// exchangeLoader reads recorded row id: from the cache, else the file.
func (o *offlineState) exchangeLoader(id int) (func() (*transport.Exchange, error), bool) {
	i, ok := o.recordedIndex(id)
	if !ok {
		return nil, false
	}
	if x := o.cache[i]; x != nil {
		return func() (*transport.Exchange, error) { return x, nil }, true
	}
	rec := o.rec
	return func() (*transport.Exchange, error) { return rec.Exchange(i) }, true
}
