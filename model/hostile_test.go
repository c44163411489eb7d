package model

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/har"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// A server (live) or a file (open) controls much of what the TUI shows:
// none of it may act on the terminal. Every frame is checked drawn without
// colour, where it must hold no escape at all, and in true colour, where
// only SGR sequences (the theme's) may be there.

// hostileBodies are challenges with h in every string a stage sends.
func hostileBodies(h string) []string {
	info := map[string]any{"title": h, "layout": h, "cancel_url": h, "background": h}
	errs := map[string]any{"non_field_errors": []any{map[string]string{"string": h, "code": h}},
		"x" + h: []any{map[string]string{"string": h, "code": h}}}
	var fields []any
	for i, typ := range []string{"text", "password", "text_area", "dropdown", "radio-button-group", "checkbox",
		"static", "text_read_only", "number", "date", h} {
		key := typ + h
		errs[key] = []any{map[string]string{"string": h, "code": "invalid"}}
		fields = append(fields, map[string]any{"field_key": key, "label": h, "type": typ, "required": i%2 == 0,
			"placeholder": h, "initial_value": h, "order": i, "sub_text": h,
			"choices": []any{h, map[string]string{"value": h, "label": h}}})
	}
	fields = append(fields, map[string]any{"field_key": h, "label": "", "type": "text"}) // the key is the label
	bodies := []map[string]any{
		{"component": flow.ComponentPrompt, "flow_info": info, "fields": fields, "response_errors": errs},
		{"component": flow.ComponentIdentify, "flow_info": info, "user_fields": []string{h}, "primary_action": h,
			"pending_user": h, "enroll_url": h, "recovery_url": h, "response_errors": errs,
			"sources": []any{map[string]any{"name": h, "challenge": map[string]string{"component": h, "to": h}}}},
		{"component": flow.ComponentPassword, "flow_info": info, "pending_user": h, "pending_user_avatar": h, "response_errors": errs},
		{"component": flow.ComponentValidate, "flow_info": info, "pending_user": h,
			"device_challenges": []any{map[string]any{"device_class": h, "device_uid": h, "challenge": map[string]string{h: h}},
				map[string]any{"device_class": "totp", "device_uid": h, "challenge": map[string]string{}}},
			"configuration_stages": []any{map[string]string{"pk": h, "name": h, "verbose_name": h}}},
		{"component": flow.ComponentConsent, "flow_info": info, "pending_user": h, "header_text": h, "token": h,
			"permissions": []any{map[string]string{"id": h, "name": h}}, "additional_permissions": []any{map[string]string{"id": h, "name": h}}},
		{"component": "ak-stage-" + h, "flow_info": info, h: h},
		{"component": flow.ComponentAccessDenied, "flow_info": info, "pending_user": h, "error_message": h},
		{"component": flow.ComponentFlowError, "request_id": h, "error": h, "traceback": h},
		{"component": flow.ComponentFlowError, "request_id": h},
		{"component": flow.ComponentRedirect, "to": h},
	}
	out := make([]string, len(bodies))
	for i, b := range bodies {
		j, err := json.Marshal(b)
		if err != nil {
			panic(err)
		}
		out[i] = string(j)
	}
	return out
}

// hostileExchanges are the exchanges of one step, with h in every field a
// recording or HAR file can set: method, URL, headers, cookies, notes.
func hostileExchanges(id int, h, body, component string) []*transport.Exchange {
	post := fakeExchange(id, "POST", `{"component":"`+strings.ReplaceAll(component, `"`, ``)+`","x":"`+h+`"}`, "<html>"+h+"</html>", 302, "")
	post.URL = "http://127.0.0.1:9/api/v3/flows/executor/" + h + "/?query=" + h
	post.RequestHeader.Set("X-"+h, h)
	post.ResponseHeader = http.Header{h: {h}, "Location": {h}, "Content-Type": {"text/html"}}
	post.Flags = append(post.Flags, h)
	post.Error, post.Diagnosis = h, h+"\n"+h
	post.JarChanges = []transport.CookieChange{{Name: h, Domain: h, Change: transport.ChangeRemoved}}
	get := fakeExchange(id+1, h, "", body, 200, component)
	get.Jar = append(get.Jar, transport.Cookie{Name: h, Value: h, Domain: h, Path: h, SameSite: h})
	get.JarChanges = []transport.CookieChange{{Name: h, Domain: h, Change: transport.ChangeAdded}}
	return []*transport.Exchange{post, get}
}

// allTabs are the details pane's tabs.
var allTabs = []string{views.TabResponse, views.TabRequest, views.TabReqHeaders, views.TabRespHeaders,
	views.TabCookies, views.TabTiming, views.TabInspector}

// checkFrames draws the model's frame with every details tab shown.
func checkFrames(t testing.TB, m *Model, what string, styled bool) {
	t.Helper()
	checkTabs(t, m, what, styled, allTabs)
}

// checkTabs draws the model's frame with each of the tabs shown.
func checkTabs(t testing.TB, m *Model, what string, styled bool, tabs []string) {
	t.Helper()
	for _, tab := range tabs {
		m.details.SetTab(tab)
		if bad := termsafetest.Find(m.View(), styled); bad != "" {
			t.Fatalf("%s, tab %s: %s", what, tab, bad)
		}
	}
	m.details.SetTab(views.TabResponse)
}

// withProfiles runs fn without colour, then in true colour.
func withProfiles(fn func(styled bool)) {
	withProfilesFor(termsafetest.All, fn)
}

// withProfilesFor runs fn without colour, then, for all the hostile
// strings in one (or any string but a single hostile one), in true colour
// too: the frame without colour is the strict check (no escape at all), and
// drawing each single string twice would double the slowest tests under
// -race for nothing the string in one does not reach.
func withProfilesFor(h string, fn func(styled bool)) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	profiles := []termenv.Profile{termenv.Ascii, termenv.TrueColor}
	for _, single := range termsafetest.Hostile {
		if h == single {
			profiles = profiles[:1]
		}
	}
	for _, p := range profiles {
		lipgloss.SetColorProfile(p)
		fn(p != termenv.Ascii)
	}
}

// feedHostile delivers each hostile challenge as a step, a transport
// error and an inspection, checking the frame after each.
func feedHostile(t testing.TB, h string, styled bool, sizes [][2]int) {
	t.Helper()
	for _, size := range sizes {
		m := sized(t, Options{Client: idleClient(t), RecordingPath: "/tmp/" + h + ".akinspect.jsonl", Inspector: true}, size[0], size[1])
		for _, body := range hostileBodies(h) {
			c, err := flow.Decode([]byte(body))
			if err != nil {
				t.Fatalf("decode %s: %v", body, err)
			}
			xs := hostileExchanges(m.session.len()+1, h, body, c.Component)
			m.update(stepDoneMsg{step: &transport.Step{Exchanges: xs, Challenge: c, Diagnosis: h}, seq: liveOf(m).req.seq})
			checkFrames(t, m, "challenge "+c.Component, styled)
			press(t, m, "tab") // the next field (or pane) focused
			if bad := termsafetest.Find(m.View(), styled); bad != "" {
				t.Fatalf("challenge %s, next field: %s", c.Component, bad)
			}
		}
		stage := &flow.StageBinding{StageObj: &flow.StageObj{Name: h, Component: h, VerboseName: h}}
		hs, _ := json.Marshal(h)
		m.update(inspectDoneMsg{seq: liveOf(m).req.seq, in: &flow.Inspection{Plans: []flow.InspectorPlan{{CurrentStage: stage}},
			CurrentPlan: &flow.InspectorPlan{CurrentStage: stage, NextPlannedStage: stage, SessionID: h,
				PlanContext: map[string]json.RawMessage{h: hs}}}})
		checkFrames(t, m, "inspection", styled)
		m.update(inspectDoneMsg{seq: liveOf(m).req.seq, err: errors.New(h)})
		checkFrames(t, m, "inspector error", styled)
		m.update(stepDoneMsg{seq: liveOf(m).req.seq, err: &transport.Error{Kind: transport.ErrHTTP, Message: h, Hint: h},
			step: &transport.Step{Diagnosis: h}})
		checkFrames(t, m, "transport error", styled)
		for range 3 { // time travel over the hostile rows
			press(t, m, "up")
			checkTabs(t, m, "time travel", styled, allTabs[:1])
		}
	}
}

func TestHostileServerTextInLiveFrames(t *testing.T) {
	for _, h := range append(append([]string(nil), termsafetest.Hostile...), termsafetest.All) {
		sizes := [][2]int{{120, 40}}
		if h == termsafetest.All {
			sizes = append(sizes, [2]int{80, 24})
		}
		withProfilesFor(h, func(styled bool) {
			feedHostile(t, h, styled, sizes)
		})
	}
}

// writeHostileRecording records the hostile steps as a session would.
func writeHostileRecording(t testing.TB, h string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hostile"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: "http://127.0.0.1:9", Flow: h, Query: h, Started: fixedNow},
		history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	id := 1
	for _, body := range hostileBodies(h) {
		c, err := flow.Decode([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range hostileExchanges(id, h, body, c.Component) {
			x.Start = fixedNow.Add(time.Duration(id) * time.Millisecond)
			if err := w.Write(x); err != nil {
				t.Fatal(err)
			}
			id++
		}
	}
	if err := w.Note(h); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkOffline opens a file and walks its timeline down, rows rows.
func checkOffline(t *testing.T, path, what string, styled bool, rows int) {
	t.Helper()
	m := openOffline(t, path, 120, 40)
	checkFrames(t, m, what+" opened", styled)
	first := m.timeline.SelectedID()
	for i := range rows { // every tab of every fourth row: the rows repeat
		pressSettled(m, "down")
		tabs := allTabs[:1]
		if i%4 == 0 {
			tabs = allTabs
		}
		checkTabs(t, m, what+" walked", styled, tabs)
	}
	if m.timeline.SelectedID() == first {
		t.Fatalf("%s: the walk did not move off row %d", what, first)
	}
	pressSettled(m, "/") // a search that hits the hostile text: matches are marked on it
	for _, r := range "2J" {
		settle(m, m.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}))
	}
	if bad := termsafetest.Find(m.View(), styled); bad != "" {
		t.Fatalf("%s search: %s", what, bad)
	}
}

func TestHostileTextInOpenedRecordingsAndHAR(t *testing.T) {
	for _, h := range append(append([]string(nil), termsafetest.Hostile...), termsafetest.All) {
		path := writeHostileRecording(t, h)
		rec, err := history.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		harPath := filepath.Join(t.TempDir(), "hostile.har")
		hdr := rec.Header
		if err := writeHAR(harPath, rec, har.Options{NoRedact: true, Header: &hdr}); err != nil {
			t.Fatal(err)
		}
		rows := 8 // the last steps; all of them for all the strings in one
		if h == termsafetest.All {
			rows = 24
		}
		withProfilesFor(h, func(styled bool) {
			checkOffline(t, path, "recording "+h, styled, rows)
			checkOffline(t, harPath, "HAR "+h, styled, rows)
		})
	}
}

// FuzzHostileFrame puts an arbitrary string into every field of one kind
// of challenge (pick chooses which) and of its exchanges, and checks the
// frame with each details tab, then after a transport error, an
// inspection and a step back in time: without colour it must hold no
// escape, in true colour only SGR sequences. One challenge per run keeps
// a run to a few milliseconds.
func FuzzHostileFrame(f *testing.F) {
	n := len(hostileBodies(""))
	for i := range n {
		f.Add(termsafetest.All, uint8(i))
	}
	for i, h := range termsafetest.Hostile {
		f.Add(h, uint8(i))
	}
	f.Add("\x1b[31mred\x1b[0m", uint8(0))             // colours the server did not get to pick
	f.Add("\r\n\t\x00\x7f\xff\u2028\u2066", uint8(5)) // line breaks, NUL, DEL, a bad byte
	f.Add(`"}{[\u001b`, uint8(7))                     // JSON-looking
	f.Fuzz(func(t *testing.T, h string, pick uint8) {
		body := hostileBodies(h)[int(pick)%n]
		withProfiles(func(styled bool) {
			m := sized(t, Options{Client: idleClient(t), RecordingPath: h, Inspector: true}, 100, 30)
			c, err := flow.Decode([]byte(body))
			if err != nil {
				t.Fatalf("decode %s: %v", body, err)
			}
			xs := hostileExchanges(1, h, body, c.Component)
			m.update(stepDoneMsg{step: &transport.Step{Exchanges: xs, Challenge: c, Diagnosis: h}, seq: liveOf(m).req.seq})
			checkFrames(t, m, "challenge "+c.Component, styled)
			hs, _ := json.Marshal(h)
			stage := &flow.StageBinding{StageObj: &flow.StageObj{Name: h, Component: h, VerboseName: h}}
			m.update(inspectDoneMsg{seq: liveOf(m).req.seq, in: &flow.Inspection{CurrentPlan: &flow.InspectorPlan{
				CurrentStage: stage, SessionID: h, PlanContext: map[string]json.RawMessage{h: hs}}}})
			checkTabs(t, m, "inspection", styled, []string{views.TabInspector})
			m.update(stepDoneMsg{seq: liveOf(m).req.seq, err: &transport.Error{Kind: transport.ErrHTTP, Message: h, Hint: h}})
			press(t, m, "up")
			checkTabs(t, m, "transport error, time travel", styled, allTabs[:1])
		})
	})
}

// writeHAR exports a recording to a HAR file.
func writeHAR(path string, rec *history.Recording, opts har.Options) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := har.Export(f, rec, opts); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
