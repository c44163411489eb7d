package transport

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The Netscape cookie file format, as curl -b/-c, wget and Hurl read and
// write it: one cookie per line,
//
//	domain <TAB> includeSubdomains <TAB> path <TAB> secure <TAB> expiry <TAB> name <TAB> value
//
// with "#HttpOnly_" prepended to the domain of HttpOnly cookies, expiry in
// Unix seconds (0 for a session cookie) and other lines starting with # as
// comments.
const httpOnlyPrefix = "#HttpOnly_"

const cookieFileHeader = "# Netscape HTTP Cookie File\n# Written by akinspect. Holds session cookies: keep it private.\n\n"

// ReadCookieFile parses a Netscape cookie file. Expired cookies are kept;
// the jar drops them when loading.
func ReadCookieFile(r io.Reader) ([]Cookie, error) {
	var out []Cookie
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		httpOnly := strings.HasPrefix(line, httpOnlyPrefix)
		if httpOnly {
			line = line[len(httpOnlyPrefix):]
		} else if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		c, err := parseCookieLine(line)
		if err != nil {
			return nil, fmt.Errorf("cookie file line %d: %v", n, err)
		}
		c.HTTPOnly = httpOnly
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("cookie file: %v", err)
	}
	return out, nil
}

func parseCookieLine(line string) (Cookie, error) {
	f := strings.Split(line, "\t")
	if len(f) == 6 { // curl writes an empty value as nothing after the last tab
		f = append(f, "")
	}
	if len(f) != 7 {
		return Cookie{}, fmt.Errorf("want 7 tab-separated fields (domain, subdomains, path, secure, expiry, name, value), got %d", len(f))
	}
	sub, err := parseFlag(f[1], "include-subdomains")
	if err != nil {
		return Cookie{}, err
	}
	secure, err := parseFlag(f[3], "secure")
	if err != nil {
		return Cookie{}, err
	}
	expiry, err := strconv.ParseInt(f[4], 10, 64)
	if err != nil || expiry < 0 {
		return Cookie{}, fmt.Errorf("expiry %q is not Unix seconds", f[4])
	}
	domain := strings.ToLower(strings.TrimPrefix(f[0], "."))
	if domain == "" || domain[0] == '.' || strings.ContainsAny(domain, " /#") {
		return Cookie{}, fmt.Errorf("bad domain %q", f[0])
	}
	if f[5] == "" || strings.ContainsAny(f[5], " ;=") {
		return Cookie{}, fmt.Errorf("bad cookie name %q", f[5])
	}
	path := f[2]
	if path == "" || path[0] != '/' {
		return Cookie{}, fmt.Errorf("path %q must start with /", f[2])
	}
	c := Cookie{Name: f[5], Value: f[6], Domain: domain, Path: path, Secure: secure, HostOnly: !sub}
	if expiry > 0 {
		c.Expires = time.Unix(expiry, 0).UTC()
	}
	return c, nil
}

func parseFlag(s, what string) (bool, error) {
	switch strings.ToUpper(s) {
	case "TRUE":
		return true, nil
	case "FALSE":
		return false, nil
	}
	return false, fmt.Errorf("%s flag %q must be TRUE or FALSE", what, s)
}

// WriteCookieFile writes cookies in the Netscape format curl -b reads.
func WriteCookieFile(w io.Writer, cookies []Cookie) error {
	var b bytes.Buffer
	b.WriteString(cookieFileHeader)
	for _, c := range cookies {
		domain, sub := c.Domain, "FALSE"
		if !c.HostOnly {
			domain, sub = "."+c.Domain, "TRUE"
		}
		if c.HTTPOnly {
			domain = httpOnlyPrefix + domain
		}
		var expiry int64
		if !c.Expires.IsZero() {
			expiry = c.Expires.Unix()
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n",
			domain, sub, c.Path, strings.ToUpper(strconv.FormatBool(c.Secure)), expiry, c.Name, c.Value)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// LoadCookies reads a Netscape cookie file (curl -b / Hurl) into the jar.
func (c *Client) LoadCookies(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cookies, err := ReadCookieFile(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	c.jar.load(cookies, time.Now())
	for _, ck := range cookies {
		if ck.Name == SessionCookie {
			c.mu.Lock()
			c.sessionLoaded = true
			c.mu.Unlock()
		}
	}
	return nil
}

// SaveCookies writes the jar as a Netscape cookie file, mode 0600, replacing
// the file in one step so a reader never sees half a file.
func (c *Client) SaveCookies(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := WriteCookieFile(tmp, c.Cookies()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
