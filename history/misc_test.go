package history

import (
	"strings"
	"testing"
)

func TestSearchFindsTextInBodiesOfTheWholeFile(t *testing.T) {
	path, w := writeSession(t, WriterOptions{})
	w.Close()
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	hits := searchHits(t, rec, "invalid PASSWORD")
	if len(hits) != 1 || hits[0].Index != 4 || hits[0].Field != "response body" || !strings.Contains(hits[0].Snippet, "Invalid password") {
		t.Fatalf("hits = %+v", hits)
	}
	if hits := searchHits(t, rec, `"uid_field":"akadmin"`); len(hits) != 1 || hits[0].Field != "request body" {
		t.Errorf("a query with quotes (no raw-line shortcut): %+v", hits)
	}
	if hits := searchHits(t, rec, "Grant access"); len(hits) != 1 || hits[0].Index != 13 {
		t.Errorf("consent header_text: %+v", hits)
	}
	if hits := searchHits(t, rec, secretPassword); len(hits) != 0 {
		t.Errorf("search finds a redacted secret: %+v", hits)
	}
}

func TestFileNameAndDefaultDir(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	dir, err := DefaultDir()
	if err != nil || dir != "/state/akinspect/recordings" {
		t.Errorf("DefaultDir = %q, %v", dir, err)
	}
	name := FileName(syntheticSession()[0].Start, "a/b c")
	if name != "20261126T130000.100Z-a_b_c"+Extension {
		t.Errorf("FileName = %q", name)
	}
}
