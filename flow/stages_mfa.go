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
			form:        validateForm, check: validateCheck},
		Stage{Component: ComponentTOTPSetup, Name: "TOTP setup",
			Description: "Enrolls an authenticator app: scan the otpauth URL, answer with a current code.",
			form:        totpSetupForm},
		Stage{Component: ComponentStaticSetup, Name: "Recovery codes",
			Description: "Shows one-time recovery codes; submitting saves them.",
			form: func(c *Challenge, f *Form) {
				var codes []string
				_ = c.Get("codes", &codes)
				f.addContext("Codes", strings.Join(codes, " "))
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

// validateForm offers every way to answer: a code (checked by the server
// against all of the user's code devices), a duo device, a WebAuthn
// assertion, or a setup stage. The person fills exactly one; a device
// choice alone asks an sms/email device to send its code.
func validateForm(c *Challenge, f *Form) {
	var devices []json.RawMessage
	_ = c.Get("device_challenges", &devices)
	var picks, duo []Choice
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
		switch d.DeviceClass {
		case "duo":
			duo = append(duo, Choice{Value: d.DeviceUID, Label: label})
		case "webauthn":
			webauthn = compactRaw(d.Challenge)
		}
		picks = append(picks, Choice{Value: compactRaw(raw), Label: label})
	}
	help := "A one-time code from an authenticator app, recovery code, SMS or email."
	if len(codeDevices) > 0 {
		help = "A one-time code from your " + strings.Join(unique(codeDevices), "/") + " device; the server tries all of them."
	}
	f.Fields = append(f.Fields, Field{Key: "code", Label: "Code", Kind: KindCode, Secret: true, Omit: true, Help: help})
	if len(picks) > 0 {
		f.Fields = append(f.Fields, Field{Key: "selected_challenge", Label: "Device", Kind: KindChoice, Omit: true,
			Choices: picks, Help: "Choose an SMS or email device alone to have it send a code; optional with a code."})
	}
	if len(duo) > 0 {
		f.Fields = append(f.Fields, Field{Key: "duo", Label: "Duo push", Kind: KindChoice, Omit: true,
			Choices: duo, Help: "Sends a push to this Duo device and waits for approval."})
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
			Choices: setups, Help: "Instead of validating: enroll a new device with this stage."})
	}
}

// validateCheck mirrors the server: an answer needs something to check.
func validateCheck(f Form, values map[string]string) error {
	for _, key := range []string{"code", "webauthn", "duo", "selected_stage", "selected_challenge"} {
		if strings.TrimSpace(values[key]) != "" && hasField(f, key) {
			return nil
		}
	}
	return &FieldError{Key: "code", Label: "Code",
		Problem: "required: answer with a code, or choose a device, duo push or setup stage"}
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
