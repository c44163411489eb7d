package sim

import (
	"bytes"
	"encoding/json"
)

// kv is one key of an ordered JSON object.
type kv struct {
	k string
	v any
}

// object is a JSON object that keeps its key order, so challenges read in the
// same order authentik's serializers write them (flow_info, component, ...).
type object []kv

// MarshalJSON writes the keys in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// set replaces the value of k, or appends k.
func (o object) set(k string, v any) object {
	for i := range o {
		if o[i].k == k {
			o[i].v = v
			return o
		}
	}
	return append(o, kv{k, v})
}

// prepend puts k first (legacy `type` comes before everything else).
func (o object) prepend(k string, v any) object {
	return append(object{{k, v}}, o.without(k)...)
}

// without drops the given keys.
func (o object) without(keys ...string) object {
	out := make(object, 0, len(o))
next:
	for _, f := range o {
		for _, k := range keys {
			if f.k == k {
				continue next
			}
		}
		out = append(out, f)
	}
	return out
}

// get returns the value of k.
func (o object) get(k string) (any, bool) {
	for _, f := range o {
		if f.k == k {
			return f.v, true
		}
	}
	return nil, false
}
