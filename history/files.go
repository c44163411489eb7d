package history

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
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
