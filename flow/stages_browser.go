package flow

import (
	"encoding/json"
	"strings"
)

// Stages that run in a browser (a third-party login, an iframe, a local
// agent). A terminal cannot do their part, so they are answered with JSON
// the person obtains elsewhere and pastes.
func init() {
	register(
		Stage{Component: ComponentAppleSource, Name: "Sign in with Apple", Browser: true,
			Description: "Hands the login to Apple; Apple's callback continues the flow.",
			form: func(c *Challenge, f *Form) {
				f.addContext("Client ID", c.String("client_id"))
				f.addContext("Scope", c.String("scope"))
				f.addContext("Redirect URI", c.String("redirect_uri"))
				f.addContext("State", c.String("state"))
				f.Hint = `Sign in with Apple in a browser (Apple calls redirect_uri); to re-post here paste {}`
			}},
		Stage{Component: ComponentPlexSource, Name: "Plex login", Browser: true,
			Description: "Hands the login to plex.tv with a PIN; the source callback continues the flow.",
			form: func(c *Challenge, f *Form) {
				f.addContext("Client ID", c.String("client_id"))
				f.addContext("Source", c.String("slug"))
				f.Hint = `Authorise the Plex PIN in a browser (the source callback continues the flow); to re-post here paste {}`
			}},
		Stage{Component: ComponentTelegram, Name: "Telegram login", Browser: true,
			Description: "The Telegram login widget signs the user in; its signed user data is the answer.",
			form: func(c *Challenge, f *Form) {
				f.addContext("Bot", c.String("bot_username"))
				f.Hint = `Log in with the Telegram widget for the bot, then paste its user object {"id": 1, "first_name": "...", "username": "...", "auth_date": 1700000000, "hash": "..."}`
			}},
		Stage{Component: ComponentFrame, Name: "Embedded page", Browser: true,
			Description: "Shows a URL in an iframe; the page reports back to the flow itself.",
			form: func(c *Challenge, f *Form) {
				f.addContext("URL", c.String("url"))
				f.addContext("Loading text", c.String("loading_text"))
				f.Hint = `Open the URL in a browser and finish there; to continue here paste {}`
			}},
		Stage{Component: ComponentIframeLogout, Name: "Front-channel logout", Browser: true,
			Description: "Loads each application's logout URL in a hidden iframe, then continues.",
			form: func(c *Challenge, f *Form) {
				var urls []map[string]any
				_ = c.Get("logout_urls", &urls)
				for _, u := range urls {
					f.addContext("Logout URL", logoutURL(u))
				}
				f.Hint = `Open the logout URLs in a browser if needed, then paste {} to continue`
			}},
		Stage{Component: ComponentSAMLLogout, Name: "SAML logout", Browser: true,
			Description: "Posts a SAML LogoutRequest to a service provider through the browser.",
			form: func(c *Challenge, f *Form) {
				f.addContext("Provider", c.String("provider_name"))
				f.addContext("Binding", c.String("binding"))
				f.addContext("Post URL", c.String("post_url"))
				f.addContext("Redirect URL", c.String("redirect_url"))
				f.addContext("Relay state", c.String("relay_state"))
				if c.Bool("is_complete") {
					f.addContext("Status", "logout complete")
				}
				f.Hint = `The browser sends the SAMLRequest to the provider; paste {} to continue`
			}},
		Stage{Component: ComponentEndpointAgent, Name: "Endpoint agent", Browser: true,
			Description: "The authentik endpoint agent on this device signs a challenge to prove the device.",
			form: func(c *Challenge, f *Form) {
				f.addContext("Challenge", c.String("challenge"))
				f.Hint = `Have the endpoint agent sign the challenge, then paste {"response": "<the agent's signed response>"}`
			}},
		Stage{Component: ComponentDeviceCode, Name: "Device code",
			Description: "Asks for the code a device (TV, CLI) shows, to log that device in.",
			form: func(c *Challenge, f *Form) {
				f.Fields = []Field{{Key: "code", Label: "Device code", Kind: KindCode, Required: true,
					Help: "The code shown on the device you are logging in."}}
			}},
	)
}

// logoutURL picks the URL out of one logout_urls entry, whatever it is called.
func logoutURL(entry map[string]any) string {
	for _, k := range []string{"url", "logout_url", "href"} {
		if s, ok := entry[k].(string); ok && s != "" {
			if name, ok := entry["provider_name"].(string); ok && name != "" {
				return name + ": " + s
			}
			return s
		}
	}
	b, _ := json.Marshal(entry)
	return strings.TrimSpace(string(b))
}
