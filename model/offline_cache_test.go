package model

import (
	"testing"

	"github.com/akinspect/akinspect/transport"
)

const identification = "ak-stage-identification"

// A full cache is emptied when more exchanges arrive, but never of what
// the selection needs: a late read for an earlier selection must not take
// the stage challenge away from the one shown now, which would leave the
// form on the previous stage.
func TestOfflineCacheEvictionKeepsWhatTheSelectionNeeds(t *testing.T) {
	m := openOffline(t, cannedRecording(t), 120, 40)
	o := offlineOf(m)
	if len(o.stages) < 2 {
		t.Fatalf("the recording has %d stages, want 2 or more", len(o.stages))
	}
	first, second := o.stages[0], o.stages[1]
	answer := o.answerOf(first)
	if answer < 0 {
		t.Fatal("the first stage has no recorded answer")
	}
	settle(m, offlineOf(m).selectRecorded(second, true))
	if m.answer.Component == identification {
		t.Fatal("the second stage should show in the form")
	}
	// The answer to the first stage is to be read again; its stage
	// challenge is still cached, and the cache is full.
	delete(o.cache, answer)
	for j := 0; len(o.cache) < cacheLimit; j++ {
		o.cache[10000+j] = &transport.Exchange{}
	}
	read := offlineOf(m).selectRecorded(answer, true)
	if read == nil {
		t.Fatal("the answer should be read from the file")
	}
	m.update(offlineLoadedMsg{want: second, xs: map[int]*transport.Exchange{20000: {}}}) // stale
	settle(m, read)
	if m.answer.Component != identification {
		t.Fatalf("form shows %q, want the identification stage the answer belongs to", m.answer.Component)
	}
	if len(o.cache) > cacheLimit {
		t.Fatalf("cache holds %d exchanges, limit %d", len(o.cache), cacheLimit)
	}
}
