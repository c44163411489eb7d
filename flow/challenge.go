// Package flow is authentik's flow vocabulary: challenges as the executor
// sends them, the catalog of stage components, and the answer bodies a client
// sends back. It does no I/O.
package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// Well-known component names (the `component` discriminator).
const (
	ComponentRedirect      = "xak-flow-redirect"
	ComponentShell         = "xak-flow-shell"
	ComponentFrame         = "xak-flow-frame"
	ComponentAccessDenied  = "ak-stage-access-denied"
	ComponentFlowError     = "ak-stage-flow-error"
	ComponentSessionEnd    = "ak-stage-session-end"
	ComponentAutosubmit    = "ak-stage-autosubmit"
	ComponentIdentify      = "ak-stage-identification"
	ComponentPassword      = "ak-stage-password"
	ComponentValidate      = "ak-stage-authenticator-validate"
	ComponentTOTPSetup     = "ak-stage-authenticator-totp"
	ComponentStaticSetup   = "ak-stage-authenticator-static"
	ComponentConsent       = "ak-stage-consent"
	ComponentPrompt        = "ak-stage-prompt"
	ComponentUserLogin     = "ak-stage-user-login"
	ComponentDummy         = "ak-stage-dummy"
	ComponentEmail         = "ak-stage-email"
	ComponentCaptcha       = "ak-stage-captcha"
	ComponentDuoSetup      = "ak-stage-authenticator-duo"
	ComponentWebAuthnSetup = "ak-stage-authenticator-webauthn"
	ComponentSMSSetup      = "ak-stage-authenticator-sms"
	ComponentEmailSetup    = "ak-stage-authenticator-email"
	ComponentEndpointAgent = "ak-stage-endpoint-agent"
	ComponentDeviceCode    = "ak-provider-oauth2-device-code"
	ComponentDeviceDone    = "ak-provider-oauth2-device-code-finish"
	ComponentIframeLogout  = "ak-provider-iframe-logout"
	ComponentSAMLLogout    = "ak-provider-saml-native-logout"
	ComponentAppleSource   = "ak-source-oauth-apple"
	ComponentPlexSource    = "ak-source-plex"
	ComponentTelegram      = "ak-source-telegram"
)

// NonFieldErrors is the response_errors key for errors that belong to no field.
const NonFieldErrors = "non_field_errors"

// ErrorDetail is one DRF error message as authentik serialises it.
type ErrorDetail struct {
	String string `json:"string"`
	Code   string `json:"code"`
}

// FlowInfo is the challenge's flow_info (ContextualFlowInfo).
type FlowInfo struct {
	Title      string `json:"title,omitempty"`
	Background string `json:"background,omitempty"`
	CancelURL  string `json:"cancel_url,omitempty"`
	Layout     string `json:"layout,omitempty"`
}

// Challenge is one decoded executor response body. Raw keeps the exact bytes
// the server sent; the typed fields are the parts every stage shares.
type Challenge struct {
	Raw               json.RawMessage
	Component         string
	Type              string // legacy native|shell|redirect, "" from 2024.8 on
	FlowInfo          *FlowInfo
	ResponseErrors    map[string][]ErrorDetail
	PendingUser       string
	PendingUserAvatar string
	// Fields holds every top-level key of the body, for stage-specific reads.
	Fields map[string]json.RawMessage
}

// ErrNotJSON is returned (wrapped) when a body is not a JSON object.
var ErrNotJSON = errors.New("not a JSON object")

// ErrNoComponent is returned when a JSON object has no component.
var ErrNoComponent = errors.New("no component")

// Decode reads an executor response body. Unknown components decode fine;
// see Known. A body that is not a JSON object, or has no string component,
// is an error.
func Decode(body []byte) (*Challenge, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("%w: body starts with %q", ErrNotJSON, preview(trimmed))
	}
	if !json.Valid(trimmed) {
		var v any
		err := json.Unmarshal(trimmed, &v) // for the message: where and why
		return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	raw := append(json.RawMessage(nil), trimmed...)
	fields, err := topLevelFields(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	c := &Challenge{Raw: raw, Fields: fields}
	if err := unmarshalIfPresent(fields, "component", &c.Component); err != nil || c.Component == "" {
		return nil, ErrNoComponent
	}
	// The remaining shared keys are read leniently: a stage that sends an
	// odd shape for one of them is still a challenge worth showing.
	_ = unmarshalIfPresent(fields, "type", &c.Type)
	_ = unmarshalIfPresent(fields, "flow_info", &c.FlowInfo)
	_ = unmarshalIfPresent(fields, "response_errors", &c.ResponseErrors)
	_ = unmarshalIfPresent(fields, "pending_user", &c.PendingUser)
	_ = unmarshalIfPresent(fields, "pending_user_avatar", &c.PendingUserAvatar)
	return c, nil
}

func unmarshalIfPresent(fields map[string]json.RawMessage, key string, v any) error {
	raw, ok := fields[key]
	if !ok || string(raw) == "null" {
		return nil
	}
	return json.Unmarshal(raw, v)
}

func preview(b []byte) string {
	const max = 40
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// Known reports whether the component is in the catalog.
func (c *Challenge) Known() bool {
	_, ok := Lookup(c.Component)
	return ok
}

// Terminal reports whether the challenge ends the flow (no answer is posted).
func (c *Challenge) Terminal() bool {
	s, ok := Lookup(c.Component)
	return ok && s.Terminal
}

// String reads a top-level string field; "" when absent or not a string.
func (c *Challenge) String(key string) string {
	var s string
	_ = unmarshalIfPresent(c.Fields, key, &s)
	return s
}

// Bool reads a top-level boolean field; false when absent or not a bool.
func (c *Challenge) Bool(key string) bool {
	var b bool
	_ = unmarshalIfPresent(c.Fields, key, &b)
	return b
}

// Get decodes a top-level field into v; absent or null leaves v untouched.
func (c *Challenge) Get(key string, v any) error {
	return unmarshalIfPresent(c.Fields, key, v)
}

// Errors returns the response errors of one field.
func (c *Challenge) Errors(field string) []ErrorDetail { return c.ResponseErrors[field] }

// NonFieldErrors returns the errors that belong to no field.
func (c *Challenge) NonFieldErrors() []ErrorDetail { return c.ResponseErrors[NonFieldErrors] }

// ErrorFields lists the fields with errors, sorted, non_field_errors excluded.
func (c *Challenge) ErrorFields() []string {
	var keys []string
	for k := range c.ResponseErrors {
		if k != NonFieldErrors {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// ShortComponent is the component without its ak-stage-/xak-flow- prefix,
// for narrow columns: "identification", "redirect".
func ShortComponent(component string) string {
	for _, p := range []string{"ak-stage-", "xak-flow-", "ak-provider-", "ak-source-"} {
		if len(component) > len(p) && component[:len(p)] == p {
			return component[len(p):]
		}
	}
	return component
}

// informationalCodes are response_errors codes that report what the stage
// did rather than what was wrong: authentik's email stage answers with
// non_field_errors [{"code": "email-sent"}] when it sent the mail
// (authentik/stages/email/stage.py).
var informationalCodes = map[string]bool{"email-sent": true}

// Informational reports an error detail that is news, not a failure.
func (e ErrorDetail) Informational() bool { return informationalCodes[e.Code] }

// Rejected reports a challenge that came back with response_errors other
// than informational ones: the answer before it was refused.
func (c *Challenge) Rejected() bool {
	if c == nil {
		return false
	}
	for _, errs := range c.ResponseErrors {
		for _, e := range errs {
			if !e.Informational() {
				return true
			}
		}
	}
	return false
}
