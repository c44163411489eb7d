package sim

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// identificationStage: user_fields lookup, optionally with the password.
type identificationStage struct {
	userFields     []string
	passwordFields bool
}

func (identificationStage) meta() stageMeta {
	return stageMeta{"default-authentication-identification", flow.ComponentIdentify,
		"Identification Stage", "authentik_stages_identification.identificationstage"}
}

func (st identificationStage) get(x *run) outcome {
	c := object{
		{"component", flow.ComponentIdentify},
		{"user_fields", st.userFields},
		{"pending_user_identifier", nil},
		{"password_fields", st.passwordFields},
		{"allow_show_password", false},
		{"flow_designation", x.flow().designation},
		{"captcha_stage", nil},
	}
	if x.flow().slug == "default-authentication-flow" {
		c = append(c, kv{"enroll_url", "/if/flow/default-enrollment-flow/"})
	}
	primary := "Continue"
	if x.flow().designation == "authentication" {
		primary = "Log in"
	}
	c = append(c, kv{"primary_action", primary}, kv{"sources", []object{}},
		kv{"show_source_labels", false}, kv{"enable_remember_me", false}, kv{"passkey_challenge", nil})
	return show(c)
}

func (st identificationStage) post(x *run, body map[string]json.RawMessage) outcome {
	f := newForm(body)
	legacy := x.s.opts.Legacy
	uid, _ := f.str("uid_field", legacy, !legacy, !legacy, true)
	password, _ := f.str("password", false, true, true, false)
	if f.failed() {
		return invalid(f)
	}
	if uid == "" {
		// Checked before the user lookup, so without the pause
		// (authentik/stages/identification/stage.py
		// IdentificationChallengeResponse.validate).
		f.nonField("No identification data provided.", "invalid")
		return invalid(f)
	}
	x.s.dataMu.Lock()
	a := x.s.findAccount(uid)
	x.s.dataMu.Unlock()
	if a == nil || (st.passwordFields && password != a.password) {
		// authentik sleeps 90–210 ms so that timing does not reveal users.
		pause(x, time.Duration(90+rand.IntN(120))*time.Millisecond)
		f.nonField("Failed to authenticate.", "invalid")
		return invalid(f)
	}
	x.plan.ctx.pendingUser = a
	return ok()
}

func pause(x *run, d time.Duration) {
	if x.s.noPause {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-x.r.Context().Done():
	}
}

// passwordStage checks the pending user's password; 5 failures cancel.
type passwordStage struct{}

const failedAttemptsBeforeCancel = 5

func (passwordStage) meta() stageMeta {
	return stageMeta{"default-authentication-password", flow.ComponentPassword,
		"Password Stage", "authentik_stages_password.passwordstage"}
}

func (passwordStage) get(x *run) outcome {
	if x.pending() == nil {
		return deny("Unknown error")
	}
	c := object{{"component", flow.ComponentPassword}}
	c = append(c, x.userInfo()...)
	return show(append(c, kv{"allow_show_password", false}))
}

func (passwordStage) post(x *run, body map[string]json.RawMessage) outcome {
	a := x.pending()
	if a == nil {
		return deny("Unknown error")
	}
	f := newForm(body)
	pw, _ := f.str("password", true, false, false, false)
	if f.failed() {
		return invalid(f)
	}
	if pw != a.password {
		x.plan.ctx.failures++
		if x.plan.ctx.failures >= failedAttemptsBeforeCancel {
			return deny("Invalid password")
		}
		f.add("password", "Invalid password", "invalid")
		return invalid(f)
	}
	return ok()
}

// userLoginStage logs the pending user in: on GET when remember_me_offset
// is 0 (as authentik's default), else on POST after showing the challenge.
type userLoginStage struct{ rememberMe bool }

func (userLoginStage) meta() stageMeta {
	return stageMeta{"default-authentication-login", flow.ComponentUserLogin,
		"User Login Stage", "authentik_stages_user_login.userloginstage"}
}

func (st userLoginStage) get(x *run) outcome {
	a := x.pending()
	if a == nil {
		return deny("No Pending user to login.")
	}
	if !st.rememberMe {
		x.s.login(x.w, x.r, x.sess, a)
		x.user = a
		return ok()
	}
	c := object{{"component", flow.ComponentUserLogin}}
	return show(append(c, x.userInfo()...))
}

func (st userLoginStage) post(x *run, body map[string]json.RawMessage) outcome {
	a := x.pending()
	if a == nil {
		return deny("No Pending user to login.")
	}
	if !st.rememberMe {
		return st.get(x)
	}
	f := newForm(body)
	f.boolean("remember_me", true)
	if f.failed() {
		return invalid(f)
	}
	x.s.login(x.w, x.r, x.sess, a)
	x.user = a
	return ok()
}

// errNoDuoDevice is the Http404 that get_object_or_404 raises inside the
// serializer; it surfaces as a flow error.
var errNoDuoDevice = errors.New("No DuoDevice matches the given query.")
