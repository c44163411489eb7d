package sim

// FlowDesc names a demo flow for the banner and the CLI.
type FlowDesc struct{ Slug, Title, Description string }

// flowDef is a Flow with its stage bindings.
type flowDef struct {
	slug        string
	title       string
	description string
	designation string // authentication, enrollment, authorization, stage_configuration
	// needsUser is a policy bound to the flow: only for authenticated users.
	needsUser bool
	stages    func() []stage
}

func (f *flowDef) pk() string { return uuidFor("flow", f.slug) }

// Flows lists the demo flows in banner order.
func (s *Server) Flows() []FlowDesc {
	out := make([]FlowDesc, 0, len(s.flowOrder))
	for _, slug := range s.flowOrder {
		f := s.flows[slug]
		out = append(out, FlowDesc{Slug: f.slug, Title: f.title, Description: f.description})
	}
	return out
}

func (s *Server) addFlow(f *flowDef) {
	if s.flows == nil {
		s.flows = map[string]*flowDef{}
	}
	s.flows[f.slug] = f
	s.flowOrder = append(s.flowOrder, f.slug)
}

func (s *Server) installFlows() {
	s.addFlow(&flowDef{
		slug: "default-authentication-flow", title: "Welcome to authentik!", designation: "authentication",
		description: "identification → password → MFA (TOTP/static, users with devices) → login on GET",
		stages: func() []stage {
			st := []stage{identificationStage{userFields: []string{"username", "email"}}}
			if s.opts.Variant == VariantDummyBeforePassword {
				st = append(st, dummyStage{name: "Changed stage"})
			}
			return append(st, passwordStage{}, validateStage{classes: []string{"totp", "static"}}, userLoginStage{})
		},
	})
	s.addFlow(&flowDef{
		slug: "default-enrollment-flow", title: "Create your account", designation: "enrollment",
		description: "a prompt with every field type → user-write → user-login (remember me, logs in on POST)",
		stages: func() []stage {
			return []stage{enrollmentPrompt(), userWriteStage{}, userLoginStage{rememberMe: true}}
		},
	})
	s.addFlow(&flowDef{
		slug: "default-provider-authorization-explicit-consent", title: "Redirecting to Demo Application",
		designation: "authorization", needsUser: true,
		description: "consent for a logged-in session; its POST needs the CSRF header",
		stages:      func() []stage { return []stage{consentStage{}} },
	})
	s.addFlow(&flowDef{
		slug: "default-denied", title: "Restricted area", designation: "authentication",
		description: "a deny stage: access denied (a logged-in session skips an authentication flow, as in authentik)",
		stages:      func() []stage { return []stage{denyStage{}} },
	})
	s.addFlow(&flowDef{
		slug: "broken-flow", title: "Broken flow", designation: "authorization",
		description: "a dummy stage, then a stage that crashes (flow error; traceback for superusers)",
		stages:      func() []stage { return []stage{dummyStage{name: "Before the crash"}, crashStage{}} },
	})
	s.addFlow(&flowDef{
		slug: "duo-push", title: "Duo push", designation: "authentication",
		description: "identification with password → Duo push that blocks a few seconds → login",
		stages: func() []stage {
			return []stage{
				identificationStage{userFields: []string{"username"}, passwordFields: true},
				validateStage{classes: []string{"duo"}},
				userLoginStage{},
			}
		},
	})
	s.addFlow(&flowDef{
		slug: "default-authenticator-totp-setup", title: "Set up two-factor authentication",
		designation: "stage_configuration", needsUser: true,
		description: "for a logged-in user: TOTP setup (otpauth URI, code check) → static recovery codes",
		stages:      func() []stage { return []stage{totpSetupStage{}, staticSetupStage{}} },
	})
	s.addFlow(&flowDef{
		slug: "hologram-flow", title: "Hologram", designation: "authorization",
		description: "a component authentik does not have (ak-stage-hologram); any JSON answer continues",
		stages:      func() []stage { return []stage{hologramStage{}} },
	})
}
