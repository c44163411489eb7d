package model

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/transport"
)

// offlineInit shows the first stage of a recording, or starts the live
// replay.
func (m *Model) offlineInit() tea.Cmd {
	if m.offline.replay != nil {
		return tea.Batch(m.feed.listen(), m.startRun(0))
	}
	if len(m.offline.stages) > 0 {
		m.timeline.Select(m.offline.stages[0] + 1)
	}
	return m.timeTravel(m.timeline.SelectedID())
}

// offlineKey handles the keys that only mean something with a recording
// open; ok is false for every other key.
func (m *Model) offlineKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k, o := m.keys, m.offline
	switch {
	case key.Matches(msg, k.NextStage):
		return m.stepStage(1), true
	case key.Matches(msg, k.PrevStage):
		return m.stepStage(-1), true
	case key.Matches(msg, k.Hidden):
		return m.toggleHidden(), true
	case key.Matches(msg, k.Search):
		return m.openSearch(), true
	case len(o.search.hits) > 0 && key.Matches(msg, k.NextHit):
		return m.gotoHit(o.search.hit + 1), true
	case len(o.search.hits) > 0 && key.Matches(msg, k.PrevHit):
		return m.gotoHit(o.search.hit - 1), true
	case len(o.search.hits) > 0 && key.Matches(msg, k.Cancel):
		m.clearSearch()
		return nil, true
	case m.client == nil && key.Matches(msg, k.Cancel):
		m.setStatus("", false) // nothing to leave: there is no live view
		return nil, true
	case m.client == nil && key.Matches(msg, k.Submit):
		m.setStatus("a recording is read-only: `akinspect open FILE --live` replays it against a server", true)
		return nil, true
	}
	return nil, false
}

// offlineShortHelp is the one-line help while looking at the recording.
func (m *Model) offlineShortHelp() []key.Binding {
	k, o := m.keys, m.offline
	if len(o.search.hits) > 0 {
		return []key.Binding{k.NextHit, k.PrevHit, k.NextStage, k.PrevStage, k.Cancel, k.Help, k.Quit}
	}
	out := []key.Binding{k.NextStage, k.PrevStage, k.Search}
	if o.hidden > 0 {
		out = append(out, k.Hidden)
	}
	if o.replay != nil {
		out = append(out, k.Live)
	}
	return append(out, k.Help, k.Quit)
}

// offlineHint fills an empty status line while a recording is open.
func (m *Model) offlineHint() (string, bool) {
	o := m.offline
	switch {
	case o == nil:
		return "", false
	case o.loading:
		return "reading the recording…", true
	case o.replay != nil && !m.live && !m.busy():
		return "viewing the recording: L returns to the live replay", true
	case o.replay != nil:
		return "", false
	case o.warn != "":
		return "recording: " + o.warn, true
	}
	hint := "recording (read-only): > / < step through the stages · / searches every stored body"
	if o.hidden > 0 && !o.showHidden {
		hint += " · H shows " + plural(o.hidden, "hidden request")
	}
	return hint, true
}

// offlineLast is `L` without a live session: the last recorded exchange.
func (m *Model) offlineLast() tea.Cmd {
	m.timeline.SetLive(false)
	m.live = false
	if n := m.timeline.Len(); n > 0 {
		m.timeline.SetLive(true) // moves the cursor to the newest row
		m.timeline.SetLive(false)
	}
	m.setStatus("nothing is live in a recording: showing its last exchange", false)
	return m.timeTravel(m.timeline.SelectedID())
}

// stepStage moves the timeline to the next (+1) or previous (-1) stage
// challenge: recorded ones, then those of the live replay.
func (m *Model) stepStage(delta int) tea.Cmd {
	ids := m.stageIDs()
	if len(ids) == 0 {
		m.setStatus("no stage challenges here", true)
		return nil
	}
	cur := m.timeline.SelectedID()
	k, found := slices.BinarySearch(ids, cur)
	switch {
	case delta > 0 && found:
		k++
	case delta < 0:
		k--
	}
	if k < 0 || k >= len(ids) {
		if delta > 0 {
			m.setStatus("that was the last stage", false)
		} else {
			m.setStatus("that was the first stage", false)
		}
		return nil
	}
	m.setStatus("", false)
	m.timeline.Select(ids[k])
	return m.timeTravel(ids[k])
}

// stageIDs are the timeline IDs of every stage challenge, ascending.
func (m *Model) stageIDs() []int {
	o := m.offline
	ids := make([]int, 0, len(o.stages)+len(m.exchanges))
	for _, i := range o.stages {
		ids = append(ids, i+1)
	}
	for _, x := range m.exchanges {
		if x.Component != "" && x.Kind != transport.KindInspector {
			ids = append(ids, x.ID)
		}
	}
	return ids
}
