package flow

// This file is the contract between the catalog and its users (the TUI form,
// `akinspect run`, replay). The catalog itself lives in catalog.go.

// Kind is how a form field is edited and how its value is encoded.
type Kind int

const (
	KindText     Kind = iota // free text, sent as a JSON string
	KindTextArea             // multi-line text, JSON string
	KindSecret               // masked text (passwords), JSON string
	KindCode                 // a one-time code; JSON string or integer by schema version
	KindNumber               // integer
	KindBool                 // checkbox / toggle, JSON bool
	KindChoice               // one of Choices, JSON string (Value)
	KindDate                 // YYYY-MM-DD
	KindDateTime             // ISO 8601
	KindJSON                 // raw JSON value pasted by the person (WebAuthn assertions, captcha tokens objects)
	KindFile                 // data URI
	KindReadOnly             // shown, never sent (static, hidden, read-only prompt fields)
)

// Choice is one option of a KindChoice field.
type Choice struct {
	Value string
	Label string
}

// Field is one input of an answer form.
type Field struct {
	Key         string // JSON key in the answer body
	Label       string
	Kind        Kind
	Required    bool
	Secret      bool // redact its value in anything written to disk
	Help        string
	Placeholder string
	Initial     string // pre-filled value (prompt initial_value, consent token, ...)
	Choices     []Choice
	// Omit sends nothing for this field when its value is empty.
	Omit bool
}

// ContextLine is one piece of stage context shown above a form:
// "User: akadmin", "Permissions: openid, email", "Setup URL: otpauth://...".
type ContextLine struct {
	Label string
	Value string
}

// Form is what a person fills in to answer one challenge.
type Form struct {
	Component string
	Title     string        // the stage's human name: "Password", "Consent"
	Context   []ContextLine // what the stage tells the person
	Fields    []Field
	// Terminal: no answer is posted; Result explains the outcome.
	Terminal bool
	Result   *Result
	// Raw: the stage needs a browser (WebAuthn, captcha widget, source
	// login); the person pastes a JSON answer body. Hint says what to paste.
	Raw  bool
	Hint string
	// Unknown: the component is not in the catalog.
	Unknown bool
}

// Outcome classifies a terminal challenge.
type Outcome int

const (
	OutcomeNone Outcome = iota
	OutcomeSuccess
	OutcomeDenied
	OutcomeError
	OutcomeSessionEnd
	OutcomeShell
	OutcomeAutosubmit
)

// Result describes a terminal challenge for the person.
type Result struct {
	Outcome   Outcome
	Headline  string // "Flow finished", "Access denied", "Flow error"
	Message   string // redirect target, error_message, error
	Detail    string // traceback, shell HTML as text, autosubmit attrs
	RequestID string // flow-error request_id
}

// Version is the authentik schema generation an answer is built for. It
// decides JSON types where the schemas disagree (the TOTP setup code).
type Version string

const (
	Version2023_10 Version = "2023.10.5"
	Version2024_12 Version = "2024.12.3"
	Version2025_10 Version = "2025.10.4"
	Version2026_2  Version = "2026.2.2"
	// VersionLatest is assumed when nothing says otherwise.
	VersionLatest = Version2026_2
)

// Versions lists every schema version the project is checked against.
var Versions = []Version{Version2023_10, Version2024_12, Version2025_10, Version2026_2}

// Answer is an answer body ready to POST, with the keys whose values are
// secret so that a recorder can redact them.
type Answer struct {
	Component string
	Body      []byte   // {"component": ..., fields...}
	Secrets   []string // top-level keys holding secrets
}
