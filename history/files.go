package history

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// File is a recording or HAR file found in a directory.
type File struct {
	Path     string
	Modified time.Time
}

// RecentFiles lists the recordings and HAR files in dir, newest first; a
// directory that does not exist holds none.
func RecentFiles(dir string) ([]File, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, Extension) && !strings.HasSuffix(name, ".har") {
			continue
		}
		if info, err := e.Info(); err == nil {
			out = append(out, File{Path: filepath.Join(dir, name), Modified: info.ModTime()})
		}
	}
	slices.SortFunc(out, func(a, b File) int { return b.Modified.Compare(a.Modified) })
	return out, nil
}

// Description is what a list of recordings shows of one file: the server
// (scheme dropped), the flows in the order first run, how many exchanges,
// and how the last flow ended. The text is the file's and the server's,
// unsanitized: whoever prints it passes it through termsafe.
type Description struct {
	File
	Server    string
	Flows     []string
	Exchanges int
	Result    string // "✓ finished", "✗ denied", "at <stage>", …; "unreadable: why"
}

// Describe opens the file and describes it; a file that does not open says
// why in Result.
func Describe(f File) Description {
	d := Description{File: f}
	rec, err := Open(f.Path)
	if err != nil {
		d.Result = "unreadable: " + err.Error()
		return d
	}
	d.Server = strings.TrimPrefix(strings.TrimPrefix(rec.Header.BaseURL, "https://"), "http://")
	for _, fl := range rec.Flows {
		if !slices.Contains(d.Flows, fl.Slug) {
			d.Flows = append(d.Flows, fl.Slug)
		}
	}
	d.Exchanges = rec.Len()
	d.Result = "—"
	for i := rec.Len() - 1; i >= 0; i-- {
		if c := rec.Summary(i).Component; c != "" {
			d.Result = ResultWord(c)
			break
		}
	}
	if len(rec.Warnings) > 0 {
		d.Result += " (incomplete)"
	}
	return d
}

// ResultWord says how a flow ended from its last challenge.
func ResultWord(component string) string {
	switch component {
	case flow.ComponentRedirect:
		return "✓ finished"
	case flow.ComponentAccessDenied:
		return "✗ denied"
	case flow.ComponentFlowError:
		return "✗ flow error"
	}
	return "at " + flow.ShortComponent(component)
}
