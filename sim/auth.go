package sim

import (
	"errors"
	"net/http"
	"strings"
)

// bearerUser is authentik's TokenAuthentication: nil, nil when the request
// carries no usable Authorization header; an error for a bad one.
func (s *Server) bearerUser(r *http.Request) (*account, error) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" || !strings.Contains(h, " ") {
		return nil, nil
	}
	scheme, key, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "bearer") {
		return nil, errors.New("Unsupported authentication type")
	}
	if key == "" {
		return nil, errors.New("Malformed header")
	}
	s.dataMu.Lock()
	a := s.tokens[key]
	s.dataMu.Unlock()
	if a == nil {
		return nil, errors.New("Token invalid/expired")
	}
	return a, nil
}
