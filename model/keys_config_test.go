package model

import (
	"os"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// pressKey sends a key as Bubble Tea delivers it: ctrl+f is tea.KeyCtrlF,
// not the runes "ctrl+f" (which keyMsg makes, and handleKeys splits).
func pressKey(t testing.TB, m *Model, name string) {
	t.Helper()
	msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
	rest, alt := strings.CutPrefix(name, "alt+")
	for ty := tea.KeyType(-512); ty < 256; ty++ {
		if ty != tea.KeyRunes && ty.String() == rest {
			msg = tea.KeyMsg{Type: ty, Alt: alt}
		}
	}
	if msg.String() != name {
		t.Fatalf("no key message for %q", name)
	}
	deliverPaneMsgs(m, m.update(msg))
}

func TestKeyOverridesChangeKeysAndHelp(t *testing.T) {
	k := DefaultKeyMap()
	err := k.Override(map[string][]string{
		"quit":        {"q", "ctrl+q"},
		"new_session": {"alt+n"},
		"zoom":        {"Z"},
		"copy":        {"f2"},
		"help":        {"f1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got      []string
		help     string
		wantKeys string
		wantHelp string
	}{
		{k.Quit.Keys(), k.Quit.Help().Key, "q ctrl+q", "q/ctrl+q"},
		{k.NewSession.Keys(), k.NewSession.Help().Key, "alt+n", "alt+n"},
		{k.Zoom.Keys(), k.Zoom.Help().Key, "Z", "Z"},
		{k.Copy.Keys(), k.Copy.Help().Key, "f2", "f2"},
		{k.Help.Keys(), k.Help.Help().Key, "f1", "f1"},
	} {
		if strings.Join(c.got, " ") != c.wantKeys || c.help != c.wantHelp {
			t.Errorf("keys %q help %q, want %q and %q", c.got, c.help, c.wantKeys, c.wantHelp)
		}
	}
	if k.Zoom.Help().Desc != "zoom pane" {
		t.Errorf("the description changed: %q", k.Zoom.Help().Desc)
	}
	if d := DefaultKeyMap(); k.Restart.Help() != d.Restart.Help() || strings.Join(k.Restart.Keys(), "") != "R" {
		t.Error("an action that was not overridden changed")
	}
}

func TestKeyOverrideErrorsNameTheActionAndWhatIsWrong(t *testing.T) {
	for _, c := range []struct {
		keys map[string][]string
		want string
	}{
		{map[string][]string{"zom": {"Z"}}, `keys.zom: no such action (actions: help, quit,`},
		{map[string][]string{"zoom": nil}, `keys.zoom: no keys`},
		{map[string][]string{"zoom": {""}}, `keys.zoom: an empty key`},
		{map[string][]string{"zoom": {"ctrl+shift+z"}}, `keys.zoom: "ctrl+shift+z" is not a key a terminal sends`},
		{map[string][]string{"zoom": {"Ctrl+Z"}}, `keys.zoom: "Ctrl+Z" is not a key a terminal sends; write "ctrl+z"`},
		{map[string][]string{"zoom": {"pgdn"}}, `write "pgdown"`},
		{map[string][]string{"zoom": {"shift+z"}}, `write "Z"`},
		{map[string][]string{"zoom": {"zz"}}, `"zz" is not a key a terminal sends`},
		{map[string][]string{"zoom": {"f21"}}, `"f21" is not a key`},
		{map[string][]string{"submit": {"ctrl+g"}}, `keys.submit: its keys cannot be changed`},
		{map[string][]string{"force_quit": {"x"}}, `keys.force_quit: "x" would no longer type into text fields`},
		{map[string][]string{"zoom": {"j"}}, `keys.zoom: "j" is the timeline pane's key to move`},
		{map[string][]string{"zoom": {"enter"}}, `keys.zoom: "enter" is the timeline pane's key`},
		{map[string][]string{"zoom": {"3"}}, `keys.zoom: "3" is the details pane's key to switch tabs`},
		{map[string][]string{"zoom": {"/"}}, `keys.zoom: "/" is the details pane's key to search`},
		// Conflicts, after every override: both actions are named.
		{map[string][]string{"zoom": {"y"}}, `keys.zoom: "y" is also copy's key`},
		{map[string][]string{"zoom": {"Z"}, "copy": {"Z"}}, `keys.copy: "Z" is also zoom's key`},
		{map[string][]string{"new_session": {"N"}}, `keys.new_session: "N" is the details pane's key to go to the previous search match`},
		{map[string][]string{"new_session": {"N"}, "prev_hit": {"alt+n"}}, `keys.new_session: "N" is the details pane's key`},
		// The recording's hits across exchanges are not the details pane's
		// matches in the shown one.
		{map[string][]string{"next_hit": {"n"}}, `keys.next_hit: "n" is the details pane's key to go to the next search match`},
		{map[string][]string{"prev_hit": {"N"}}, `keys.prev_hit: "N" is the details pane's key to go to the previous search match`},
		{map[string][]string{"zoom": {"space"}}, `keys.zoom: "space" is the details pane's key to scroll`},
		{map[string][]string{"quit": {"ctrl+s"}}, `keys.quit: "ctrl+s" is also submit's key`},
		{map[string][]string{"zoom": {"e"}}, `keys.zoom: "e" is also editor's key`},
		{map[string][]string{"palette": {"f2"}, "copy": {"f2", "c"}}, `keys.copy: "f2" is also palette's key`},
	} {
		err := CheckKeyOverrides(c.keys)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.keys, err, c.want)
		}
	}
}

func TestKeyOverridesThatAreFine(t *testing.T) {
	for _, keys := range []map[string][]string{
		nil,
		{"zoom": {"Z"}},
		// Moving a key frees it: z and Z change places with no conflict.
		{"zoom": {"y"}, "copy": {"z"}},
		{"quit": {"ctrl+q", "ctrl+q"}}, // a repeated key counts once
		{"force_quit": {"ctrl+q"}},     // ctrl+c may then mean nothing
		{"search": {"/", "ctrl+f"}},    // the details pane's / means search too
		{"live": {"L", "f12"}},         // the timeline's L means live too
		{"next_hit": {"alt+n"}, "prev_hit": {"alt+N"}},
		{"help": {"alt+?"}, "mark": {"M"}}, // alt+rune, another letter
		{"palette": {"ctrl+@"}},            // a control key's odd name
	} {
		if err := CheckKeyOverrides(keys); err != nil {
			t.Errorf("%v: %v", keys, err)
		}
	}
}

func TestAFailedOverrideLeavesTheKeyMapAlone(t *testing.T) {
	k := DefaultKeyMap()
	if err := k.Override(map[string][]string{"zoom": {"Z"}, "copy": {"Z"}}); err == nil {
		t.Fatal("no conflict error")
	}
	if got := k.Zoom.Keys(); len(got) != 1 || got[0] != "z" {
		t.Fatalf("zoom's keys are %q after a refused override", got)
	}
}

func TestZoomOverriddenToZ(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{KeyOverrides: map[string][]string{"zoom": {"Z"}}}, 120, 40)
	run.deliver(m, 0)
	press(t, m, "esc") // leave the text field for the timeline
	if m.capturing() || m.focus != focusTimeline {
		t.Fatalf("test premise: esc should leave the field, focus %d", m.focus)
	}
	press(t, m, "z")
	if m.zoomed {
		t.Fatal("z still zooms after zoom = \"Z\"")
	}
	press(t, m, "Z")
	if !m.zoomed {
		t.Fatal("Z does not zoom after zoom = \"Z\"")
	}
	press(t, m, "Z")
	if m.zoomed {
		t.Fatal("Z does not unzoom")
	}

	// The `?` overlay and the palette name Z.
	press(t, m, "?")
	if help := ansi.Strip(m.View()); !regexp.MustCompile(`Z\s+zoom pane`).MatchString(help) {
		t.Fatalf("the help overlay does not show Z for zoom:\n%s", help)
	}
	press(t, m, "esc")
	press(t, m, ":")
	var found bool
	for _, it := range m.palette.Items() {
		if a := it.(action); a.name == "zoom pane" {
			found = a.keyName == "Z"
		}
	}
	if !found {
		t.Fatal("the palette does not list zoom pane with Z")
	}
	typeText(m, "zoom")
	press(t, m, "enter")
	if !m.zoomed {
		t.Fatal("the palette's zoom did not zoom with zoom = \"Z\"")
	}
}

func TestHelpLineShowsOverriddenKeys(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{KeyOverrides: map[string][]string{"raw": {"ctrl+g"}, "quit": {"Q"}}}, 120, 40)
	run.deliver(m, 0)
	press(t, m, "esc")
	if !strings.Contains(m.helpLine, "ctrl+g raw answer") || !strings.Contains(m.helpLine, "Q quit") {
		t.Fatalf("the help line does not show the new keys: %q", m.helpLine)
	}
	if strings.Contains(m.helpLine, "r raw answer") {
		t.Fatalf("the help line still shows r: %q", m.helpLine)
	}
	pressKey(t, m, "ctrl+g")
	if !m.form.Raw() {
		t.Fatal("ctrl+g did not switch to the raw answer")
	}
}

func TestSearchOverrideStartsTheDetailsSearch(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{KeyOverrides: map[string][]string{"search": {"ctrl+f"}}}, 120, 40)
	run.deliver(m, 0)
	press(t, m, "esc")
	pressKey(t, m, "ctrl+f")
	if m.focus != focusDetails || !m.capturing() {
		t.Fatalf("ctrl+f did not open the details search: focus %d capturing %v", m.focus, m.capturing())
	}
}

func TestABadOverrideInNewKeepsTheDefaults(t *testing.T) {
	m := sized(t, Options{Client: idleClient(t), KeyOverrides: map[string][]string{"zoom": {"y"}}}, 120, 40)
	if got := m.keys.Zoom.Keys(); len(got) != 1 || got[0] != "z" {
		t.Fatalf("zoom keys %q", got)
	}
	if !m.statusErr || !strings.Contains(m.status, "keys.zoom") {
		t.Fatalf("the status does not say why: %q", m.status)
	}
}

// The README's table of [keys] lists every action with its default keys.
func TestREADMEListsEveryKeyAction(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, a := range KeyActions() {
		row := "| `" + a.Name + "` | " + configKeysCell(a.Keys) + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README: no row starting %q", row)
		}
	}
}

func configKeysCell(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = "`" + strings.ReplaceAll(keyHelp([]string{k}), "|", `\|`) + "`"
	}
	return strings.Join(out, " ")
}

// A moved quit key is still pinned at the end of the help line when the
// screen is too narrow for every key (what does not fit gives way first).
func TestMovedQuitKeyStaysPinnedWhenNarrow(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{KeyOverrides: map[string][]string{"quit": {"Q", "ctrl+q"}, "help": {"f1"}}}, 60, 20)
	run.deliver(m, 0)
	press(t, m, "esc")
	line := strings.TrimRight(m.helpLine, " ")
	if !strings.HasSuffix(line, "Q/ctrl+q quit") || !strings.Contains(line, "f1 help") {
		t.Fatalf("at 60 columns the help line lost the moved help or quit key: %q", line)
	}
}

// Hints name an action's key where the config file moved it.
func TestHintsNameMovedKeys(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{KeyOverrides: map[string][]string{"live": {"ctrl+l"}}}, 120, 40)
	run.feed(m, 4)
	press(t, m, "esc")
	m.timeline.Select(2)
	m.timeTravel(2)
	if !strings.Contains(m.status, "ctrl+l returns to live") {
		t.Fatalf("status %q does not name the moved key", m.status)
	}
}

// The help overlay closes with the key that opened it, wherever the
// config file put it.
func TestMovedHelpKeyClosesTheHelp(t *testing.T) {
	run := loadSimRun(t, "login")
	m := run.model(t, Options{KeyOverrides: map[string][]string{"help": {"f1"}}}, 120, 40)
	run.deliver(m, 0)
	press(t, m, "esc")
	pressKey(t, m, "f1")
	if m.overlay.kind != overlayHelp {
		t.Fatal("f1 did not open the help")
	}
	pressKey(t, m, "f1")
	if m.overlay.kind != overlayNone {
		t.Fatal("f1 did not close the help it opened")
	}
}

// force_quit works while a field owns the keyboard, so a key a field
// edits with (delete a word, go to the line's start) cannot be it.
func TestForceQuitCannotTakeATextEditingKey(t *testing.T) {
	for _, k := range []string{"ctrl+w", "backspace", "ctrl+a", "alt+b", "delete"} {
		err := CheckKeyOverrides(map[string][]string{"force_quit": {k}})
		if err == nil || !strings.Contains(err.Error(), "edits text in a field") {
			t.Errorf("force_quit = %q: %v", k, err)
		}
	}
	if err := CheckKeyOverrides(map[string][]string{"force_quit": {"ctrl+q"}}); err != nil {
		t.Errorf("force_quit = ctrl+q refused: %v", err)
	}
}
