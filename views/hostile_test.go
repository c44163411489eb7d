package views

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
)

// Outside text (a server's challenge, a recording, a HAR file) reaches
// every pane; none of it may act on the terminal. Each case draws with
// no colour, where the frame must hold no escape at all, and with true
// colour, where only the theme's own SGR sequences may be there.

// drawBoth draws with both colour profiles and fails on anything in the
// frame that a terminal would act on.
func drawBoth(t *testing.T, what string, draw func(th *Theme) string) {
	t.Helper()
	defer lipgloss.SetColorProfile(termenv.Ascii)
	for _, p := range []termenv.Profile{termenv.Ascii, termenv.TrueColor} {
		lipgloss.SetColorProfile(p)
		out := draw(NewTheme())
		if bad := termsafetest.Find(out, p != termenv.Ascii); bad != "" {
			t.Errorf("%s (profile %v): %s", what, p, bad)
		}
	}
}

// hostileCases are the hostile strings one by one, then all of them in one.
func hostileCases() []string {
	return append(append([]string(nil), termsafetest.Hostile...), termsafetest.All)
}

// hostileForm is a form with h in every piece of text a stage can set.
func hostileForm(h string) flow.Form {
	var fields []flow.Field
	for _, k := range []flow.Kind{flow.KindText, flow.KindSecret, flow.KindCode, flow.KindNumber, flow.KindTextArea,
		flow.KindJSON, flow.KindBool, flow.KindChoice, flow.KindReadOnly} {
		fields = append(fields, flow.Field{
			Key: fmt.Sprintf("k%s%d", h, k), Label: h, Kind: k, Required: true, Help: h, Placeholder: h, Initial: h,
			Choices: []flow.Choice{{Value: h, Label: h}, {Value: h}},
		})
	}
	fields = append(fields, flow.Field{Key: h, Kind: flow.KindText}) // the key stands in for a label
	fields = append(fields, flow.Field{Key: "opt", Label: "optional", Kind: flow.KindChoice, Choices: []flow.Choice{{Value: h}}})
	return flow.Form{
		Component: "ak-stage-" + h, Title: h,
		Context: []flow.ContextLine{{Label: h, Value: h}, {Label: strings.Repeat(h, 12), Value: h}},
		Fields:  fields, Hint: h, Unknown: true,
	}
}

// hostileChallenge carries h in response_errors, for a field, for a key
// the form has no field for, and for no field.
func hostileChallenge(t *testing.T, h string, form flow.Form) *flow.Challenge {
	t.Helper()
	errs := map[string][]map[string]string{
		"non_field_errors": {{"string": h, "code": h}},
		"x" + h:            {{"string": h, "code": "invalid"}},
	}
	for _, f := range form.Fields {
		errs[f.Key] = []map[string]string{{"string": h, "code": "invalid"}}
	}
	body, err := json.Marshal(map[string]any{"component": form.Component, "response_errors": errs})
	if err != nil {
		t.Fatal(err)
	}
	c, err := flow.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func drawForm(th *Theme, s FormState, focusAll bool) string {
	f := NewForm(th)
	f.SetSize(60, 200)
	f.SetState(s)
	f.Focus()
	var b strings.Builder
	b.WriteString(PaneFrame(th, f.Title(), true, f.View(), 62, 202))
	for focusAll && f.Next() { // every field focused once: cursor, reveal hint
		b.WriteString(f.View())
	}
	return b.String()
}

func TestHostileTextInTheForm(t *testing.T) {
	for _, h := range hostileCases() {
		form := hostileForm(h)
		ch := hostileChallenge(t, h, form)
		values := map[string]string{}
		for _, f := range form.Fields {
			values[f.Key] = h
		}
		drawBoth(t, "form "+h, func(th *Theme) string {
			return drawForm(th, FormState{Form: form, Challenge: ch}, true)
		})
		drawBoth(t, "recorded answers "+h, func(th *Theme) string {
			return drawForm(th, FormState{Form: form, Challenge: ch, Values: values, ReadOnly: true}, false)
		})
		raw := form
		raw.Raw, raw.Fields = true, nil
		drawBoth(t, "raw editor "+h, func(th *Theme) string {
			return drawForm(th, FormState{Form: raw, Values: map[string]string{"": `{"a":"` + h + `"}`}}, false)
		})
		drawBoth(t, "raw editor, no body "+h, func(th *Theme) string {
			return drawForm(th, FormState{Form: raw}, false)
		})
	}
}

// Showing a value made safe must not change what is sent: an untouched
// field sends the stage's value as it came.
func TestHostileInitialValuesAreSentAsGiven(t *testing.T) {
	for _, h := range hostileCases() {
		form := hostileForm(h)
		f := NewForm(NewTheme())
		f.SetSize(60, 40)
		f.SetState(FormState{Form: form})
		for _, fd := range f.fields {
			if (fd.usesInput() || fd.usesArea()) && fd.def.Initial != "" && fd.value() != h {
				t.Errorf("kind %d field: value %q, want the initial %q", fd.def.Kind, fd.value(), h)
			}
		}
		raw := form
		raw.Raw, raw.Fields = true, nil
		body := `{"a":"` + h + `"}`
		f.SetState(FormState{Form: raw, Values: map[string]string{"": body}})
		if got := f.Values()[""]; got != body {
			t.Errorf("raw body %q, want %q", got, body)
		}
	}
}

func TestHostileTextInResults(t *testing.T) {
	for _, h := range hostileCases() {
		results := []*flow.Result{
			{Outcome: flow.OutcomeSuccess, Headline: h, Message: h},
			{Outcome: flow.OutcomeDenied, Headline: "Access denied", Message: h, Detail: h},
			{Outcome: flow.OutcomeError, Headline: "Flow error", Message: h, Detail: h + "\n" + h, RequestID: h},
			nil, // built from the challenge below
		}
		for _, comp := range []string{flow.ComponentRedirect, flow.ComponentAccessDenied, flow.ComponentFlowError, flow.ComponentShell, "ak-stage-" + h} {
			body, _ := json.Marshal(map[string]string{"component": comp, "to": h, "error_message": h, "error": h,
				"traceback": h, "request_id": h, "body": h})
			ch, err := flow.Decode(body)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				form := flow.Form{Component: comp, Terminal: true, Result: r,
					Context: []flow.ContextLine{{Label: "Request ID", Value: h}, {Label: h, Value: h}}}
				drawBoth(t, "result "+comp+" "+h, func(th *Theme) string {
					return drawForm(th, FormState{Form: form, Challenge: ch, Diagnosis: h}, false)
				})
			}
		}
	}
}

func TestHostileTextInTheTimeline(t *testing.T) {
	for _, h := range hostileCases() {
		rows := []ExchangeRow{
			{ID: 1, Method: h, Path: "/api/" + h, Status: 200, Component: h},
			{ID: 2, Method: "POST", Path: h, Status: 302, Note: h, Redirect: true},
			{ID: 3, Method: "GET", Path: h, Status: 0, Note: h, Error: true, Dim: true},
			{ID: 4, Method: h, Path: h, Status: 200, Component: "ak-stage-" + h, Pending: true},
		}
		for _, w := range []int{40, 120} {
			drawBoth(t, "timeline "+h, func(th *Theme) string {
				tl := NewTimeline(th)
				tl.SetSize(w, 10)
				tl.SetRows(rows)
				var b strings.Builder
				for _, r := range rows { // each row selected once
					tl.Select(r.ID)
					b.WriteString(PaneFrame(th, tl.Title(), true, tl.View(), w+2, 12))
				}
				return b.String()
			})
		}
	}
}

func hostileExchange(h string) ExchangeDetail {
	jsonBody, _ := json.Marshal(map[string]any{"component": h, h: []string{h}, "n": 1})
	// JSON escapes C0 controls itself; a server need not: raw C1 and bidi
	// controls are valid JSON, and a body that is not JSON holds anything.
	rawJSON := `{"a":"` + strings.NewReplacer("\x1b", "", "\a", "").Replace(h) + `","b":["x\u009by"]}`
	return ExchangeDetail{
		ID: 7, Title: "#7 " + h + " /api/" + h + " → 200",
		RequestBody: jsonBody, ResponseBody: []byte(rawJSON),
		RequestHeaders:  []Header{{Name: h, Value: h}, {Name: "Cookie", Value: "a=" + h}},
		ResponseHeaders: []Header{{Name: "Set-Cookie", Value: h + "=" + h}},
		Cookies: []CookieRow{{Name: h, Value: h, Domain: h, Path: h, Expires: h, Flags: h, Change: "added"},
			{Name: h, Domain: h, Change: "removed"}, {Name: h, Value: h, Change: h}},
		Phases:    []Phase{{Name: "Total", Duration: time.Millisecond}},
		Error:     h + "\n" + h,
		Diagnosis: h + "\n" + h,
	}
}

func TestHostileTextInDetails(t *testing.T) {
	for _, h := range hostileCases() {
		x := hostileExchange(h)
		text := x
		text.ResponseBody = []byte("<html>" + h + "\r\n\t" + h + "</html>")
		for _, ex := range []ExchangeDetail{x, text} {
			drawBoth(t, "details "+h, func(th *Theme) string {
				d := NewDetails(th)
				d.SetSize(70, 30)
				d.SetExchange(ex)
				d.SetInspector(h + "\n" + h)
				d.SetQuery(h)
				var b strings.Builder
				for _, tab := range d.tabs() {
					d.SetTab(tab)
					b.WriteString(PaneFrame(th, d.Title(), true, d.View(), 72, 32))
				}
				return b.String()
			})
		}
	}
}

func TestHostileTextInTheChrome(t *testing.T) {
	for _, h := range hostileCases() {
		drawBoth(t, "chrome "+h, func(th *Theme) string {
			var b strings.Builder
			for _, w := range []int{30, 80, 200} {
				b.WriteString(RenderHeader(th, HeaderState{Host: h, Flow: h, Step: 3, State: "idle", Recording: "/tmp/" + h + ".jsonl"}, w))
				b.WriteString(RenderHeader(th, HeaderState{Host: h, Flow: h, State: "error", Recording: h, RecordingStopped: true}, w))
				b.WriteString(RenderStatus(th, h+"\n"+h, true, w))
				b.WriteString(RenderStatus(th, h, false, w))
				b.WriteString(RenderOverlay(th, h, "body", w, 10))
			}
			return b.String()
		})
	}
}

func TestHostileTextInTheInspector(t *testing.T) {
	for _, h := range hostileCases() {
		hs, _ := json.Marshal(h)
		stage := &flow.StageBinding{StageObj: &flow.StageObj{Name: h, Component: h, VerboseName: h}}
		in := &flow.Inspection{
			Plans: []flow.InspectorPlan{{CurrentStage: stage}},
			CurrentPlan: &flow.InspectorPlan{CurrentStage: stage, NextPlannedStage: stage, SessionID: h,
				PlanContext: map[string]json.RawMessage{h: hs, "raw": json.RawMessage(`"` + h + `"`)}},
		}
		drawBoth(t, "inspector "+h, func(th *Theme) string {
			d := NewDetails(th)
			d.SetSize(70, 30)
			d.SetExchange(ExchangeDetail{ID: 1, Title: "x"})
			d.SetInspector(RenderInspection(in, h, 70))
			d.SetTab(TabInspector)
			return d.View()
		})
	}
}
