package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinspect/akinspect/history/internal/jsonobj"
	"github.com/akinspect/akinspect/history/redact"
	"github.com/akinspect/akinspect/transport"
)

// Diff is one difference between a recorded step and its replay. Want and
// Got are compact JSON, or "(absent)".
type Diff struct {
	Path string `json:"path"`
	Want string `json:"want"`
	Got  string `json:"got"`
}

const absent = "(absent)"

// DefaultIgnore lists the JSON paths of values that change on every run and
// are not compared: tokens, request IDs, avatars, codes, backgrounds,
// WebAuthn challenges. Paths are dot-separated keys with [n] or [*] for
// array items; "*" matches one key, "**" any number of levels; a path also
// covers everything below it. ReplayOptions.Ignore adds to this list and
// ReplayOptions.Compare takes entries out.
var DefaultIgnore = []string{
	"token",
	"request_id",
	"traceback",
	"pending_user_avatar",
	"flow_info.background",
	"flow_info.background_themed_urls",
	"codes",
	"device_challenges[*].challenge",
	"device_challenges[*].last_used",
	"passkey_challenge",
	"**.session_id",
	"**.csrf_token",
	"**.nonce",
	// A diff's answer paths: the TOTP code sent (kept with --no-redact).
	"answer.code",
	// Cookie values that differ on every login; their presence is compared.
	"jar.authentik_session.value",
	"jar.authentik_csrf.value",
}

// volatileParams are query parameters whose values differ between runs in
// URLs inside challenges (redirect targets, config_url): they are compared
// by presence only. The credentials among them are the ones redaction hides.
var volatileParams = func() map[string]bool {
	m := map[string]bool{"state": true, "nonce": true, "session_state": true}
	for _, p := range redact.CredentialParams() {
		m[p] = true
	}
	return m
}()

// matcher decides which paths are compared.
type matcher struct {
	ignore, compare [][]string
	scoped          bool // a diff's paths: see newDiffMatcher
}

// diffParts are the first segments of a diff's paths that name what a
// body path is in: the challenge shown, the answer sent, the reply to it.
var diffParts = map[string]bool{"challenge": true, "answer": true, "reply": true}

// newDiffMatcher matches the paths a diff prints ("challenge.pending_user",
// "answer.uid_field", "reply.status", "jar.NAME", "flags"): a pattern with
// its part ("answer.code") reaches that part only; one without
// ("flow_info.title", "token", as replay takes them) reaches into every part.
// A step's time is shown but not compared unless --compare time.
func newDiffMatcher(ignore, compare []string) matcher {
	m := newMatcherOver(append(DefaultIgnore[:len(DefaultIgnore):len(DefaultIgnore)], "time"), ignore, compare)
	m.scoped = true
	return m
}

func newMatcher(ignore, compare []string) matcher {
	return newMatcherOver(DefaultIgnore, ignore, compare)
}

// newMatcherOver ignores defaults and ignore, but for compare.
func newMatcherOver(defaults, ignore, compare []string) matcher {
	var m matcher
	drop := map[string]bool{}
	for _, c := range compare {
		drop[c] = true
		m.compare = append(m.compare, splitPath(c))
	}
	for _, p := range append(append([]string(nil), defaults...), ignore...) {
		if !drop[p] {
			m.ignore = append(m.ignore, splitPath(p))
		}
	}
	return m
}

func (m matcher) ignored(path string) bool {
	segs := splitPath(path)
	var inner []string // the path inside its part, for a diff's paths
	if m.scoped && len(segs) > 1 && diffParts[segs[0]] {
		inner = segs[1:]
	}
	matches := func(p []string) bool { return matchPrefix(p, segs) || inner != nil && matchPrefix(p, inner) }
	for _, c := range m.compare {
		if matches(c) {
			return false
		}
	}
	for _, p := range m.ignore {
		if matches(p) {
			return true
		}
	}
	return false
}

// splitPath turns "a.b[2].c" into ["a","b","[2]","c"].
func splitPath(p string) []string {
	var out []string
	for _, part := range strings.Split(p, ".") {
		for part != "" {
			i := strings.IndexByte(part, '[')
			if i < 0 {
				out = append(out, part)
				break
			}
			if i > 0 {
				out = append(out, part[:i])
			}
			j := strings.IndexByte(part[i:], ']')
			if j < 0 {
				out = append(out, part[i:])
				break
			}
			out = append(out, part[i:i+j+1])
			part = part[i+j+1:]
		}
	}
	return out
}

// matchPrefix reports whether pattern matches path or one of its ancestors.
func matchPrefix(pattern, path []string) bool {
	if len(pattern) == 0 {
		return true
	}
	if pattern[0] == "**" {
		for i := 0; i <= len(path); i++ {
			if matchPrefix(pattern[1:], path[i:]) {
				return true
			}
		}
		return false
	}
	if len(path) == 0 {
		return false
	}
	p, s := pattern[0], path[0]
	ok := p == s || (p == "*" && !strings.HasPrefix(s, "[")) || (p == "[*]" && strings.HasPrefix(s, "["))
	return ok && matchPrefix(pattern[1:], path[1:])
}

// compareExchanges lists how got differs from the recorded want: component,
// HTTP status, then the challenge body key by key.
func compareExchanges(want, got *transport.Exchange, m matcher) []Diff {
	return compareExchangesAt(want, got, m, "")
}

// compareExchangesAt is compareExchanges with the body's paths under root
// ("challenge" in a diff; "" puts them at the top, as replay prints them).
func compareExchangesAt(want, got *transport.Exchange, m matcher, root string) []Diff {
	var diffs []Diff
	if got == nil {
		return []Diff{{Path: "exchange", Want: describeShort(want), Got: absent}}
	}
	if want.Component != got.Component {
		diffs = append(diffs, Diff{Path: "component", Want: quote(want.Component), Got: quote(got.Component)})
	}
	if want.Status != got.Status {
		diffs = append(diffs, Diff{Path: "status", Want: strconv.Itoa(want.Status), Got: strconv.Itoa(got.Status)})
	}
	if want.Component != got.Component {
		return diffs // a different stage: its fields would only be noise
	}
	w, werr := decodeAny(want.ResponseBody)
	g, gerr := decodeAny(got.ResponseBody)
	if werr != nil || gerr != nil {
		if !bytes.Equal(want.ResponseBody, got.ResponseBody) && (werr == nil) != (gerr == nil) {
			diffs = append(diffs, Diff{Path: join(root, "body"), Want: preview(want.ResponseBody), Got: preview(got.ResponseBody)})
		}
		return diffs
	}
	return append(diffs, compareValues(root, w, g, m)...)
}

func describeShort(e *transport.Exchange) string {
	return fmt.Sprintf("%s %d %s", e.Method, e.Status, e.Component)
}

func quote(s string) string {
	if s == "" {
		return absent
	}
	return string(jsonobj.MarshalNoEscape(s))
}

func preview(b []byte) string {
	if len(b) == 0 {
		return absent
	}
	if len(b) > 80 {
		n := 80
		for n > 0 && !utf8.RuneStart(b[n]) {
			n-- // cut before a character, not inside one
		}
		return string(b[:n]) + "…"
	}
	return string(b)
}

func decodeAny(b []byte) (any, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("empty")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func compareValues(path string, w, g any, m matcher) []Diff {
	if path != "" && m.ignored(path) {
		return nil
	}
	if s, ok := w.(string); ok && redact.IsMarker(s) {
		return nil // redacted in the recording: nothing to compare with
	}
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			break
		}
		keys := map[string]bool{}
		for k := range wv {
			keys[k] = true
		}
		for k := range gv {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		var diffs []Diff
		for _, k := range sorted {
			p := join(path, k)
			wx, inW := wv[k]
			gx, inG := gv[k]
			switch {
			case m.ignored(p):
			case !inW:
				diffs = append(diffs, Diff{Path: p, Want: absent, Got: compact(gx)})
			case !inG:
				diffs = append(diffs, Diff{Path: p, Want: compact(wx), Got: absent})
			default:
				diffs = append(diffs, compareValues(p, wx, gx, m)...)
			}
		}
		return diffs
	case []any:
		gv, ok := g.([]any)
		if !ok || len(gv) != len(wv) {
			break
		}
		var diffs []Diff
		for i := range wv {
			diffs = append(diffs, compareValues(fmt.Sprintf("%s[%d]", path, i), wv[i], gv[i], m)...)
		}
		return diffs
	case string:
		if gs, ok := g.(string); ok && normalizeURL(wv) == normalizeURL(gs) {
			return nil
		}
	}
	if compact(w) == compact(g) {
		return nil
	}
	return []Diff{{Path: path, Want: compact(w), Got: compact(g)}}
}

// normalizeURL blanks the values of volatile query parameters so that two
// redirect targets differing only in an OAuth code compare equal.
func normalizeURL(s string) string {
	if !strings.Contains(s, "?") || !strings.Contains(s, "=") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.RawQuery == "" {
		return s
	}
	q := u.Query()
	changed := false
	for k := range q {
		if volatileParams[k] {
			q[k] = []string{""}
			changed = true
		}
	}
	if !changed {
		return s
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func compact(v any) string {
	if v == nil {
		return "null"
	}
	return string(jsonobj.MarshalNoEscape(v))
}
