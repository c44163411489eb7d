package history

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The key order of an exchange line is part of the file format: the reader
// cuts the summary off at request_headers, and files already written must
// keep reading. Every field is set so that none is left out by omitempty.
func TestExchangeLineKeepsItsKeyOrder(t *testing.T) {
	e := syntheticSession()[3]
	e.Proto, e.Error, e.Diagnosis, e.Truncated = "HTTP/1.1", "boom", "why", true
	e.Flags = []string{"x"}
	e.Secrets = []string{"password"}
	e.RequestBody = []byte(`{"component":"ak-stage-password"}`)
	// The line as the Writer streams it (which is the marshalled record,
	// TestStreamedLineIsTheMarshalledRecord).
	line, _ := streamedLine(t, e, 0)
	line = bytes.TrimSuffix(line, []byte("\n"))
	dec := json.NewDecoder(bytes.NewReader(line))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	want := "type id flow kind method url status proto component start timing flags error diagnosis truncated body_size " +
		"request_headers request_body secrets response_headers response_body jar"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("exchange line keys:\n got %s\nwant %s", got, want)
	}
	var s summaryRecord
	if err := parseSummary(append(line[:bytes.Index(line, []byte(summaryEnd))], '}'), &s, newInterner()); err != nil {
		t.Fatalf("the fast summary parser rejects the line: %v", err)
	}
	if s.ID != e.ID || s.URL != e.URL || s.Error != e.Error {
		t.Errorf("summary read back as %+v", s)
	}
}
