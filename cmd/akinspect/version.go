package main

import (
	"runtime/debug"
	"strings"
)

// versionString is what --version prints: the module version (set by go
// install from a tag, or -ldflags -X main.version) and the VCS revision the
// binary was built from, with "+dirty" for a modified tree.
func versionString() string {
	v := version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	parts := []string{v}
	if rev != "" && !strings.Contains(v, rev) { // a pseudo-version names it already
		parts = append(parts, "("+rev+dirty+")")
	}
	return strings.Join(parts, " ") + " " + info.GoVersion
}
