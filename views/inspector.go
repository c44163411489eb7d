package views

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// RenderInspection turns the flow inspector's answer into plain text for
// the Inspector tab: stages done, the current and the next planned stage,
// the plan context (compact JSON, long values cut to width) and the
// session id. errText, when set, says why there is no inspection.
func RenderInspection(in *flow.Inspection, errText string, width int) string {
	width = max(20, width)
	var b strings.Builder
	line := func(s string) { b.WriteString(ansi.Truncate(s, width, ellipsis) + "\n") }
	if errText != "" {
		for _, l := range wrapLines("Inspector unavailable: "+termsafe.String(errText), width) {
			line(l)
		}
	}
	if in == nil {
		if errText == "" {
			line("No inspection yet.")
		}
		return strings.TrimRight(b.String(), "\n")
	}
	cur := in.CurrentPlan
	if len(in.Plans) > 0 {
		line("Stages done")
		for _, p := range in.Plans {
			line("  ✓ " + stageName(p.CurrentStage))
		}
	}
	if in.IsCompleted {
		line("Flow completed")
	}
	if cur != nil {
		if name := stageName(cur.CurrentStage); name != "" && !in.IsCompleted {
			line("Current  ▶ " + name)
		}
		if name := stageName(cur.NextPlannedStage); name != "" {
			line("Next       " + name)
		}
		if len(cur.PlanContext) > 0 {
			line("")
			line("Plan context")
			keys := make([]string, 0, len(cur.PlanContext))
			kw := 0
			for k := range cur.PlanContext {
				keys = append(keys, k)
				kw = max(kw, len(k))
			}
			sort.Strings(keys)
			kw = min(kw, width/3)
			for _, k := range keys {
				line("  " + fitLine(termsafe.Line(k), kw) + "  " + compactValue(cur.PlanContext[k]))
			}
		}
		if cur.SessionID != "" {
			line("")
			line("Session  " + termsafe.Line(cur.SessionID))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// stageName is the stage's name, or its component, or "" for the empty
// binding the inspector sends when there is no next stage.
func stageName(sb *flow.StageBinding) string {
	if sb == nil || sb.StageObj == nil {
		return ""
	}
	o := sb.StageObj
	name := o.Name
	if name == "" {
		name = o.Component
	}
	if o.VerboseName != "" && name != "" {
		name += " (" + o.VerboseName + ")"
	}
	return termsafe.Line(name)
}

// compactValue prints a context value as one line of compact JSON.
func compactValue(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return termsafe.Line(strings.ReplaceAll(string(raw), "\n", " "))
	}
	return termsafe.Line(buf.String())
}
