package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/termbg"
	"github.com/akinspect/akinspect/model"
)

// fileConfig is $XDG_CONFIG_HOME/akinspect/config.toml: defaults for what a
// person would otherwise type every time. Precedence: flags > environment
// > this file > built-in defaults. Secrets do not belong here (tokens and
// passwords come from flags, the environment or env:NAME references).
type fileConfig struct {
	URL        string `toml:"url"`        // default --url (AUTHENTIK_URL wins)
	Flow       string `toml:"flow"`       // default --flow
	Recordings string `toml:"recordings"` // where sessions are recorded (~ allowed)
	Theme      string `toml:"theme"`      // auto, dark or light
	Timeout    string `toml:"timeout"`    // default --timeout, e.g. "30s"
	MaxBody    string `toml:"max_body"`   // default --max-body, e.g. "8MiB"
	// Keys is the [keys] table: an action of the TUI's key map (model.
	// KeyActions) → the key or keys that do it instead of its defaults.
	Keys map[string]keyList `toml:"keys"`
}

// keyList is one entry of [keys]: a key ("Z") or a list of them (["q",
// "ctrl+q"]).
type keyList []string

func (l *keyList) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*l = keyList{v}
	case []any:
		out := make(keyList, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("a key is a string such as \"ctrl+s\", not %v", e)
			}
			out = append(out, s)
		}
		*l = out
	default:
		return fmt.Errorf("give a key (\"Z\") or a list of keys ([\"q\", \"ctrl+q\"]), not %v", v)
	}
	return nil
}

// keyOverrides is the [keys] table as model.Options takes it.
func (c fileConfig) keyOverrides() map[string][]string {
	if len(c.Keys) == 0 {
		return nil
	}
	out := make(map[string][]string, len(c.Keys))
	for action, keys := range c.Keys {
		out[action] = keys
	}
	return out
}

// config is the file's settings for this process, read once in runMain.
var config fileConfig

// configPath is where the config file is looked for.
func configPath() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "akinspect", "config.toml")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".config", "akinspect", "config.toml")
	}
	return ""
}

// loadConfig reads the config file; a missing file is no config. A file
// that does not parse, or holds a key or value akinspect does not know, is
// an error that names the file and what is wrong (never silently ignored).
func loadConfig() (fileConfig, error) {
	var c fileConfig
	path := configPath()
	if path == "" {
		return c, nil
	}
	meta, err := toml.DecodeFile(path, &c)
	if errors.Is(err, fs.ErrNotExist) {
		return fileConfig{}, nil
	}
	if err != nil {
		return fileConfig{}, fmt.Errorf("%s: %v", path, err)
	}
	if extra := meta.Undecoded(); len(extra) > 0 {
		return fileConfig{}, fmt.Errorf("%s: unknown setting %q (known: url, flow, recordings, theme, timeout, max_body, keys)", path, extra[0].String())
	}
	return c, c.check(path)
}

func (c fileConfig) check(path string) error {
	switch c.Theme {
	case "", "auto", "dark", "light":
	default:
		return fmt.Errorf("%s: theme %q: use auto, dark or light", path, c.Theme)
	}
	if c.Timeout != "" {
		if _, err := time.ParseDuration(c.Timeout); err != nil {
			return fmt.Errorf("%s: timeout %q: %v", path, c.Timeout, err)
		}
	}
	if c.MaxBody != "" {
		var b byteSize
		if err := b.Set(c.MaxBody); err != nil {
			return fmt.Errorf("%s: max_body: %v", path, err)
		}
	}
	if err := model.CheckKeyOverrides(c.keyOverrides()); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// apply makes the settings that are not flag defaults take effect.
func (c fileConfig) apply() {
	switch c.Theme {
	case "dark":
		termbg.Set(true)
	case "light":
		termbg.Set(false)
	}
}

// recordingsDir is where sessions are recorded: the config's directory, or
// history's default ($XDG_STATE_HOME/akinspect/recordings).
func recordingsDir() (string, error) {
	if d := config.Recordings; d != "" {
		if rest, ok := strings.CutPrefix(d, "~/"); ok {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			d = filepath.Join(home, rest)
		}
		return d, nil
	}
	return history.DefaultDir()
}

// recordingPath is the default file of a session started at t.
func recordingPath(t time.Time, name string) (string, error) {
	dir, err := recordingsDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, history.FileName(t, name)), nil
}
