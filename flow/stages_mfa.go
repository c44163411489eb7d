package flow

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Multi-factor stages: validation and the setup stages of each device type.
func init() {
	register(
		Stage{Component: ComponentValidate, Name: "MFA validation",
			Description: "Asks for a second factor from one of the user's devices, or to set one up.",
			form:        validateForm, narrow: validateAnswer, widen: validateWiden},
		Stage{Component: ComponentTOTPSetup, Name: "TOTP setup",
			Description: "Enrolls an authenticator app: scan the otpauth URL, answer with a current code.",
			form:        totpSetupForm},
		Stage{Component: ComponentStaticSetup, Name: "Recovery codes",
			Description: "Shows one-time recovery codes; submitting saves them.",
			form: func(c *Challenge, f *Form) {
				var codes []string
				_ = c.Get("codes", &codes)
				f.addContext("Codes", strings.Join(codes, "\n")) // a block, one per line, to copy
			}},
		Stage{Component: ComponentSMSSetup, Name: "SMS setup",
			Description: "Enrolls a phone: send the number, then the code texted to it.",
			form:        smsSetupForm, check: needOneOf("phone_number", "code")},
		Stage{Component: ComponentEmailSetup, Name: "Email MFA setup",
			Description: "Enrolls an email address: send the address, then the code mailed to it.",
			form:        emailSetupForm, check: needOneOf("email", "code")},
		Stage{Component: ComponentDuoSetup, Name: "Duo setup",
			Description: "Enrolls Duo: activate in the Duo app, then submit.",
			form: func(c *Challenge, f *Form) {
				f.addContext("Activation code", c.String("activation_code"))
				f.addContext("Activation barcode", c.String("activation_barcode"))
				f.addContext("Next step", "activate the device in the Duo app, then submit")
			}},
		Stage{Component: ComponentWebAuthnSetup, Name: "WebAuthn setup", Browser: true,
			Description: "Registers a security key or passkey through the browser's WebAuthn API.",
			form: func(c *Challenge, f *Form) {
				f.addContext("Registration options", compactJSON(c, "registration"))
				f.Hint = `Run navigator.credentials.create with the registration options in a browser, then paste {"response": <the PublicKeyCredential as JSON>}`
			}},
	)
}

// deviceChallenge is one entry of device_challenges.
type deviceChallenge struct {
	DeviceClass string          `json:"device_class"`
	DeviceUID   string          `json:"device_uid"`
	Challenge   json.RawMessage `json:"challenge"`
	LastUsed    *string         `json:"last_used,omitempty"`
}

// codeClasses are the device classes answered with a typed code.
var codeClasses = map[string]bool{"totp": true, "static": true, "sms": true, "email": true}

// validateForm follows the web UI's device picker
// (web/src/flow/stages/authenticator_validate/AuthenticatorValidateStage.ts):
// one Device choice (the only device is chosen already, as the UI
// autoselects it) decides the answer: a code, a Duo push or a WebAuthn
// assertion. The code field comes first, where typing lands. A code with no device is tried by the
// server against all code devices; a setup stage is its own answer.
func validateForm(c *Challenge, f *Form) {
	var devices []json.RawMessage
	_ = c.Get("device_challenges", &devices)
	var picks []Choice
	var codeDevices []string
	var webauthn string
	for _, raw := range devices {
		var d deviceChallenge
		if json.Unmarshal(raw, &d) != nil {
			continue
		}
		label := deviceLabel(d)
		f.addContext("Device", label)
		if codeClasses[d.DeviceClass] {
			codeDevices = append(codeDevices, d.DeviceClass)
		}
		if d.DeviceClass == "webauthn" {
			webauthn = compactRaw(d.Challenge)
		}
		picks = append(picks, Choice{Value: compactRaw(raw), Label: label})
	}
	help := "A one-time code from an authenticator app, recovery code, SMS or email."
	if len(codeDevices) > 0 {
		help = "A one-time code from your " + strings.Join(unique(codeDevices), "/") + " device; with no device chosen the server tries all of them."
	}
	f.Fields = append(f.Fields, Field{Key: "code", Label: "Code", Kind: KindCode, Secret: true, Omit: true, Help: help})
	if len(picks) > 0 {
		device := Field{Key: "selected_challenge", Label: "Device", Kind: KindChoice, Omit: true, Choices: picks,
			Help: "The device to answer with: a code for totp/static/sms/email, a push for duo, an assertion for webauthn. An SMS or email device with no code is asked to send one."}
		if len(picks) == 1 {
			device.Initial = picks[0].Value
		}
		f.Fields = append(f.Fields, device)
	}
	if webauthn != "" {
		f.addContext("WebAuthn options", webauthn)
		f.Fields = append(f.Fields, Field{Key: "webauthn", Label: "WebAuthn assertion", Kind: KindJSON, Omit: true,
			Secret: true, Help: "The PublicKeyCredential JSON from navigator.credentials.get(WebAuthn options)."})
	}
	var stages []struct {
		Pk          string `json:"pk"`
		Name        string `json:"name"`
		VerboseName string `json:"verbose_name"`
	}
	_ = c.Get("configuration_stages", &stages)
	var setups []Choice
	for _, s := range stages {
		label := strings.TrimSpace(s.Name + " (" + s.VerboseName + ")")
		setups = append(setups, Choice{Value: s.Pk, Label: label})
		f.addContext("Can set up", label)
	}
	if len(setups) > 0 {
		f.Fields = append(f.Fields, Field{Key: "selected_stage", Label: "Set up a device", Kind: KindChoice, Omit: true,
			Choices: setups, Help: "Instead of validating: enroll a new device with this stage (sent alone)."})
	}
}

// validateAnswer keeps the one answer the web UI sends: the setup stage
// alone; for a chosen device, what its class takes (duo: the device pk, as
// AuthenticatorValidateStageDuo sends it; webauthn: the assertion; a code
// device: the code, or for SMS/email without a code the selection that
// makes it send one); with no device, the code.
func validateAnswer(f Form, values map[string]string) (map[string]string, error) {
	filled := func(k string) bool { return strings.TrimSpace(values[k]) != "" && hasField(f, k) }
	if filled("selected_stage") {
		return map[string]string{"selected_stage": values["selected_stage"]}, nil
	}
	var d deviceChallenge
	if filled("selected_challenge") {
		if err := json.Unmarshal([]byte(values["selected_challenge"]), &d); err != nil {
			return nil, &FieldError{Key: "selected_challenge", Label: "Device", Problem: "not one of the offered devices"}
		}
	}
	switch {
	case d.DeviceClass == "duo":
		return map[string]string{"duo": d.DeviceUID}, nil
	case d.DeviceClass == "webauthn":
		if !filled("webauthn") {
			return nil, &FieldError{Key: "webauthn", Label: "WebAuthn assertion", Problem: "required for a WebAuthn device"}
		}
		return map[string]string{"webauthn": values["webauthn"]}, nil
	case filled("code"):
		return map[string]string{"code": values["code"]}, nil
	case d.DeviceClass == "sms" || d.DeviceClass == "email":
		return map[string]string{"selected_challenge": values["selected_challenge"]}, nil
	case filled("webauthn"):
		return map[string]string{"webauthn": values["webauthn"]}, nil
	}
	return nil, &FieldError{Key: "code", Label: "Code",
		Problem: "required: a code, or choose a Duo, WebAuthn, SMS or email device, or a setup stage"}
}

// validateWiden chooses the device a body's duo pk names, as the person
// did before validateAnswer turned the choice into {"duo": pk}.
func validateWiden(f Form, body map[string]json.RawMessage, values map[string]string) {
	raw, ok := body["duo"]
	if !ok {
		return
	}
	pk := ValueText(raw)
	for _, field := range f.Fields {
		if field.Key != "selected_challenge" {
			continue
		}
		for _, c := range field.Choices {
			var d deviceChallenge
			if json.Unmarshal([]byte(c.Value), &d) == nil && d.DeviceClass == "duo" && d.DeviceUID == pk {
				values["selected_challenge"] = c.Value
			}
		}
	}
}

// needOneOf requires at least one of the keys that the form has.
func needOneOf(keys ...string) func(Form, map[string]string) error {
	return func(f Form, values map[string]string) error {
		var present []Field
		for _, field := range f.Fields {
			for _, k := range keys {
				if field.Key == k {
					present = append(present, field)
				}
			}
		}
		if len(present) == 0 {
			return nil
		}
		var names []string
		for _, field := range present {
			if strings.TrimSpace(values[field.Key]) != "" {
				return nil
			}
			names = append(names, field.Key)
		}
		problem := "required"
		if len(names) > 1 {
			problem = "required: fill in " + strings.Join(names, " or ")
		}
		return &FieldError{Key: present[0].Key, Label: present[0].Label, Problem: problem}
	}
}

func hasField(f Form, key string) bool {
	for _, field := range f.Fields {
		if field.Key == key {
			return true
		}
	}
	return false
}

func deviceLabel(d deviceChallenge) string {
	label := d.DeviceClass + " #" + d.DeviceUID
	var detail map[string]any
	if json.Unmarshal(d.Challenge, &detail) == nil {
		if email, ok := detail["email"].(string); ok && email != "" {
			label += " " + email
		}
		if phone, ok := detail["phone_number"].(string); ok && phone != "" {
			label += " " + phone
		}
	}
	if d.LastUsed != nil && *d.LastUsed != "" {
		label += ", last used " + *d.LastUsed
	}
	return label
}

func compactRaw(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func unique(items []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range items {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func totpSetupForm(c *Challenge, f *Form) {
	config := c.String("config_url")
	f.addContext("Setup URL", config)
	if u, err := url.Parse(config); err == nil {
		f.addContext("Secret", u.Query().Get("secret"))
	}
	f.Fields = []Field{{Key: "code", Label: "Code", Kind: KindCode, Required: true, Secret: true,
		Help: "The current 6-digit code from the authenticator app set up with this URL."}}
}

func smsSetupForm(c *Challenge, f *Form) {
	f.Fields = []Field{
		{Key: "phone_number", Label: "Phone number", Kind: KindText, Omit: true,
			Help: "First step: the number to text a code to (E.164, +4912345678)."},
		{Key: "code", Label: "Code", Kind: KindCode, Omit: true, Secret: true,
			Help: "Second step: the code the SMS contained."},
	}
	if !c.Bool("phone_number_required") && hasValue(c, "phone_number_required") {
		f.addContext("Phone number", "already known; send the code")
	}
}

func emailSetupForm(c *Challenge, f *Form) {
	if email := c.String("email"); email != "" {
		f.addContext("Email", email)
	}
	f.Fields = []Field{
		{Key: "email", Label: "Email address", Kind: KindText, Omit: true,
			Help: "First step: the address to mail a code to."},
		{Key: "code", Label: "Code", Kind: KindCode, Omit: true, Secret: true,
			Help: "Second step: the code from the email."},
	}
	if !c.Bool("email_required") && hasValue(c, "email_required") {
		f.addContext("Next step", fmt.Sprintf("a code was sent%s; enter it", suffix(" to ", c.String("email"))))
	}
}

func suffix(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}
