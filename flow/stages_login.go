package flow

import (
	"encoding/json"
	"strings"
)

// Stages that identify and log in a user.
func init() {
	register(
		Stage{Component: ComponentIdentify, Name: "Identification",
			Description: "Asks who the user is (username, email or UPN), optionally with password and captcha.",
			form:        identificationForm, check: needOneOf("uid_field", "passkey")},
		Stage{Component: ComponentPassword, Name: "Password",
			Description: "Checks the pending user's password.",
			form:        passwordForm},
		Stage{Component: ComponentUserLogin, Name: "User login",
			Description: "Logs the pending user in; may ask whether to stay signed in.",
			form:        userLoginForm},
		Stage{Component: ComponentConsent, Name: "Consent",
			Description: "Asks the user to allow an application the listed permissions.",
			form:        consentForm},
		Stage{Component: ComponentCaptcha, Name: "Captcha", Browser: true,
			Description: "A captcha widget (reCAPTCHA, hCaptcha, Turnstile) whose token the server verifies.",
			form:        captchaForm},
		Stage{Component: ComponentDummy, Name: "Dummy",
			Description: "A test stage that passes when submitted.",
			form: func(c *Challenge, f *Form) {
				f.addContext("Stage", c.String("name"))
			}},
		Stage{Component: ComponentEmail, Name: "Email",
			Description: "Sends an email; the flow continues from the link in it.",
			form: func(c *Challenge, f *Form) {
				f.addContext("Next step", "open the link in the email (its flow_token continues this flow); submitting only re-sends")
			}},
	)
}

func identificationForm(c *Challenge, f *Form) {
	var userFields []string
	_ = c.Get("user_fields", &userFields)
	f.addContext("Flow designation", c.String("flow_designation"))
	f.addContext("Application", c.String("application_pre"))
	f.addContext("Identify with", strings.Join(userFields, ", "))
	f.addContext("Identifier so far", c.String("pending_user_identifier"))
	f.addContext("Primary action", c.String("primary_action"))
	var sources []struct {
		Name      string `json:"name"`
		Challenge struct {
			Component string `json:"component"`
		} `json:"challenge"`
	}
	_ = c.Get("sources", &sources)
	for _, s := range sources {
		f.addContext("Source", strings.TrimSpace(s.Name+" ("+s.Challenge.Component+")"))
	}
	f.addContext("Enroll", c.String("enroll_url"))
	f.addContext("Recovery", c.String("recovery_url"))
	f.addContext("Passwordless", c.String("passwordless_url"))

	// With a passkey challenge the person may answer with the passkey alone.
	passkey := hasValue(c, "passkey_challenge")
	f.Fields = append(f.Fields, Field{
		Key: "uid_field", Label: identifierLabel(userFields), Kind: KindText,
		Required: !passkey, Omit: passkey,
		Help: "The identifier the server looks the user up by.",
	})
	if c.Bool("password_fields") {
		f.Fields = append(f.Fields, Field{Key: "password", Label: "Password", Kind: KindSecret,
			Required: !passkey, Omit: passkey, Secret: true})
	}
	if hasValue(c, "captcha_stage") {
		var captcha struct {
			SiteKey string `json:"site_key"`
			JSURL   string `json:"js_url"`
		}
		_ = c.Get("captcha_stage", &captcha)
		f.addContext("Captcha", strings.TrimSpace(captcha.JSURL+" site key "+captcha.SiteKey))
		f.Fields = append(f.Fields, Field{Key: "captcha_token", Label: "Captcha token", Kind: KindText,
			Required: !passkey, Omit: passkey, Secret: true,
			Help: "The token the captcha widget produces in a browser (site key " + captcha.SiteKey + ")."})
	}
	if passkey {
		f.Fields = append(f.Fields, Field{Key: "passkey", Label: "Passkey assertion", Kind: KindJSON,
			Omit: true, Secret: true,
			Help: "Instead of an identifier: the PublicKeyCredential JSON from navigator.credentials.get(passkey_challenge)."})
	}
}

// identifierLabel names the uid field after what the stage accepts:
// "Email or Username".
func identifierLabel(userFields []string) string {
	if len(userFields) == 0 {
		return "Identifier"
	}
	names := make([]string, len(userFields))
	for i, u := range userFields {
		switch u {
		case "upn":
			names[i] = "UPN"
		case "":
			names[i] = "?"
		default:
			r := []rune(u)
			names[i] = strings.ToUpper(string(r[0])) + string(r[1:])
		}
	}
	return strings.Join(names, " or ")
}

func passwordForm(c *Challenge, f *Form) {
	f.addContext("Recovery", c.String("recovery_url"))
	f.Fields = []Field{{Key: "password", Label: "Password", Kind: KindSecret, Required: true, Secret: true}}
}

func userLoginForm(c *Challenge, f *Form) {
	f.Fields = []Field{{Key: "remember_me", Label: "Stay signed in", Kind: KindBool, Required: true,
		Help: "Keep the session beyond this browser session."}}
}

func consentForm(c *Challenge, f *Form) {
	f.addContext("Header", c.String("header_text"))
	f.addContext("Permissions", permissionNames(c, "permissions"))
	f.addContext("New permissions", permissionNames(c, "additional_permissions"))
	f.Fields = []Field{{Key: "token", Label: "Consent token", Kind: KindText, Required: true, Secret: true,
		Initial: c.String("token"),
		Help:    "Sending the challenge's token gives consent; any other value is refused."}}
}

func permissionNames(c *Challenge, key string) string {
	var perms []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	_ = c.Get(key, &perms)
	var names []string
	for _, p := range perms {
		switch {
		case p.Name != "":
			names = append(names, p.Name)
		case p.ID != "":
			names = append(names, p.ID)
		}
	}
	return strings.Join(names, ", ")
}

func captchaForm(c *Challenge, f *Form) {
	f.addContext("Widget script", c.String("js_url"))
	f.addContext("Site key", c.String("site_key"))
	f.Hint = `Solve the captcha in a browser, then paste {"token": "<the widget's response token>"}`
}

// hasValue reports whether a top-level key is present and not null.
func hasValue(c *Challenge, key string) bool {
	raw, ok := c.Fields[key]
	return ok && string(raw) != "null"
}

// compactJSON renders a top-level value on one line for a context line.
func compactJSON(c *Challenge, key string) string {
	raw, ok := c.Fields[key]
	if !ok || string(raw) == "null" {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}
