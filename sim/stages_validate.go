package sim

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// validateStage is authenticator-validate for the given device classes;
// users without such a device skip it (not_configured_action "skip").
type validateStage struct{ classes []string }

const (
	msgInvalidToken = "Invalid Token. Please ensure the time on your device is accurate and try again."
	msgEmpty        = "Empty response"
)

func (validateStage) meta() stageMeta {
	return stageMeta{"default-authentication-mfa-validation", flow.ComponentValidate,
		"Authenticator Validation Stage", "authentik_stages_authenticator_validate.authenticatorvalidatestage"}
}

// offered lists one device per class, as get_device_challenges does.
func (st validateStage) offered(x *run) []*device {
	a := x.pending()
	if a == nil {
		return nil
	}
	x.s.dataMu.Lock()
	defer x.s.dataMu.Unlock()
	var out []*device
	seen := map[string]bool{}
	for _, d := range a.devicesOf(st.classes...) {
		if !seen[d.class] {
			seen[d.class] = true
			out = append(out, d)
		}
	}
	return out
}

func (st validateStage) get(x *run) outcome {
	if x.pending() == nil {
		return deny("No pending user.")
	}
	devs := st.offered(x)
	if len(devs) == 0 {
		return ok()
	}
	challenges := make([]object, 0, len(devs))
	x.s.dataMu.Lock()
	for _, d := range devs {
		var last any
		if d.lastUsed != nil {
			last = d.lastUsed.UTC().Format("2006-01-02T15:04:05.000000Z")
		}
		challenges = append(challenges, object{
			{"device_class", d.class}, {"device_uid", strconv.Itoa(d.pk)},
			{"challenge", object{}}, {"last_used", last},
		})
	}
	x.s.dataMu.Unlock()
	c := object{{"component", flow.ComponentValidate}}
	c = append(c, x.userInfo()...)
	return show(append(c, kv{"device_challenges", challenges}, kv{"configuration_stages", []object{}}))
}

func (st validateStage) post(x *run, body map[string]json.RawMessage) outcome {
	a := x.pending()
	if a == nil {
		return deny("No pending user.")
	}
	f := newForm(body)
	st.checkSelected(x, f)
	if _, ok := f.raw("selected_stage"); ok {
		f.add("selected_stage", "Selected stage is invalid", "invalid")
	}
	code, hasCode := f.str("code", false, false, false, true)
	if _, ok := f.raw("webauthn"); ok {
		f.add("webauthn", "Invalid device class", "invalid")
	}
	duo, hasDuo := f.integer("duo", false)
	if f.failed() {
		return invalid(f)
	}
	switch {
	case hasCode:
		if !x.s.matchToken(a, code) {
			f.add("code", msgInvalidToken, "invalid")
			return invalid(f)
		}
		return ok()
	case hasDuo:
		d := st.duoDevice(x, a, duo)
		if d == nil {
			return crash(errNoDuoDevice, "Traceback (most recent call last):\n  File \"authentik/stages/authenticator_validate/challenge.py\", in validate_challenge_duo\n    device = get_object_or_404(DuoDevice, pk=device_pk)\ndjango.http.response.Http404: No DuoDevice matches the given query.\n")
		}
		// The push blocks until the person approves it on their phone.
		return waitThen(x.s.opts.SlowDelay, func(x *run) outcome {
			x.s.dataMu.Lock()
			now := x.s.now()
			d.lastUsed = &now
			x.s.dataMu.Unlock()
			return ok()
		})
	}
	f.nonField(msgEmpty, "invalid")
	return invalid(f)
}

// checkSelected: selected_challenge must be one of the offered devices.
func (st validateStage) checkSelected(x *run, f *form) {
	raw, ok := f.body["selected_challenge"]
	if !ok {
		return
	}
	var sel struct {
		DeviceClass string `json:"device_class"`
		DeviceUID   string `json:"device_uid"`
	}
	if json.Unmarshal(raw, &sel) != nil {
		f.add("selected_challenge", "invalid challenge selected", "invalid")
		return
	}
	for _, d := range st.offered(x) {
		if d.class == sel.DeviceClass && strconv.Itoa(d.pk) == sel.DeviceUID {
			return
		}
	}
	f.add("selected_challenge", "invalid challenge selected", "invalid")
}

func (st validateStage) duoDevice(x *run, a *account, pk int64) *device {
	if !slices.Contains(st.classes, "duo") {
		return nil
	}
	x.s.dataMu.Lock()
	defer x.s.dataMu.Unlock()
	for _, d := range a.devicesOf("duo") {
		if int64(d.pk) == pk {
			return d
		}
	}
	return nil
}

// matchToken is django_otp's match_token: the code is tried against all the
// user's TOTP (±1 step) and static devices; a static code is used up, and
// a TOTP device takes a code only from a later time step than the last it
// took (last_t), so a code is accepted once.
func (s *Server) matchToken(a *account, code string) bool {
	code = strings.TrimSpace(code)
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.now()
	for _, d := range a.devices {
		switch d.class {
		case "totp":
			minStep := int64(math.MinInt64)
			if d.lastT != nil {
				minStep = *d.lastT + 1
			}
			if t, ok := totpMatch(d.secret, code, now, minStep); ok {
				d.lastT = &t
				d.lastUsed = &now
				return true
			}
		case "static":
			if i := slices.Index(d.codes, code); i >= 0 {
				d.codes = slices.Delete(d.codes, i, i+1)
				d.lastUsed = &now
				return true
			}
		}
	}
	return false
}

// totpMatches is totpMatch without a last step: the setup stage checks a
// code of a device that is not saved yet.
func totpMatches(secret, code string, now time.Time) bool {
	_, ok := totpMatch(secret, code, now, math.MinInt64)
	return ok
}

// totpMatch follows django-otp's TOTPDevice.verify_token
// (src/django_otp/plugins/otp_totp/models.py: totp.verify(token,
// self.tolerance, self.last_t + 1), then self.last_t = totp.t()), which
// authentik's validate_challenge_code
// (authentik/stages/authenticator_validate/challenge.py) calls for each of
// the user's devices: the code is compared numerically with the codes of
// the steps from one before now to one after (tolerance 1), oldest first,
// skipping steps before minStep. It returns the step that matched.
func totpMatch(secret, code string, now time.Time, minStep int64) (int64, bool) {
	n, err := strconv.ParseInt(code, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	period := int64(flow.TOTPPeriod / time.Second)
	current := now.Unix() / period
	for t := current - 1; t <= current+1; t++ {
		if t < minStep {
			continue
		}
		want, err := flow.TOTP(secret, time.Unix(t*period, 0))
		if err != nil {
			return 0, false
		}
		if w, _ := strconv.ParseInt(want, 10, 64); w == n {
			return t, true
		}
	}
	return 0, false
}
