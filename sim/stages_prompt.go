package sim

import (
	"encoding/json"
	"net/mail"
	"regexp"
	"slices"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// promptField is one Prompt bound to the prompt stage.
type promptField struct {
	key, label, typ      string
	required             bool
	placeholder, initial string
	subText              string
	choices              []string
}

type promptStage struct {
	name   string
	fields []promptField
}

// enrollmentPrompt uses most prompt types so a client's form handles them.
func enrollmentPrompt() promptStage {
	return promptStage{name: "default-enrollment-prompt", fields: []promptField{
		{key: "welcome", label: "Welcome", typ: "static", initial: "<p>Welcome to the demo. Every field type authentik has is below.</p>"},
		{key: "username", label: "Username", typ: "username", required: true, placeholder: "Username"},
		{key: "name", label: "Name", typ: "text", required: true, placeholder: "Name"},
		{key: "email", label: "Email", typ: "email", required: true, placeholder: "Email"},
		{key: "password", label: "Password", typ: "password", required: true, placeholder: "Password"},
		{key: "password_repeat", label: "Password (repeat)", typ: "password", required: true, placeholder: "Password (repeat)"},
		{key: "section", label: "About you", typ: "separator"},
		{key: "age", label: "Age", typ: "number", placeholder: "Age", subText: "Whole years."},
		{key: "colour", label: "Favourite colour", typ: "radio-button-group", required: true, choices: []string{"red", "green", "blue"}, initial: "green"},
		{key: "team", label: "Team", typ: "dropdown", required: true, choices: []string{"platform", "security", "support"}},
		{key: "birthday", label: "Birthday", typ: "date"},
		{key: "reminder", label: "Remind me at", typ: "date-time"},
		{key: "bio", label: "About me", typ: "text_area", placeholder: "A few words"},
		{key: "newsletter", label: "Send me the newsletter", typ: "checkbox"},
		{key: "plan", label: "Plan", typ: "text_read_only", initial: "free"},
		{key: "source", label: "Source", typ: "hidden", initial: "akinspect-demo"},
	}}
}

func (st promptStage) meta() stageMeta {
	return stageMeta{st.name, flow.ComponentPrompt, "Prompt Stage", "authentik_stages_prompt.promptstage"}
}

func (st promptStage) get(*run) outcome {
	fields := make([]object, 0, len(st.fields))
	for i, p := range st.fields {
		var choices any
		if p.choices != nil {
			list := make([]object, len(p.choices))
			for j, c := range p.choices {
				list[j] = object{{"value", c}, {"label", c}}
			}
			choices = list
		}
		fields = append(fields, object{
			{"field_key", p.key}, {"label", p.label}, {"type", p.typ}, {"required", p.required},
			{"placeholder", p.placeholder}, {"initial_value", p.initial}, {"order", i},
			{"sub_text", p.subText}, {"choices", choices},
		})
	}
	return show(object{{"component", flow.ComponentPrompt}, {"fields", fields}})
}

var (
	reDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dateLayout = "2006-01-02"
)

func (st promptStage) post(x *run, body map[string]json.RawMessage) outcome {
	f := newForm(body)
	data := object{}
	var passwords []string
	for _, p := range st.fields {
		v, ok := st.validateField(x, f, p)
		if !ok {
			continue
		}
		data = append(data, kv{p.key, v})
		if p.typ == "password" {
			passwords = append(passwords, v.(string))
		}
	}
	if !f.failed() && len(passwords) > 1 && slices.ContainsFunc(passwords, func(p string) bool { return p != passwords[0] }) {
		f.nonField("Passwords don't match.", "invalid")
	}
	if f.failed() {
		return invalid(f)
	}
	x.plan.ctx.promptData = data
	return ok()
}

// validateField applies the DRF field a prompt type maps to.
func (st promptStage) validateField(x *run, f *form, p promptField) (any, bool) {
	switch p.typ {
	case "static", "hidden", "text_read_only", "text_area_read_only":
		return p.initial, true // the server keeps its own value
	case "separator":
		return nil, false
	case "number":
		return f.integer(p.key, p.required)
	case "checkbox":
		return f.boolean(p.key, false)
	case "radio-button-group", "dropdown":
		v, ok := f.present(p.key, p.required, false)
		if !ok {
			return nil, false
		}
		s, isStr := v.(string)
		if !isStr || !slices.Contains(p.choices, s) {
			f.add(p.key, `"`+pyStr(v)+`" is not a valid choice.`, "invalid_choice")
			return nil, false
		}
		return s, true
	}
	trim := p.typ != "password"
	s, ok := f.str(p.key, p.required, false, !p.required, trim)
	if !ok || s == "" {
		return s, ok
	}
	switch p.typ {
	case "email":
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			f.add(p.key, "Enter a valid email address.", "invalid")
			return nil, false
		}
	case "username":
		if x.s.usernameTaken(s) {
			f.add(p.key, "Username is already taken.", "invalid")
			return nil, false
		}
	case "date":
		if _, err := time.Parse(dateLayout, s); err != nil || !reDate.MatchString(s) {
			f.add(p.key, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.", "invalid")
			return nil, false
		}
	case "date-time":
		if !validDateTime(s) {
			f.add(p.key, "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].", "invalid")
			return nil, false
		}
	}
	return s, true
}

func validDateTime(s string) bool {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05.999999"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// pyStr renders a JSON value as Python's str() would in DRF's message.
func pyStr(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		if t {
			return "True"
		}
		return "False"
	case json.Number:
		return t.String()
	default:
		b, _ := json.Marshal(t)
		return string(b)
	}
}

// userWriteStage creates the user from the prompt data (no challenge).
type userWriteStage struct{}

func (userWriteStage) meta() stageMeta {
	return stageMeta{"default-enrollment-user-write", "", "User Write Stage", "authentik_stages_user_write.userwritestage"}
}

func (userWriteStage) get(x *run) outcome {
	d := x.plan.ctx.promptData
	str := func(k string) string { v, _ := d.get(k); s, _ := v.(string); return s }
	if str("username") == "" {
		return deny("No Pending data.")
	}
	x.s.dataMu.Lock()
	x.s.nextPK++
	a := &account{pk: x.s.nextPK, username: str("username"), name: str("name"), email: str("email"), password: str("password")}
	x.s.accounts = append(x.s.accounts, a)
	x.s.dataMu.Unlock()
	x.plan.ctx.pendingUser = a
	return ok()
}

func (st userWriteStage) post(x *run, _ map[string]json.RawMessage) outcome { return st.get(x) }
