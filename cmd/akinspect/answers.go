package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
)

// answers are the values a headless run answers stages with. A key is a
// field key ("password") or a field key scoped to a stage
// ("password.password", "ak-stage-password.password"); the scoped key wins.
// A value "env:NAME" is read from the environment when it is used, and
// "totp:SECRET" (or "totp:env:NAME") is a TOTP code computed from a base32
// secret at that moment,
// so that secrets stay out of shell history and codes are always fresh.
type answers map[string]string

// readAnswersFile reads either a JSON object or key=value lines (# comments).
func readAnswersFile(path string) (answers, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a := answers{}
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		var obj map[string]any
		if err := json.Unmarshal(trimmed, &obj); err != nil {
			return nil, fmt.Errorf("%s: not a JSON object: %v", path, err)
		}
		for k, v := range obj {
			switch v := v.(type) {
			case string:
				a[k] = v
			default:
				b, _ := json.Marshal(v)
				a[k] = string(b)
			}
		}
		return a, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := a.set(line); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
	}
	return a, sc.Err()
}

// set adds one "key=value" pair.
func (a answers) set(pair string) error {
	k, v, ok := strings.Cut(pair, "=")
	if !ok || strings.TrimSpace(k) == "" {
		// Not quoted back: what was typed may be the secret itself.
		return errors.New("an answer is not key=value (e.g. password=env:AK_PASSWORD)")
	}
	a[strings.TrimSpace(k)] = v
	return nil
}

// with is a copy of a with one more answer.
func (a answers) with(key, spec string) answers {
	b := make(answers, len(a)+1)
	for k, v := range a {
		b[k] = v
	}
	b[key] = spec
	return b
}

// lookup finds the raw spec for a field of a stage.
func (a answers) lookup(component, key string) (string, bool) {
	for _, k := range []string{component + "." + key, flow.ShortComponent(component) + "." + key, key} {
		if v, ok := a[k]; ok {
			return v, true
		}
	}
	return "", false
}

// resolve turns a value spec into the value to send.
func resolve(spec string, now time.Time) (string, error) {
	if rest, ok := strings.CutPrefix(spec, "totp:"); ok {
		secret, err := fromEnv(rest)
		if err != nil {
			return "", err
		}
		return flow.TOTP(secret, now)
	}
	return fromEnv(spec)
}

// fromEnv reads "env:NAME" from the environment and returns any other spec
// as it is, so that a secret can stay out of argv (ps, shell history, CI logs).
func fromEnv(spec string) (string, error) {
	name, ok := strings.CutPrefix(spec, "env:")
	if !ok {
		return spec, nil
	}
	v, set := os.LookupEnv(name)
	if !set {
		return "", fmt.Errorf("environment variable %s is not set", name)
	}
	return v, nil
}

// missingAnswer says which answer a stage needed and did not get.
type missingAnswer struct {
	component string
	fields    []string
}

func (m *missingAnswer) Error() string {
	return fmt.Sprintf("stage %s needs %s: pass --set %s=... (or put it in --answers)",
		termsafe.Line(m.component), termsafe.Line(strings.Join(m.fields, ", ")), termsafe.Line(m.fields[0]))
}

// valuesFor fills a form from the answers. Fields with an initial value
// (the consent token) and booleans need no answer; a required field with
// neither is reported as missing.
func (a answers) valuesFor(form flow.Form, now time.Time) (map[string]string, error) {
	values := map[string]string{}
	if form.Raw {
		spec, ok := a.lookup(form.Component, "body")
		if !ok {
			return map[string]string{}, &missingAnswer{component: form.Component, fields: []string{"body"}}
		}
		v, err := resolve(spec, now)
		if err != nil {
			return nil, err
		}
		values[""] = v
		return values, nil
	}
	var missing []string
	for _, f := range form.Fields {
		if f.Kind == flow.KindReadOnly {
			continue
		}
		if spec, ok := a.lookup(form.Component, f.Key); ok {
			v, err := resolve(spec, now)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", f.Key, err)
			}
			values[f.Key] = v
			continue
		}
		switch {
		case f.Initial != "":
			values[f.Key] = f.Initial
		case f.Kind == flow.KindChoice && len(f.Choices) == 1:
			values[f.Key] = f.Choices[0].Value
		case f.Required && f.Kind != flow.KindBool:
			missing = append(missing, f.Key)
		}
	}
	if len(missing) > 0 {
		// The values found come along, for a caller that sends anyway.
		return values, &missingAnswer{component: form.Component, fields: missing}
	}
	return values, nil
}
