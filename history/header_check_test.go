package history

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// headerCheckReference is how Open told a recording from another file
// before firstLineOver: read the whole first line, however long, and
// decode it. It gives "empty" (no first line), "native" or "foreign".
func headerCheckReference(data []byte, limit int64) string {
	br := bufio.NewReaderSize(bytes.NewReader(data), readBufSize(int64(len(data))))
	first, n, _, err := readLineMax(br, limit)
	if err != nil && n == 0 {
		return "empty"
	}
	if _, ok := parseHeader(first); n > limit || !ok {
		return "foreign"
	}
	return "native"
}

// headerCheckOutcome is what OpenBytes made of data, in the terms of
// headerCheckReference (no importer is registered in this package's tests).
func headerCheckOutcome(t testing.TB, data []byte, limit int64) string {
	t.Helper()
	rec, err := OpenBytes(data, ReadOptions{MaxLine: limit})
	switch {
	case errors.Is(err, errNotRecording):
		return "foreign"
	case err != nil && strings.HasSuffix(err.Error(), " is empty"):
		return "empty"
	case rec != nil && rec.Format == FormatNative:
		return "native"
	case err != nil && strings.Contains(err.Error(), "is recording format"):
		return "native" // a newer format: refused, as a recording
	}
	t.Fatalf("unexpected outcome: %v, %v", rec, err)
	return ""
}

// countingReadSeeker counts the bytes read from it.
type countingReadSeeker struct {
	r    io.ReadSeeker
	read int64
}

func (c *countingReadSeeker) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

func (c *countingReadSeeker) Seek(off int64, whence int) (int64, error) {
	return c.r.Seek(off, whence)
}

// oneLineHAR is a HAR written on one line, as json.Encoder writes it, of
// about size bytes.
func oneLineHAR(size int) []byte {
	entry := `{"request":{"method":"GET","url":"https://auth.example/"},"response":{"status":200}},`
	var b bytes.Buffer
	b.WriteString(`{"log":{"version":"1.2","entries":[`)
	for b.Len() < size {
		b.WriteString(entry)
	}
	b.Truncate(b.Len() - 1)
	b.WriteString("]}}\n")
	return b.Bytes()
}

// A HAR on one line longer than the line limit is not a recording, and Open
// tells so without reading that line (the whole file) to its end: it reads
// at most one buffer more than the limit before it hands the file to the
// importer. (Open with no importer registered returns where it would call
// it.)
func TestOpenLongFirstLineNotReadWhole(t *testing.T) {
	data := oneLineHAR(6 << 20)
	for _, limit := range []int64{64 << 10, 2 << 20} { // under one buffer (1 MiB), over it
		c := &countingReadSeeker{r: bytes.NewReader(data)}
		_, err := openFrom("har", c, int64(len(data)), nil, ReadOptions{MaxLine: limit})
		if !errors.Is(err, errNotRecording) {
			t.Fatalf("limit %d: %v, want not a recording", limit, err)
		}
		if most := limit + 2*int64(readBufSize(int64(len(data)))); c.read > most {
			t.Errorf("limit %d: read %d bytes of a %d-byte line before the importer, want at most %d", limit, c.read, len(data), most)
		}
		if got := headerCheckReference(data, limit); got != "foreign" {
			t.Errorf("limit %d: the reference check says %s", limit, got)
		}
	}
}

// A recording whose header has its members in another order, extra
// whitespace, a BOM or a CRLF line end is still a recording.
func TestOpenHeaderAnyMemberOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec"+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "f", Query: "next=%2F"}, WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tinySession("alice") {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	nl := bytes.IndexByte(data, '\n')
	rest := data[nl+1:]
	headers := []string{
		`{"flow":"f","base_url":"` + base + `","query":"next=%2F","akinspect_recording":1}`,
		`{ "redacted" : true ,  "akinspect_recording" : 1 , "flow":"f","query":"next=%2F","base_url":"` + base + `" }`,
		"  \t{\"base_url\":\"" + base + "\",\t\"flow\" :\"f\",\"akinspect_recording\"\t:\t1,\"query\":\"next=%2F\"}  \r",
		"\xef\xbb\xbf" + `{"query":"next=%2F","flow":"f","base_url":"` + base + `","akinspect_recording":1}`,
		`{"akinspect_version":"0.0.1","AKINSPECT_RECORDING":1,"flow":"f","base_url":"` + base + `","query":"next=%2F"}`,
		// A long member ahead of the version: the line is over one
		// read buffer, under the line limit.
		`{"akinspect_version":"` + strings.Repeat("x", 3<<20) + `","flow":"f","base_url":"` + base + `","query":"next=%2F","akinspect_recording":1}`,
	}
	for i, h := range headers {
		file := append([]byte(h+"\n"), rest...)
		p := filepath.Join(t.TempDir(), "h"+Extension)
		if err := os.WriteFile(p, file, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, via := range []string{"file", "bytes"} {
			var rec *Recording
			if via == "file" {
				rec, err = Open(p)
			} else {
				rec, err = OpenBytes(file, ReadOptions{})
			}
			if err != nil {
				t.Fatalf("header %d (%s): %v", i, via, err)
			}
			if rec.Format != FormatNative || rec.Header.Recording != 1 || rec.Header.Flow != "f" || rec.Header.BaseURL != base || rec.Header.Query != "next=%2F" {
				t.Errorf("header %d (%s): %s, %+v", i, via, rec.Format, rec.Header)
			}
			if rec.Len() != want.Len() || len(rec.Flows) != len(want.Flows) {
				t.Errorf("header %d (%s): %d exchanges in %d runs, want %d in %d", i, via, rec.Len(), len(rec.Flows), want.Len(), len(want.Flows))
			}
			for k := 0; k < rec.Len(); k++ {
				if _, err := rec.Exchange(k); err != nil {
					t.Errorf("header %d (%s): exchange %d: %v", i, via, k, err)
				}
			}
		}
	}
}

// Around the line limit, on both sides of one read buffer, Open decides as
// it did when it read and decoded the whole first line.
func TestOpenHeaderCheckAtTheLimit(t *testing.T) {
	header := func(size int) []byte {
		h := `{"akinspect_recording":1,"flow":"f","akinspect_version":"`
		tail := `"}` + "\n"
		return []byte(h + strings.Repeat("v", size-len(h)-len(tail)) + tail)
	}
	for _, limit := range []int64{1 << 10, 1<<20 + 100, 3 << 20} {
		for _, size := range []int64{limit - 1, limit, limit + 1, limit + 2} {
			for _, after := range []string{"", `{"type":"note","text":"x"}` + "\n", "more without a line end"} {
				data := append(header(int(size)), after...)
				want := headerCheckReference(data, limit)
				if want != map[bool]string{true: "native", false: "foreign"}[size <= limit] {
					t.Fatalf("limit %d, line of %d: reference says %s", limit, size, want)
				}
				if got := headerCheckOutcome(t, data, limit); got != want {
					t.Errorf("limit %d, line of %d bytes, then %q: %s, want %s", limit, size, after, got, want)
				}
				noEnd := bytes.TrimSuffix(header(int(size)), []byte("\n"))
				if got, want := headerCheckOutcome(t, noEnd, limit), headerCheckReference(noEnd, limit); got != want {
					t.Errorf("limit %d, line of %d bytes without its end: %s, want %s", limit, size-1, got, want)
				}
			}
		}
	}
}

// FuzzFirstLineOver: with any read buffer, firstLineOver says whether the
// first line is over the limit, and when it is not, leaves the reader where
// it was; Open decides as the reference check does.
func FuzzFirstLineOver(f *testing.F) {
	f.Add([]byte(`{"akinspect_recording":1}`+"\n"+`{"type":"note"}`), uint16(30), uint8(0))
	f.Add([]byte(`{"log":{"entries":[{"x":1},{"y":2}]}}`+"\n"), uint16(20), uint8(3))
	f.Add([]byte(" \xef\xbb\xbf{\"flow\":\"f\",\"akinspect_recording\":1}\r\n"), uint16(40), uint8(20))
	f.Add([]byte("no line end at all"), uint16(5), uint8(1))
	f.Add([]byte{}, uint16(1), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, lim uint16, buf uint8) {
		if len(data) > maxFuzzInput {
			return
		}
		limit := int64(lim) + 1
		var wantOver bool
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			wantOver = int64(i)+1 > limit
		} else {
			wantOver = int64(len(data)) > limit
		}
		for _, size := range []int64{int64(len(data)), -1} {
			r := bytes.NewReader(data)
			br := bufio.NewReaderSize(r, 16+int(buf))
			over, err := firstLineOver(br, r, size, limit)
			if err != nil {
				t.Fatal(err)
			}
			if over && !wantOver {
				t.Fatalf("size %d, limit %d, buffer %d: over, but the first line is not", size, limit, br.Size())
			}
			if !over {
				if wantOver && size >= 0 {
					t.Fatalf("limit %d, buffer %d: the first line is over, not told", limit, br.Size())
				}
				rest, err := io.ReadAll(br)
				if err != nil || !bytes.Equal(rest, data) {
					t.Fatalf("size %d, limit %d, buffer %d: after the check the reader gives %q (%v)", size, limit, br.Size(), rest, err)
				}
			}
		}
		if got, want := headerCheckOutcome(t, data, limit), headerCheckReference(data, limit); got != want {
			t.Fatalf("limit %d: %s, want %s", limit, got, want)
		}
	})
}
