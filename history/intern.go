package history

// interner keeps one copy of each string that repeats across rows (flow
// slug, method, component, URL, flags) and numbers them, so that a row of
// the timeline holds small indices instead of strings.
type interner struct {
	m    map[string]uint32
	strs []string
}

func newInterner() *interner {
	return &interner{m: map[string]uint32{"": 0}, strs: []string{""}}
}

// id returns the number of s, adding it when new.
func (in *interner) id(s string) uint32 {
	if v, ok := in.m[s]; ok {
		return v
	}
	n := uint32(len(in.strs))
	in.strs = append(in.strs, s)
	in.m[s] = n
	return n
}

// get returns the shared copy of s.
func (in *interner) get(s string) string { return in.strs[in.id(s)] }

// lookup finds raw without allocating when it is already known.
func (in *interner) lookup(raw []byte) (string, bool) {
	if v, ok := in.m[string(raw)]; ok {
		return in.strs[v], true
	}
	return "", false
}
