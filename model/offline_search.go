package model

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/views"
)

// searchState is the search over every stored body of a recording
// (Recording.Search), not only the exchange on screen.
type searchState struct {
	input  textinput.Model
	typing bool
	query  string
	hits   []history.Hit
	hit    int
	apply  bool // the next shown exchange gets the hit's tab and query
	capped bool // the search stopped at its hit limit
}

// searchDoneMsg is the result of a search over the recording.
type searchDoneMsg struct {
	query  string
	hits   []history.Hit
	capped bool  // the search stopped at history.MaxHits
	err    error // a read error; hits found before it are kept
}

// newSearchInput is the prompt of the search over the whole recording.
func newSearchInput() textinput.Model {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "search every stored URL, header and body"
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}

func (o *offlineState) openSearch() tea.Cmd {
	s := &o.search
	s.typing = true
	s.input.SetValue("")
	s.input.Width = max(10, o.m.width-4)
	return s.input.Focus()
}

// prompt is the search prompt while it is open.
func (o *offlineState) prompt() prompt {
	if !o.search.typing {
		return nil
	}
	return searchPrompt{o}
}

// searchPrompt is the prompt of the search over the whole recording, drawn
// in place of the status line.
type searchPrompt struct{ o *offlineState }

func (p searchPrompt) view() string        { return p.o.search.input.View() }
func (p searchPrompt) help() []key.Binding { return searchPromptHelp }

// key: the prompt takes every key; enter searches, esc leaves.
func (p searchPrompt) key(msg tea.KeyMsg) tea.Cmd {
	s := &p.o.search
	switch {
	case key.Matches(msg, keyChoose):
		s.typing = false
		s.input.Blur()
		return p.o.runSearch(strings.TrimSpace(s.input.Value()))
	case msg.Type == tea.KeyEsc:
		s.typing = false
		s.input.Blur()
		return nil
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return cmd
}

// runSearch reads the whole recording in a command.
func (o *offlineState) runSearch(q string) tea.Cmd {
	if q == "" {
		o.clearSearch()
		return nil
	}
	o.search.query = q
	o.m.setStatus(fmt.Sprintf("searching the recording for %q…", q), false)
	rec := o.rec
	return func() tea.Msg {
		res, err := rec.Search(q)
		return searchDoneMsg{query: q, hits: res.Hits, capped: res.Capped, err: err}
	}
}

func (o *offlineState) onSearchDone(msg searchDoneMsg) tea.Cmd {
	m := o.m
	if msg.query != o.search.query {
		return nil // superseded by a newer search
	}
	s := &o.search
	s.capped = msg.capped
	s.hits = s.hits[:0]
	for _, h := range msg.hits {
		if o.showHidden || !o.isHidden[h.Index] {
			s.hits = append(s.hits, h)
		}
	}
	if len(s.hits) == 0 {
		s.hits = nil
		text := fmt.Sprintf("no match for %q in the recording", msg.query)
		if len(msg.hits) > 0 {
			text += " (only in hidden requests: H shows them)"
		}
		if msg.err != nil {
			text += fmt.Sprintf("; the search stopped: %v", msg.err)
		}
		m.setStatus(text, true)
		return nil
	}
	m.setFocus(focusTimeline) // where the hits are selected
	cmd := o.gotoHit(0)
	if msg.err != nil {
		m.setStatus(fmt.Sprintf("%d matches before the search stopped: %v — %s walk them", len(s.hits), msg.err, o.hitKeys()), true)
	}
	return cmd
}

// gotoHit selects hit k (wrapping): the timeline moves to its exchange,
// and once that is shown the details pane opens the tab the hit is in,
// searching for the same text.
func (o *offlineState) gotoHit(k int) tea.Cmd {
	m, s := o.m, &o.search
	n := len(s.hits)
	k = (k%n + n) % n
	s.hit, s.apply = k, true
	h := s.hits[k]
	total := fmt.Sprint(n)
	if s.capped {
		total += "+"
	}
	m.timeline.Select(h.Index + 1)
	cmd := m.timeTravel(h.Index + 1)
	m.setStatus(fmt.Sprintf("match %d/%s in #%d (%s): %s — %s next/previous, esc clears", k+1, total, h.Index+1, h.Field, h.Snippet, o.hitKeys()), false)
	return cmd
}

// hitKeys names the keys that walk the hits, as the help does.
func (o *offlineState) hitKeys() string {
	k := o.m.keys
	return keyName(k.NextHit) + "/" + keyName(k.PrevHit)
}

// applySearchHit points the details pane at the current hit once its
// exchange is shown: the hit's tab, searching for the same text.
func (o *offlineState) applySearchHit() {
	m, s := o.m, &o.search
	if !s.apply || len(s.hits) == 0 {
		return
	}
	h := s.hits[s.hit]
	if h.Index != o.shown {
		return
	}
	s.apply = false
	if tab := tabOfField(h.Field); tab != "" {
		m.details.SetTab(tab)
	}
	// Recording.Search ignores case; the details search does too for a
	// query without capitals.
	m.details.SetQuery(strings.ToLower(s.query))
}

// tabOfField is the details tab that shows a hit's field.
func tabOfField(field string) string {
	switch {
	case field == "request body":
		return views.TabRequest
	case field == "response body", field == "error":
		return views.TabResponse
	case strings.HasPrefix(field, "request header"):
		return views.TabReqHeaders
	case strings.HasPrefix(field, "response header"):
		return views.TabRespHeaders
	}
	return "" // the URL is in the pane's title
}

func (o *offlineState) clearSearch() {
	s := &o.search
	s.hits, s.query, s.hit, s.apply = nil, "", 0, false
	o.m.details.SetQuery("")
	o.m.setStatus("", false)
}
