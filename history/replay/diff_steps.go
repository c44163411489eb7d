package replay

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/transport"
)

// compareSteps compares what a person would: the challenge (component,
// status, fields, response_errors), the answer sent to it and the server's
// reply to that answer (status, flags, response_errors: a rejected
// password, a CSRF failure), the flags that explain a session (rotation,
// likely CSRF) and the cookie jar after it.
func compareSteps(a, b *StageStep, m matcher) []Diff {
	diffs := compareExchangesAt(a.exchange, b.exchange, m, "challenge")
	diffs = append(diffs, compareAnswers(a.answer, b.answer, m)...)
	diffs = append(diffs, compareReplies(a.answer, b.answer, m)...)
	diffs = append(diffs, compareFlags(a.exchange, b.exchange)...)
	diffs = append(diffs, compareJars(a.exchange.Jar, b.exchange.Jar, m)...)
	diffs = append(diffs, compareTimes(a.Time, b.Time)...)
	return notIgnored(diffs, m)
}

// A step's time is shown, not compared: it differs on every run
// (newDiffMatcher ignores time). With --compare time, a step counts as
// different when one side took at least twice as long as the other and
// at least timeSlack longer: a slow password check, not jitter.
const timeSlack = 100 * time.Millisecond

// A zero time is none recorded (a HAR without timings, a step brought by
// an answer counted in the step before): it is not compared.
func compareTimes(a, b time.Duration) []Diff {
	if a == 0 || b == 0 {
		return nil
	}
	fast, slow := min(a, b), max(a, b)
	if slow >= 2*fast && slow-fast >= timeSlack {
		return []Diff{{Path: "time", Want: formatTime(a), Got: formatTime(b)}}
	}
	return nil
}

// notIgnored drops the differences at paths --ignore names, so that every
// path the report prints can be named: "status", "flags", "reply.status".
func notIgnored(diffs []Diff, m matcher) []Diff {
	return slices.DeleteFunc(diffs, func(d Diff) bool { return m.ignored(d.Path) })
}

// compareAnswers compares the answers' fields; a value redacted on either
// side cannot be compared and is left out.
func compareAnswers(a, b *transport.Exchange, m matcher) []Diff {
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil || b == nil:
		return []Diff{{Path: "answer", Want: answerShort(a), Got: answerShort(b)}}
	}
	wa, errA := decodeAny(a.RequestBody)
	wb, errB := decodeAny(b.RequestBody)
	if errA != nil || errB != nil {
		if string(a.RequestBody) != string(b.RequestBody) {
			return []Diff{{Path: "answer", Want: preview(a.RequestBody), Got: preview(b.RequestBody)}}
		}
		return nil
	}
	var out []Diff
	for _, d := range compareValues("answer", wa, wb, m) {
		if redact.ContainsMarker(d.Want) || redact.ContainsMarker(d.Got) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// replyFlags are the flags that say how the server took an answer.
var replyFlags = []string{transport.FlagRedirect, transport.FlagContinue, transport.FlagValidation,
	transport.FlagLikelyCSRF, transport.FlagError, transport.FlagTimeout, transport.FlagCancelled,
	transport.FlagSessionRotated, transport.FlagCSRFRotated, transport.FlagTruncated, transport.FlagCookiesDropped}

// compareReplies compares how the server took the two answers: the
// status, the flags and the response_errors of the reply (the stage it
// showed next is a step of its own). Nothing when a side sent none:
// compareAnswers says so.
func compareReplies(a, b *transport.Exchange, m matcher) []Diff {
	if a == nil || b == nil {
		return nil
	}
	var diffs []Diff
	if a.Status != b.Status {
		diffs = append(diffs, Diff{Path: "reply.status", Want: strconv.Itoa(a.Status), Got: strconv.Itoa(b.Status)})
	}
	if fa, fb := flagsOf(a, replyFlags), flagsOf(b, replyFlags); fa != fb {
		diffs = append(diffs, Diff{Path: "reply.flags", Want: fa, Got: fb})
	}
	ea, okA := responseErrors(a)
	eb, okB := responseErrors(b)
	switch {
	case !okA && !okB:
	case !okA:
		diffs = append(diffs, Diff{Path: "reply.response_errors", Want: absent, Got: compact(eb)})
	case !okB:
		diffs = append(diffs, Diff{Path: "reply.response_errors", Want: compact(ea), Got: absent})
	default:
		diffs = append(diffs, compareValues("reply.response_errors", ea, eb, m)...)
	}
	return diffs
}

// responseErrors is the response_errors of an exchange's reply; ok is
// false when it has none.
func responseErrors(e *transport.Exchange) (any, bool) {
	v, err := decodeAny(e.ResponseBody)
	if err != nil {
		return nil, false
	}
	obj, _ := v.(map[string]any)
	errs, ok := obj["response_errors"]
	if !ok || errs == nil {
		return nil, false
	}
	if mp, isMap := errs.(map[string]any); isMap && len(mp) == 0 {
		return nil, false
	}
	return errs, true
}

func answerShort(e *transport.Exchange) string {
	if e == nil {
		return absent
	}
	return preview(e.RequestBody)
}

// sessionFlags are the flags that say something about the session.
var sessionFlags = []string{transport.FlagSessionRotated, transport.FlagCSRFRotated, transport.FlagLikelyCSRF,
	transport.FlagError, transport.FlagTruncated, transport.FlagCookiesDropped}

func compareFlags(a, b *transport.Exchange) []Diff {
	if fa, fb := flagsOf(a, sessionFlags), flagsOf(b, sessionFlags); fa != fb {
		return []Diff{{Path: "flags", Want: fa, Got: fb}}
	}
	return nil
}

// flagsOf lists which of flags e carries, "(none)" for none.
func flagsOf(e *transport.Exchange, flags []string) string {
	var on []string
	for _, f := range flags {
		if e.Has(f) {
			on = append(on, f)
		}
	}
	if len(on) == 0 {
		return "(none)"
	}
	return strings.Join(on, " ")
}

// compareJars compares the cookie jars after two steps by cookie (name,
// domain, path; transport.DiffJar): added, removed, and changed values
// where both sides hold the value itself (not a redaction marker).
func compareJars(a, b []transport.Cookie, m matcher) []Diff {
	var diffs []Diff
	for _, ch := range transport.DiffJar(b, a) {
		path := "jar." + ch.Name
		if m.ignored(path) {
			continue
		}
		switch ch.Change {
		case transport.ChangeAdded:
			diffs = append(diffs, Diff{Path: path, Want: "set", Got: absent})
		case transport.ChangeRemoved:
			diffs = append(diffs, Diff{Path: path, Want: absent, Got: "set"})
		default:
			ca, _ := transport.JarCookie(a, ch)
			cb, _ := transport.JarCookie(b, ch)
			// A session or CSRF value is new on every login (DefaultIgnore
			// has jar.<name>.value); that the cookie is there still counts.
			if !isMarked(ca.Value) && !isMarked(cb.Value) && !m.ignored(path+".value") {
				diffs = append(diffs, Diff{Path: path, Want: quote(ca.Value), Got: quote(cb.Value)})
			}
		}
	}
	return diffs
}

func isMarked(v string) bool { return redact.ContainsMarker(v) }
