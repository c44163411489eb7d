package views

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// resultLines draws a terminal challenge: a box coloured by outcome with
// the headline, the message and the details, then the context lines.
func resultLines(th *Theme, s FormState, width int) []string {
	r := s.Form.Result
	if r == nil && s.Challenge != nil {
		// A form built by hand (or by an older catalog): flow describes
		// the outcome as FormFor would have.
		r = flow.FormFor(s.Challenge).Result
	}
	if r == nil {
		r = &flow.Result{}
	}
	icon, box, head := resultLook(th, r.Outcome)
	inner := max(8, width-4) // border and padding
	var body []string
	headline := r.Headline
	if headline == "" {
		headline = flow.ShortComponent(s.Form.Component)
	}
	body = append(body, head.Render(icon+" "+termsafe.Line(headline)))
	if r.Message != "" {
		prefix := ""
		if r.Outcome == flow.OutcomeSuccess && looksLikeURL(r.Message) {
			prefix = "→ "
		}
		body = append(body, wrapLines(prefix+termsafe.String(r.Message), inner)...)
	}
	if r.RequestID != "" {
		body = append(body, th.Faint.Render("request_id ")+termsafe.Line(r.RequestID))
	}
	if s.Diagnosis != "" {
		body = append(body, "")
		for _, l := range wrapLines(termsafe.String(s.Diagnosis), inner) {
			body = append(body, th.Warning.Render(l))
		}
	}
	if r.Detail != "" {
		body = append(body, "")
		for _, l := range strings.Split(termsafe.String(strings.TrimRight(r.Detail, "\n")), "\n") {
			for _, w := range wrapLines(l, inner) {
				body = append(body, th.Faint.Render(w))
			}
		}
	}
	out := strings.Split(box.Width(max(1, width-2)).Render(strings.Join(body, "\n")), "\n")
	var ctx []flow.ContextLine
	for _, c := range s.Form.Context {
		if c.Value != r.RequestID || r.RequestID == "" {
			ctx = append(ctx, c)
		}
	}
	if len(ctx) > 0 {
		out = append(out, "")
		out = append(out, contextLines(th, ctx, width)...)
	}
	return out
}

func looksLikeURL(s string) bool {
	return strings.HasPrefix(s, "/") || strings.Contains(s, "://")
}

// resultLook picks icon, box and headline style by outcome.
func resultLook(th *Theme, o flow.Outcome) (string, lipgloss.Style, lipgloss.Style) {
	switch o {
	case flow.OutcomeSuccess:
		return "✓", th.ResultSuccess, th.Success
	case flow.OutcomeDenied:
		return "✗", th.ResultDenied, th.Warning.Bold(true)
	case flow.OutcomeError:
		return "✗", th.ResultError, th.Error
	case flow.OutcomeSessionEnd:
		return "■", th.ResultNeutral, th.Bold
	default:
		return "●", th.ResultNeutral, th.Bold
	}
}
