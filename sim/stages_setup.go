package sim

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/akinspect/akinspect/flow"
)

// totpSetupStage creates a TOTP device once the person proves a code.
type totpSetupStage struct{}

func (totpSetupStage) meta() stageMeta {
	return stageMeta{"default-authenticator-totp-setup", flow.ComponentTOTPSetup,
		"TOTP Authenticator Setup Stage", "authentik_stages_authenticator_totp.authenticatortotpstage"}
}

// get creates the (unconfirmed) secret on the first render, as authentik
// creates the device in the session on the first GET.
func (totpSetupStage) get(x *run) outcome {
	a := x.pending()
	if a == nil {
		return deny("No pending user.")
	}
	if x.plan.ctx.totpSecret == "" {
		b := make([]byte, 20)
		_, _ = rand.Read(b)
		x.plan.ctx.totpSecret = base32.StdEncoding.EncodeToString(b)
	}
	c := object{{"component", flow.ComponentTOTPSetup}}
	c = append(c, x.userInfo()...)
	return show(append(c, kv{"config_url", otpauthURL(a.username, x.plan.ctx.totpSecret)}))
}

// otpauthURL is django-otp's config_url with the brand title as issuer.
func otpauthURL(username, secret string) string {
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("algorithm", "SHA1")
	q.Set("digits", "6")
	q.Set("period", "30")
	q.Set("issuer", "authentik")
	return "otpauth://totp/" + url.PathEscape("authentik:"+username) + "?" + q.Encode()
}

// post: code is an IntegerField in 2023.10 and a CharField in 2026.2; both
// accept the other JSON type as DRF does, and compare numerically.
func (totpSetupStage) post(x *run, body map[string]json.RawMessage) outcome {
	a := x.pending()
	if a == nil || x.plan.ctx.totpSecret == "" {
		return deny("No pending user.")
	}
	f := newForm(body)
	var code string
	if x.s.opts.Legacy {
		if n, ok := f.integer("code", true); ok {
			code = strconv.FormatInt(n, 10)
		}
	} else {
		code, _ = f.str("code", true, false, false, true)
	}
	if f.failed() {
		return invalid(f)
	}
	if !totpMatches(x.plan.ctx.totpSecret, code, x.s.now()) {
		f.add("code", "Code does not match", "invalid")
		return invalid(f)
	}
	x.s.addDevice(a, &device{class: "totp", name: "TOTP device", secret: x.plan.ctx.totpSecret})
	return ok()
}

// staticSetupStage shows recovery codes and saves them on any answer.
type staticSetupStage struct{}

func (staticSetupStage) meta() stageMeta {
	return stageMeta{"default-authenticator-static-setup", flow.ComponentStaticSetup,
		"Static Authenticator Setup Stage", "authentik_stages_authenticator_static.authenticatorstaticstage"}
}

func (staticSetupStage) get(x *run) outcome {
	if x.pending() == nil {
		return deny("No pending user.")
	}
	if x.plan.ctx.staticCodes == nil {
		for range 6 {
			x.plan.ctx.staticCodes = append(x.plan.ctx.staticCodes, randomCode(12))
		}
	}
	c := object{{"component", flow.ComponentStaticSetup}}
	c = append(c, x.userInfo()...)
	return show(append(c, kv{"codes", x.plan.ctx.staticCodes}))
}

func (staticSetupStage) post(x *run, body map[string]json.RawMessage) outcome {
	a := x.pending()
	if a == nil || x.plan.ctx.staticCodes == nil {
		return deny("No pending user.")
	}
	f := newForm(body)
	if f.failed() {
		return invalid(f)
	}
	codes := append([]string(nil), x.plan.ctx.staticCodes...)
	x.s.addDevice(a, &device{class: "static", name: "Static Token", codes: codes})
	return ok()
}

func (s *Server) addDevice(a *account, d *device) {
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	s.nextPK++
	d.pk = s.nextPK
	a.devices = append(a.devices, d)
}

// randomCode is a lowercase alphanumeric recovery code.
func randomCode(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
