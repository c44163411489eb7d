package model

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Key overrides: the [keys] table of the config file maps an action (a
// KeyMap field in snake_case) to the keys that do it instead of its
// defaults, spelled as tea.KeyMsg.String() spells them.

// KeyAction is one action of the key map as the config file names it.
type KeyAction struct {
	Name string   // snake_case of the KeyMap field: "zoom", "new_session"
	Keys []string // the default keys
	Desc string   // what it does (the help's text)
	// Fixed says why the action's keys cannot be changed; "" when they can.
	Fixed string
}

// keyActions is every KeyMap field, in the README's order. Fixed actions
// keep their keys because the panes (views/) or the root handle the same
// key on their own: changing only the root's half would split one key's
// meaning.
var keyActions = []struct {
	name  string
	field func(*KeyMap) *key.Binding
	fixed string
}{
	{"help", func(k *KeyMap) *key.Binding { return &k.Help }, ""},
	{"quit", func(k *KeyMap) *key.Binding { return &k.Quit }, ""},
	{"force_quit", func(k *KeyMap) *key.Binding { return &k.ForceQuit }, ""},
	{"palette", func(k *KeyMap) *key.Binding { return &k.Palette }, ""},
	{"raw", func(k *KeyMap) *key.Binding { return &k.Raw }, ""},
	{"search", func(k *KeyMap) *key.Binding { return &k.Search }, ""},
	{"zoom", func(k *KeyMap) *key.Binding { return &k.Zoom }, ""},
	{"copy", func(k *KeyMap) *key.Binding { return &k.Copy }, ""},
	{"copy_curl", func(k *KeyMap) *key.Binding { return &k.CopyCurl }, ""},
	{"live", func(k *KeyMap) *key.Binding { return &k.Live }, ""},
	{"restart", func(k *KeyMap) *key.Binding { return &k.Restart }, ""},
	{"new_session", func(k *KeyMap) *key.Binding { return &k.NewSession }, ""},
	{"flows", func(k *KeyMap) *key.Binding { return &k.Flows }, ""},
	{"banner", func(k *KeyMap) *key.Binding { return &k.Banner }, ""},
	{"mark", func(k *KeyMap) *key.Binding { return &k.Mark }, ""},
	{"diff", func(k *KeyMap) *key.Binding { return &k.Diff }, ""},
	{"diff_run", func(k *KeyMap) *key.Binding { return &k.DiffRun }, ""},
	{"next_stage", func(k *KeyMap) *key.Binding { return &k.NextStage }, ""},
	{"prev_stage", func(k *KeyMap) *key.Binding { return &k.PrevStage }, ""},
	{"hidden", func(k *KeyMap) *key.Binding { return &k.Hidden }, ""},
	{"next_hit", func(k *KeyMap) *key.Binding { return &k.NextHit }, ""},
	{"prev_hit", func(k *KeyMap) *key.Binding { return &k.PrevHit }, ""},
	{"next_pane", func(k *KeyMap) *key.Binding { return &k.NextPane }, "tab also moves through the form's fields"},
	{"prev_pane", func(k *KeyMap) *key.Binding { return &k.PrevPane }, "shift+tab also moves through the form's fields"},
	{"submit", func(k *KeyMap) *key.Binding { return &k.Submit }, "the form sends itself on its own ctrl+s while you type"},
	{"cancel", func(k *KeyMap) *key.Binding { return &k.Cancel }, "esc also closes overlays, searches and text fields"},
	{"editor", func(k *KeyMap) *key.Binding { return &k.Editor }, "the details pane opens $EDITOR on its own e"},
	{"editor_while_typing", func(k *KeyMap) *key.Binding { return &k.EditorWhileTyping }, "it is the editor key's ctrl+o"},
}

// KeyActions lists the actions of the [keys] table with their default
// keys, overridable ones first.
func KeyActions() []KeyAction {
	d := DefaultKeyMap()
	out := make([]KeyAction, 0, len(keyActions))
	for _, a := range keyActions {
		b := a.field(&d)
		out = append(out, KeyAction{Name: a.name, Keys: b.Keys(), Desc: b.Help().Desc, Fixed: a.fixed})
	}
	return out
}

// sharedKeys are pairs of actions that may hold the same key: they are
// one action in two situations.
var sharedKeys = map[[2]string]bool{{"editor", "editor_while_typing"}: true}

// worksWhileTyping are the actions matched before a text field gets the
// key: a printable key there could no longer be typed.
var worksWhileTyping = map[string]bool{"force_quit": true}

// paneKey is a key a pane handles itself. The root matches its keys
// before the focused pane sees them, so giving one of these to an action
// would take it from the pane; owner is the root action that may have it
// anyway, because it means the same there.
type paneKey struct{ pane, does, owner string }

// paneKeys mirrors the key maps of views/ (timelineKeys, detailsKeys,
// formKeys) for the keys the root does not already own.
var paneKeys = func() map[string][]paneKey {
	out := map[string][]paneKey{}
	add := func(pane, does, owner string, keys ...string) {
		for _, k := range keys {
			out[k] = append(out[k], paneKey{pane, does, owner})
		}
	}
	move := []string{"up", "k", "down", "j", "pgup", "ctrl+u", "pgdown", "ctrl+d", "home", "g", "end", "G"}
	add("timeline", "move", "", move...)
	add("timeline", "show an exchange", "", "enter")
	add("timeline", "back to live", "live", "L")
	add("details", "scroll", "", append(move, " ")...)
	add("details", "switch tabs", "", "[", "]", "1", "2", "3", "4", "5", "6", "7", "8")
	add("details", "search", "search", "/")
	add("details", "confirm a search", "", "enter")
	add("details", "go to the next search match", "", "n")
	add("details", "go to the previous search match", "", "N")
	add("form", "choose", "", "left", "right", "up", "down", "h", "j", "k", "l")
	add("form", "toggle a checkbox", "", " ")
	add("form", "reveal a secret", "", "ctrl+r")
	add("form", "go to the next required field or submit", "", "enter")
	return out
}()

// teaKeys are the names Bubble Tea gives keys other than runes ("enter",
// "ctrl+a", "pgdown", "f5", " " for space), read from its KeyType names.
var teaKeys = func() map[string]bool {
	out := map[string]bool{}
	for t := tea.KeyType(-512); t < 256; t++ {
		if s := t.String(); s != "" && t != tea.KeyRunes {
			out[s] = true
		}
	}
	return out
}()

// keyAliases are spellings people use for keys Bubble Tea names otherwise.
var keyAliases = map[string]string{
	"space": " ", "pgdn": "pgdown", "pagedown": "pgdown", "pageup": "pgup",
	"escape": "esc", "return": "enter", "del": "delete", "ins": "insert",
}

// normalKey spells a configured key as Bubble Tea does ("space" is " ").
func normalKey(k string) string {
	if k == "space" {
		return " "
	}
	return k
}

// validKey reports whether Bubble Tea can report a key as s.
func validKey(s string) bool {
	rest := strings.TrimPrefix(s, "alt+")
	if teaKeys[rest] {
		return true
	}
	r, size := utf8.DecodeRuneInString(rest)
	return size > 0 && size == len(rest) && r != utf8.RuneError && unicode.IsPrint(r)
}

// printable reports whether a key types a character into a text field.
func printable(k string) bool {
	return utf8.RuneCountInString(k) == 1
}

// keyHint suggests the spelling Bubble Tea uses for a key it never sends.
func keyHint(s string) string {
	if a, ok := keyAliases[strings.ToLower(s)]; ok {
		if a == " " {
			a = "space"
		}
		return fmt.Sprintf("; write %q", a)
	}
	if l := strings.ToLower(s); l != s && validKey(l) {
		return fmt.Sprintf("; write %q", l)
	}
	if r, ok := strings.CutPrefix(strings.ToLower(s), "shift+"); ok && utf8.RuneCountInString(r) == 1 {
		return fmt.Sprintf("; write %q", strings.ToUpper(r))
	}
	return ` (keys are spelled as Bubble Tea reports them: "z", "Z", "ctrl+z", "alt+z", "f5", "pgdown", "space")`
}

// keyHelp is a binding's help key text: its keys joined with "/".
func keyHelp(keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k
		if k == " " {
			names[i] = "space"
		}
	}
	return strings.Join(names, "/")
}

// Override gives actions the keys of overrides (action name → keys), in
// place of their defaults, and updates the help texts. It checks the
// names, the spelling of every key and that no key means two things; on
// error the key map is unchanged.
func (k *KeyMap) Override(overrides map[string][]string) error {
	if len(overrides) == 0 {
		return nil
	}
	next := *k
	index := map[string]int{}
	for i, a := range keyActions {
		index[a.name] = i
	}
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		i, ok := index[name]
		if !ok {
			return fmt.Errorf("keys.%s: no such action (actions: %s)", name, overridableNames())
		}
		a := keyActions[i]
		if a.fixed != "" {
			return fmt.Errorf("keys.%s: its keys cannot be changed: %s", name, a.fixed)
		}
		keys, err := checkKeys(name, overrides[name])
		if err != nil {
			return err
		}
		b := a.field(&next)
		b.SetKeys(keys...)
		b.SetHelp(keyHelp(keys), b.Help().Desc)
	}
	if err := next.checkConflicts(overrides); err != nil {
		return err
	}
	*k = next
	return nil
}

// checkKeys normalises and checks the keys of one action.
func checkKeys(name string, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("keys.%s: no keys (give at least one, e.g. %s = \"Z\")", name, name)
	}
	var out []string
	seen := map[string]bool{}
	for _, raw := range keys {
		if raw == "" {
			return nil, fmt.Errorf("keys.%s: an empty key", name)
		}
		k := normalKey(raw)
		if !validKey(k) {
			return nil, fmt.Errorf("keys.%s: %q is not a key a terminal sends%s", name, raw, keyHint(raw))
		}
		if worksWhileTyping[name] && textEditing[k] {
			return nil, fmt.Errorf("keys.%s: %q edits text in a field (%s works while you type, so it would take the key from the field): use another ctrl or a function key", name, raw, name)
		}
		if worksWhileTyping[name] && printable(k) {
			return nil, fmt.Errorf("keys.%s: %q would no longer type into text fields (%s works while you type): use a ctrl, alt or function key", name, raw, name)
		}
		for _, p := range paneKeys[k] {
			if p.owner != name {
				return nil, fmt.Errorf("keys.%s: %q is the %s pane's key to %s (one key, one meaning per pane)", name, raw, p.pane, p.does)
			}
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out, nil
}

// checkConflicts: the root's keys all work at once (one group), so each
// key belongs to one action, except for the pairs of sharedKeys. The error
// names an overridden action first.
func (k *KeyMap) checkConflicts(overrides map[string][]string) error {
	owner := map[string]string{}
	for _, a := range keyActions {
		for _, key := range a.field(k).Keys() {
			prev, ok := owner[key]
			if !ok {
				owner[key] = a.name
				continue
			}
			if sharedKeys[[2]string{prev, a.name}] || sharedKeys[[2]string{a.name, prev}] {
				continue
			}
			this, other := a.name, prev
			if _, over := overrides[this]; !over {
				this, other = other, this
			}
			return fmt.Errorf("keys.%s: %q is also %s's key (one key, one meaning)", this, keyHelp([]string{key}), other)
		}
	}
	return nil
}

// overridableNames lists the actions whose keys can be changed.
func overridableNames() string {
	var names []string
	for _, a := range keyActions {
		if a.fixed == "" {
			names = append(names, a.name)
		}
	}
	return strings.Join(names, ", ")
}

// CheckKeyOverrides reports what is wrong with a [keys] table, nil when
// New would apply it as it is.
func CheckKeyOverrides(overrides map[string][]string) error {
	k := DefaultKeyMap()
	return k.Override(overrides)
}

// applyKeyOverrides gives the model the keys of Options.KeyOverrides. The
// config is checked when read (CheckKeyOverrides); should a bad table
// still arrive, the default keys stay and the status line says why.
func (m *Model) applyKeyOverrides() {
	if err := m.keys.Override(m.opts.KeyOverrides); err != nil {
		m.setStatus("config: "+err.Error()+"; using the default keys", true)
	}
}

// keyName is how hints name an action's key: as its help does, so a key
// moved in the config file is named where it now is.
func keyName(b key.Binding) string { return b.Help().Key }

// textEditing are the keys a text field edits with (bubbles' textinput and
// textarea): an action that works while typing must not take them, or
// deleting a word would quit.
var textEditing = map[string]bool{
	"backspace": true, "delete": true, "ctrl+h": true, "ctrl+w": true, "ctrl+u": true, "ctrl+k": true,
	"ctrl+d": true, "ctrl+a": true, "ctrl+e": true, "ctrl+b": true, "ctrl+f": true, "ctrl+n": true,
	"ctrl+p": true, "ctrl+t": true, "ctrl+v": true, "ctrl+y": true, "home": true, "end": true,
	"left": true, "right": true, "up": true, "down": true,
	"alt+b": true, "alt+f": true, "alt+d": true, "alt+backspace": true, "alt+delete": true,
	"alt+left": true, "alt+right": true, "alt+<": true, "alt+>": true, "ctrl+left": true, "ctrl+right": true,
}
