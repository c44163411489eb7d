package sim

import "github.com/akinspect/akinspect/flow"

// Fields that 2023.10.5 does not have, by component (WIRE.md §7).
var legacyDropped = map[string][]string{
	flow.ComponentIdentify: {"flow_designation", "captcha_stage", "allow_show_password",
		"enable_remember_me", "pending_user_identifier", "application_pre_launch", "passkey_challenge"},
	flow.ComponentPassword: {"allow_show_password"},
	flow.ComponentDummy:    {"name"},
}

// legacyShape turns a 2026.2 challenge into its 2023.10 form: `type` first,
// no fields 2023.10 lacks, prompt choices as strings, devices without
// last_used, flow_info without background_themed_urls.
func legacyShape(o object, typ string) object {
	comp, _ := o.get("component")
	name, _ := comp.(string)
	o = o.without(legacyDropped[name]...)
	for i, f := range o {
		switch f.k {
		case "flow_info":
			if fi, ok := f.v.(object); ok {
				o[i].v = fi.without("background_themed_urls")
			}
		case "device_challenges":
			if list, ok := f.v.([]object); ok {
				out := make([]object, len(list))
				for j, d := range list {
					out[j] = d.without("last_used")
				}
				o[i].v = out
			}
		case "fields":
			if list, ok := f.v.([]object); ok {
				out := make([]object, len(list))
				for j, p := range list {
					out[j] = legacyPromptField(p)
				}
				o[i].v = out
			}
		}
	}
	return o.prepend("type", typ)
}

func legacyPromptField(p object) object {
	cs, ok := p.get("choices")
	list, isList := cs.([]object)
	if !ok || !isList {
		return append(object(nil), p...)
	}
	values := make([]string, len(list))
	for i, c := range list {
		v, _ := c.get("value")
		values[i], _ = v.(string)
	}
	return append(object(nil), p...).set("choices", values)
}
