package load

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// MaxUsers bounds a users file.
const MaxUsers = 100000

// ReadUsers reads a users file: CSV rows of username, password and TOTP
// secret (the last two may be empty; a first row starting with
// "username" is a header, and lines starting with # are comments). A
// value "env:NAME" is read from the environment, "file:PATH" from a file
// (its trailing newline dropped), so that the file itself need hold no
// secret.
func ReadUsers(r io.Reader) ([]User, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	var out []User
	for line := 1; ; line++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(row) == 0 || (len(row) == 1 && strings.TrimSpace(row[0]) == "") {
			continue
		}
		if len(out) == 0 && strings.EqualFold(strings.TrimSpace(row[0]), "username") {
			continue
		}
		if len(row) > 3 {
			return nil, fmt.Errorf("users file row %d: want username,password,totp secret", line)
		}
		var vals [3]string
		for i, v := range row {
			v, err := resolveRef(strings.TrimSpace(v))
			if err != nil {
				return nil, fmt.Errorf("users file row %d: %w", line, err)
			}
			vals[i] = v
		}
		if vals[0] == "" {
			return nil, fmt.Errorf("users file row %d: no username", line)
		}
		out = append(out, User{Username: vals[0], Password: vals[1], TOTPSecret: vals[2]})
		if len(out) > MaxUsers {
			return nil, fmt.Errorf("users file: more than %d users", MaxUsers)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("users file: no users")
	}
	return out, nil
}

func resolveRef(v string) (string, error) {
	if name, ok := strings.CutPrefix(v, "env:"); ok {
		s, set := os.LookupEnv(name)
		if !set {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		return s, nil
	}
	if path, ok := strings.CutPrefix(v, "file:"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return v, nil
}
