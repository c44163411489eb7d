package model

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/internal/exchangeview"
	"github.com/akinspect/akinspect/transport"
	"github.com/akinspect/akinspect/views"
)

// offlineLoadedMsg carries exchanges read from the recording for the
// selection at index want.
type offlineLoadedMsg struct {
	want int
	xs   map[int]*transport.Exchange
	err  error
}

// cacheLimit bounds the exchanges kept in memory: bodies can be large.
const cacheLimit = 48

// selectRecorded shows recorded exchange i: at once when it (and, with
// withForm, the stage it belongs to) was read before, else after a command
// reads the file.
func (o *offlineState) selectRecorded(i int, withForm bool) tea.Cmd {
	o.want, o.wantForm = i, withForm
	var missing []int
	for _, j := range o.needed(i) {
		if o.cache[j] == nil && !slices.Contains(missing, j) {
			missing = append(missing, j)
		}
	}
	if len(missing) == 0 {
		o.showRecorded()
		return nil
	}
	o.loading = true
	rec := o.rec
	return func() tea.Msg {
		xs := make(map[int]*transport.Exchange, len(missing))
		for _, j := range missing {
			x, err := rec.Exchange(j)
			if err != nil {
				return offlineLoadedMsg{want: i, err: fmt.Errorf("exchange #%d: %w", j+1, err)}
			}
			xs[j] = x
		}
		return offlineLoadedMsg{want: i, xs: xs}
	}
}

// needed lists the exchanges the panes need to show exchange i: itself
// and, for the read-only form (wantForm), the stage challenge and the
// answer to it.
func (o *offlineState) needed(i int) []int {
	out := []int{i}
	if !o.wantForm {
		return out // the form shows the live challenge
	}
	if j := o.inspectorFor(i); j >= 0 {
		out = append(out, j)
	}
	if s := o.stageAtOrBefore(i); s >= 0 {
		out = append(out, s)
		if a := o.answerOf(s); a >= 0 {
			out = append(out, a)
		}
	}
	return out
}

func (o *offlineState) onLoaded(msg offlineLoadedMsg) tea.Cmd {
	m := o.m
	if msg.err != nil {
		if msg.want == o.want {
			o.loading = false
			m.setStatus("cannot read the recording: "+msg.err.Error(), true)
		}
		return nil
	}
	if len(o.cache)+len(msg.xs) > cacheLimit {
		o.evict()
	}
	for j, x := range msg.xs {
		o.cache[j] = x
	}
	if msg.want == o.want {
		o.loading = false
		o.showRecorded()
	}
	return nil
}

// evict empties the cache but for what the wanted selection needs: a
// message (stale or not) may bring only the part that was missing and
// count on the rest being there.
func (o *offlineState) evict() {
	keep := map[int]*transport.Exchange{}
	if o.want >= 0 {
		for _, j := range o.needed(o.want) {
			if x := o.cache[j]; x != nil {
				keep[j] = x
			}
		}
	}
	clear(o.cache)
	maps.Copy(o.cache, keep)
}

// showRecorded puts the wanted exchange into the details pane and, when
// asked, the stage it belongs to into the form.
func (o *offlineState) showRecorded() {
	m := o.m
	i := o.want
	x := o.cache[i]
	if x == nil {
		return
	}
	c := *x
	c.ID = i + 1 // the timeline's numbering
	m.details.SetExchange(exchangeview.Detail(&c))
	m.shownID, o.shown = i+1, i
	if o.wantForm {
		o.showAnsweredForm(i)
		o.showRecordedInspection(i)
	}
	o.applySearchHit()
}

// inspectorFor is the recorded inspector read that belongs to exchange i:
// i itself when it is one, else the first read after the stage i belongs
// to (before the next stage), else the last read before i; -1 when the
// recording holds none.
func (o *offlineState) inspectorFor(i int) int {
	if o.inspectorReads == 0 {
		return -1
	}
	isRead := func(j int) bool { return o.rec.Summary(j).Kind == transport.KindInspector }
	if isRead(i) {
		return i
	}
	s := o.stageAtOrBefore(i)
	end := o.rec.Len()
	if k, _ := slices.BinarySearch(o.stages, s+1); s >= 0 && k < len(o.stages) {
		end = o.stages[k]
	}
	for j := max(s, 0) + 1; j < end; j++ {
		if isRead(j) {
			return j
		}
	}
	for j := i - 1; j >= 0; j-- {
		if isRead(j) {
			return j
		}
	}
	return -1
}

// showRecordedInspection fills the Inspector tab from the recorded
// inspector read that belongs to exchange i, or removes the tab.
func (o *offlineState) showRecordedInspection(i int) {
	m := o.m
	j := o.inspectorFor(i)
	x := o.cache[j]
	if j < 0 || x == nil {
		o.in, o.inErr = nil, ""
		m.details.SetInspector("")
		return
	}
	in, err := flow.DecodeInspection(x.ResponseBody)
	o.in, o.inErr = in, ""
	if err != nil {
		o.inErr = fmt.Sprintf("the recorded inspector read #%d: %v", j+1, err)
	}
	if x.Error != "" {
		o.inErr = x.Error
	}
	m.renderInspection()
}

// showAnsweredForm shows, read-only, the stage exchange i belongs to with
// the values its recorded answer sent.
func (o *offlineState) showAnsweredForm(i int) {
	m := o.m
	s := o.stageAtOrBefore(i)
	if s < 0 {
		m.answer = flow.Form{}
		m.form.SetState(views.FormState{ReadOnly: true, Form: flow.Form{
			Title:   "No stage yet",
			Context: []flow.ContextLine{{Label: "Recording", Value: "this exchange comes before the first challenge"}},
		}})
		return
	}
	sx := o.cache[s]
	if sx == nil {
		return
	}
	c := sx.Challenge
	if c == nil {
		c, _ = flow.Decode(sx.ResponseBody)
	}
	if c == nil {
		m.answer = flow.Form{}
		m.form.SetState(views.FormState{ReadOnly: true, Form: flow.Form{
			Title:   flow.ShortComponent(sx.Component),
			Context: []flow.ContextLine{{Label: "Recording", Value: "the challenge body could not be decoded"}},
		}})
		return
	}
	form := flow.FormFor(c)
	var values map[string]string
	if !form.Terminal {
		note := "not answered in this recording"
		if a := o.answerOf(s); a >= 0 && o.cache[a] != nil {
			form, values = answeredForm(form, o.cache[a].RequestBody)
			note = fmt.Sprintf("by #%d (POST)", a+1)
		}
		form.Context = append(slices.Clip(form.Context), flow.ContextLine{Label: "Answered", Value: note})
	}
	m.answer = form
	m.form.SetState(views.FormState{Form: form, Challenge: c, Values: values, ReadOnly: true})
}

// answeredForm reads a recorded answer body into the form's values.
// Fields whose value is a redaction marker turn into plain text fields, so
// the marker shows as it is rather than masked like a password.
func answeredForm(form flow.Form, body []byte) (flow.Form, map[string]string) {
	if form.Raw || form.Unknown {
		return form, map[string]string{"": string(prettyJSON(body))}
	}
	values, ok := flow.ValuesFromAnswer(form, body)
	if !ok {
		return rawBodyForm(form, body), nil
	}
	form.Fields = slices.Clone(form.Fields)
	for i, f := range form.Fields {
		if _, _, marker := redact.ParseMarker(values[f.Key]); marker && f.Kind != flow.KindReadOnly {
			form.Fields[i].Kind = flow.KindText
		}
	}
	return form, values
}

// rawBodyForm shows a body that was not a JSON object (raw mode sent it on
// purpose) as the text it was, instead of the stage's fields with values
// that were never sent.
const rawBodyShown = 2048

func rawBodyForm(form flow.Form, body []byte) flow.Form {
	text := string(body)
	switch {
	case len(body) == 0:
		text = "(empty body)"
	case len(body) > rawBodyShown: // the Request tab has all of it
		text = strings.ToValidUTF8(text[:rawBodyShown], "") + fmt.Sprintf("… (%d bytes: the Request tab shows all)", len(body))
	}
	form.Fields = []flow.Field{{Key: "", Label: "Raw body sent:", Kind: flow.KindReadOnly, Initial: text}}
	return form
}
