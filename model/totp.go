package model

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
)

// One-time codes in the form. A code field takes `totp:BASE32SECRET` (or
// `totp:env:NAME`, as `akinspect run` does) and fills itself with the
// current code when the person moves on or submits; with --totp-secret the
// TOTP stages come pre-filled; in the demo the field's note shows the
// pending user's current code, which the simulator knows.

// totpPrefix marks a code field's value as a secret to compute a code from.
const totpPrefix = "totp:"

// totpTickMsg asks for the notes of step's code fields again: a new 30 s
// window began, so the codes they show changed.
type totpTickMsg struct{ step int }

// totpStage reports whether c's code field takes a TOTP code.
func totpStage(c *flow.Challenge) bool {
	return c != nil && (c.Component == flow.ComponentValidate || c.Component == flow.ComponentTOTPSetup)
}

// codeFields are the keys of the form's code fields.
func codeFields(f flow.Form) []string {
	var out []string
	for _, fd := range f.Fields {
		if fd.Kind == flow.KindCode {
			out = append(out, fd.Key)
		}
	}
	return out
}

// totpSecretFor is the secret a code for c can be computed from, and
// where it comes from: --totp-secret, the TOTP setup's own secret, or the
// demo's pending user.
func (m *Model) totpSecretFor(c *flow.Challenge) (secret, from string) {
	switch {
	case !totpStage(c):
		return "", ""
	case c.Component == flow.ComponentTOTPSetup:
		if u, err := url.Parse(c.String("config_url")); err == nil {
			if s := u.Query().Get("secret"); s != "" {
				return s, "setup"
			}
		}
	case m.opts.TOTPSecret != "":
		return m.opts.TOTPSecret, "flag"
	case m.opts.DemoTOTPSecret != nil && c.PendingUser != "":
		if s := m.opts.DemoTOTPSecret(c.PendingUser); s != "" {
			return s, "demo"
		}
	}
	return "", ""
}

// codeNotes are the lines under the code fields of the live challenge,
// and the code pre-filled (from --totp-secret), "" when none.
func (m *Model) codeNotes(c *flow.Challenge) (notes map[string]string, prefill string) {
	keys := codeFields(m.answer)
	if len(keys) == 0 {
		return nil, ""
	}
	now := m.now()
	left := int((flow.TOTPPeriod - time.Duration(now.Unix()%30)*time.Second) / time.Second)
	note := "type totp:SECRET for the current code"
	secret, from := m.totpSecretFor(c)
	if code, err := flow.TOTP(secret, now); secret != "" && err == nil {
		switch from {
		case "flag":
			note, prefill = "pre-filled from --totp-secret (the code changes in "+strconv.Itoa(left)+" s)", code
		case "demo":
			// The simulator, like authentik (django-otp's last_t), takes a
			// code once: a second login in the same 30 s waits for the next.
			note = "demo: " + c.PendingUser + "'s code now is " + code + " (for " + strconv.Itoa(left) + " s more; each code works once)"
		case "setup":
			note = "the code of this setup's secret now is " + code + " (for " + strconv.Itoa(left) + " s more)"
		}
	} else if secret != "" && from == "flag" {
		note = "--totp-secret: " + err.Error()
	}
	if !totpStage(c) {
		note = "" // an SMS, email or device code: no TOTP to compute
	}
	notes = map[string]string{}
	for _, k := range keys {
		if note != "" {
			notes[k] = note
		}
	}
	return notes, prefill
}

// totpTick schedules new notes for step at the start of the next 30 s
// window, when the codes shown change; nil when no code is shown.
func (m *Model) totpTick(c *flow.Challenge) tea.Cmd {
	if secret, _ := m.totpSecretFor(c); secret == "" {
		return nil
	}
	now, step := m.now(), m.stepNo
	wait := flow.TOTPPeriod - time.Duration(now.UnixNano()%int64(flow.TOTPPeriod))
	return tea.Tick(wait, func(time.Time) tea.Msg { return totpTickMsg{step: step} })
}

// onTOTPTick renews the notes (and a pre-filled code nobody changed) of
// the code fields while the same challenge is shown; time travel leaves
// the form on it, so the notes renew then too.
func (m *Model) onTOTPTick(msg totpTickMsg) tea.Cmd {
	if msg.step != m.stepNo || m.challenge == nil || m.answer.Terminal {
		return nil
	}
	old := m.form.Values()
	notes, prefill := m.codeNotes(m.challenge)
	m.form.SetNotes(notes)
	if prefill != "" {
		for _, k := range codeFields(m.answer) {
			if v := old[k]; v == "" || isCode(v) {
				m.form.SetFieldValue(k, prefill)
			}
		}
	}
	return m.totpTick(m.challenge)
}

// isCode reports a six-digit code (one pre-filled before).
func isCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// resolveTOTP computes the code for a value `totp:SECRET` or
// `totp:env:NAME`; ok is false for any other value. The error never quotes
// the secret.
func resolveTOTP(v string, now time.Time) (code string, ok bool, err error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(v), totpPrefix)
	if !ok {
		return "", false, nil
	}
	if name, env := strings.CutPrefix(rest, "env:"); env {
		val, set := os.LookupEnv(name)
		if !set {
			return "", true, fmt.Errorf("totp:env:%s: the variable is not set", name)
		}
		rest = val
	}
	code, err = flow.TOTP(rest, now)
	return code, true, err
}

// fillTOTP turns every code field holding `totp:…` into the current code,
// in the form and in values (when given). It reports false, with the
// reason in the status line, when a secret is not usable.
func (m *Model) fillTOTP(values map[string]string) bool {
	typed := m.form.Values()
	for _, k := range codeFields(m.answer) {
		code, ok, err := resolveTOTP(typed[k], m.now())
		if !ok {
			continue
		}
		if err != nil {
			m.setStatus("not sent: "+err.Error(), true)
			return false
		}
		m.form.SetFieldValue(k, code)
		if values != nil {
			values[k] = code
		}
		m.setStatus("filled in the current TOTP code from the secret", false)
	}
	return true
}
