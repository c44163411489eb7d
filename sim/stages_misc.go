package sim

import (
	"encoding/json"
	"errors"

	"github.com/akinspect/akinspect/flow"
)

// consentStage is explicit consent for the demo application.
type consentStage struct{}

const msgConsentToken = "Invalid consent token, re-showing prompt"

func (consentStage) meta() stageMeta {
	return stageMeta{"default-provider-authorization-consent", flow.ComponentConsent,
		"Consent Stage", "authentik_stages_consent.consentstage"}
}

// get issues a fresh token each time, as authentik stores one per render.
func (consentStage) get(x *run) outcome {
	x.plan.ctx.consentToken = uuidFor("consent", randomHex(16))
	c := object{{"component", flow.ComponentConsent}}
	c = append(c, x.userInfo()...)
	return show(append(c,
		kv{"header_text", "Demo Application wants to access your account."},
		kv{"permissions", []object{
			{{"id", "openid"}, {"name", "Access your user ID"}},
			{{"id", "email"}, {"name", "Read your email address"}},
			{{"id", "profile"}, {"name", "Read your name, username and groups"}},
		}},
		kv{"additional_permissions", []object{}},
		kv{"token", x.plan.ctx.consentToken},
	))
}

func (consentStage) post(x *run, body map[string]json.RawMessage) outcome {
	f := newForm(body)
	token, _ := f.str("token", true, false, false, true)
	if f.failed() {
		return invalid(f)
	}
	if token != x.plan.ctx.consentToken {
		f.add("token", msgConsentToken, "invalid")
		return invalid(f)
	}
	return ok()
}

// denyStage always denies.
type denyStage struct{}

const msgDenied = "Access to this area is restricted to the on-call team."

func (denyStage) meta() stageMeta {
	return stageMeta{"restricted-area-deny", "", "Deny Stage", "authentik_stages_deny.denystage"}
}
func (denyStage) get(*run) outcome                              { return deny(msgDenied) }
func (denyStage) post(*run, map[string]json.RawMessage) outcome { return deny(msgDenied) }

// dummyStage shows ak-stage-dummy and continues on any answer.
type dummyStage struct{ name string }

func (st dummyStage) meta() stageMeta {
	return stageMeta{st.name, flow.ComponentDummy, "Dummy Stage", "authentik_stages_dummy.dummystage"}
}
func (st dummyStage) get(*run) outcome {
	return show(object{{"component", flow.ComponentDummy}, {"name", st.name}})
}
func (dummyStage) post(*run, map[string]json.RawMessage) outcome { return ok() }

// crashStage raises inside the stage view, as a broken expression would.
type crashStage struct{}

const crashTraceback = `Traceback (most recent call last):
  File "/authentik/flows/views/executor.py", line 283, in get
    stage_response = self.current_stage_view.dispatch(request)
  File "/authentik/stages/prompt/stage.py", line 241, in get_challenge
    fields = self.get_prompt_fields()
  File "/authentik/policies/expression/evaluator.py", line 112, in evaluate
    result = eval(expression_source, self._globals, self._context)
  File "<expression>", line 1, in <module>
ZeroDivisionError: division by zero
`

func (crashStage) meta() stageMeta {
	return stageMeta{"Crashing stage", flow.ComponentPrompt, "Prompt Stage", "authentik_stages_prompt.promptstage"}
}
func (crashStage) get(*run) outcome { return crash(errors.New("division by zero"), crashTraceback) }
func (crashStage) post(*run, map[string]json.RawMessage) outcome {
	return crash(errors.New("division by zero"), crashTraceback)
}

// hologramStage emits a component authentik does not have.
type hologramStage struct{}

// ComponentHologram is not in any authentik schema, on purpose.
const ComponentHologram = "ak-stage-hologram"

func (hologramStage) meta() stageMeta {
	return stageMeta{"hologram", ComponentHologram, "Hologram Stage", "authentik_stages_hologram.hologramstage"}
}
func (hologramStage) get(x *run) outcome {
	c := object{{"component", ComponentHologram}}
	c = append(c, x.userInfo()...)
	return show(append(c, kv{"projection", "a rotating blue authentik logo"}, kv{"frequency_hz", 60}))
}
func (hologramStage) post(*run, map[string]json.RawMessage) outcome { return ok() }
