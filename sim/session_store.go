package sim

import (
	"container/list"
	"sync"
	"time"
)

// Session limits. authentik drops an unauthenticated session after
// sessions.unauthenticated_age (default one day); the simulator applies
// that idle age to every session, and caps the count so a long-running
// demo hit by cookieless clients stays bounded.
const (
	sessionMaxIdle  = 24 * time.Hour
	sessionMaxCount = 10_000
)

// sessionStore holds the sessions by key, most recently used first, so
// expiry and eviction both take from the back of one list.
//
// A session's key is written with both sess.mu and store.mu held, so it
// may be read under either; elem and lastUsed belong to store.mu.
type sessionStore struct {
	mu       sync.Mutex
	byKey    map[string]*session
	lru      *list.List // of *session; front = most recently used
	maxIdle  time.Duration
	maxCount int
}

func newSessionStore() *sessionStore {
	return &sessionStore{
		byKey: map[string]*session{}, lru: list.New(),
		maxIdle: sessionMaxIdle, maxCount: sessionMaxCount,
	}
}

// get returns the live session with key and marks it used at now; an
// expired or unknown key gives nil.
func (st *sessionStore) get(key string, now time.Time) *session {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.prune(now)
	sess := st.byKey[key]
	if sess != nil {
		st.touch(sess, now)
	}
	return sess
}

// add stores a new session as the most recently used one.
func (st *sessionStore) add(sess *session, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.byKey[sess.key] = sess
	st.touch(sess, now)
	st.prune(now)
}

// rekey moves sess to newKey (login cycles the key). A session evicted
// while its request ran comes back: it is the one in use.
func (st *sessionStore) rekey(sess *session, newKey string, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if sess.elem != nil {
		delete(st.byKey, sess.key)
	}
	sess.key = newKey
	st.byKey[newKey] = sess
	st.touch(sess, now)
	st.prune(now)
}

func (st *sessionStore) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.byKey)
}

// touch marks sess used at now. The caller holds st.mu.
func (st *sessionStore) touch(sess *session, now time.Time) {
	sess.lastUsed = now
	if sess.elem == nil {
		sess.elem = st.lru.PushFront(sess)
		return
	}
	st.lru.MoveToFront(sess.elem)
}

// prune drops sessions idle longer than maxIdle, then the least recently
// used ones beyond maxCount. The caller holds st.mu.
func (st *sessionStore) prune(now time.Time) {
	for e := st.lru.Back(); e != nil; e = st.lru.Back() {
		sess := e.Value.(*session)
		if st.lru.Len() <= st.maxCount && now.Sub(sess.lastUsed) <= st.maxIdle {
			return
		}
		delete(st.byKey, sess.key)
		st.lru.Remove(e)
		sess.elem = nil
	}
}
