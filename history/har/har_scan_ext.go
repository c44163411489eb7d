package har

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/akinspect/akinspect/internal/jsonscan"
	"github.com/akinspect/akinspect/transport"
)

// extMember reads an entry's _akinspect. Only the last one counts, as in
// a full decode's struct: one that does not read is remembered (errShape
// if it is the last) rather than failing the pass.
func (sc *entryScanner) extMember(b []byte, at int, w *entryWalk) (int, error) {
	if at < len(b) && b[at] != '{' {
		v, end, err := value(b, at)
		w.ext, w.extBad = nil, err != nil || string(v) != "null"
		return end, err
	}
	x, end, err := sc.ext(b, at)
	if err != nil {
		end, err = skip(b, at) // its end; bad JSON fails the entry
		w.ext, w.extBad = nil, true
		return end, err
	}
	w.ext, w.extBad = x, false
	return end, nil
}

// ext reads _akinspect. Its jar is decoded only when it differs from the
// entry before's, whose snapshot it otherwise shares.
func (sc *entryScanner) ext(b []byte, at int) (*harEntryExt, int, error) {
	x := &harEntryExt{}
	var jarRaw []byte
	end, err := members(b, at, extKeys, func(key string, at int) (int, error) {
		if key == "timing" {
			return sc.extTiming(b, at, x)
		}
		v, end, err := value(b, at)
		if err != nil {
			return end, err
		}
		switch key {
		case "id":
			var f float64
			f, err = num(v)
			x.ID = int(f)
			if f != float64(int64(f)) {
				err = errShape
			}
		case "flow":
			x.Flow, err = sc.str(v)
		case "kind":
			var k string
			k, err = sc.str(v)
			x.Kind = transport.Kind(k)
		case "component":
			x.Component, err = sc.str(v)
		case "error":
			x.Error, err = sc.str(v)
		case "diagnosis":
			x.Diagnosis, err = sc.str(v)
		case "jar":
			jarRaw = v
		case "jarChanges":
			x.JarChanges = nil
			if string(v) != "[]" && string(v) != "null" && json.Unmarshal(v, &x.JarChanges) != nil {
				err = errShape
			}
		case "flags":
			x.Flags = nil
			if string(v) != "[]" && string(v) != "null" && json.Unmarshal(v, &x.Flags) != nil {
				err = errShape
			}
		}
		return end, err
	})
	if err != nil {
		return nil, end, err
	}
	switch {
	case jarRaw == nil || string(jarRaw) == "null":
	case bytes.Equal(jarRaw, sc.lastJarRaw) && sc.lastJarRaw != nil:
		x.Jar = sc.lastJar
	default:
		if json.Unmarshal(jarRaw, &x.Jar) != nil {
			return nil, end, errShape
		}
		sc.lastJarRaw = append(sc.lastJarRaw[:0], jarRaw...)
		sc.lastJar = x.Jar
	}
	return x, end, nil
}

// extTiming reads _akinspect.timing.
func (sc *entryScanner) extTiming(b []byte, at int, x *harEntryExt) (int, error) {
	x.Timing = nil
	if at < len(b) && b[at] != '{' {
		v, end, err := value(b, at)
		if err == nil && string(v) != "null" {
			err = errShape
		}
		return end, err
	}
	x.Timing = &transport.Timing{}
	return members(b, at, extTimeKeys, func(key string, at int) (int, error) {
		v, end, err := value(b, at)
		if err != nil {
			return end, err
		}
		n, ok := jsonscan.Int(v)
		if !ok {
			if n, err = strconv.ParseInt(string(v), 10, 64); err != nil {
				return end, errShape
			}
		}
		d := time.Duration(n)
		switch key {
		case "dns":
			x.Timing.DNS = d
		case "connect":
			x.Timing.Connect = d
		case "tls":
			x.Timing.TLS = d
		case "send":
			x.Timing.Send = d
		case "first_byte":
			x.Timing.FirstByte = d
		case "total":
			x.Timing.Total = d
		}
		return end, nil
	})
}
