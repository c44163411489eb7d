package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/internal/termsafe"
	"github.com/akinspect/akinspect/model"
	"github.com/akinspect/akinspect/transport"
)

// repeated collects a flag given several times (--set a=b --set c=d).
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// Type names the value in --help when the usage has no `name` in it.
func (r *repeated) Type() string { return "value" }

// targetFlags say which authentik flow to talk to and how.
type targetFlags struct {
	url      string
	flow     string
	token    string
	asToken  bool
	inspect  string
	cookies  string
	caFile   string
	insecure bool
	timeout  time.Duration
	maxBody  byteSize
	maxHops  int
	lang     string
}

func (t *targetFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&t.url, "url", firstSet(os.Getenv("AUTHENTIK_URL"), config.URL), "authentik base URL or flow URL (env AUTHENTIK_URL, config url)")
	fs.StringVar(&t.flow, "flow", config.Flow, "flow slug, when --url is a base URL (config flow)")
	fs.StringVar(&t.token, "token", "", "API token: start the flow through the execute endpoint and read the inspector (env AUTHENTIK_TOKEN)")
	fs.BoolVar(&t.asToken, "token-on-executor", false, "also send --token on executor requests, so the flow runs as the token's user (no browser does this)")
	fs.StringVar(&t.inspect, "inspector-token", "", "admin API token used only to read the flow inspector, so the flow itself stays anonymous")
	fs.StringVar(&t.cookies, "cookies", "", "cookie jar `file` (Netscape format): loaded if it exists, saved at the end")
	fs.StringVar(&t.caFile, "ca-file", "", "PEM `file` with extra CA certificates")
	_ = cobra.MarkFlagFilename(fs, "ca-file", "pem", "crt", "cer")
	fs.BoolVar(&t.insecure, "insecure", false, "skip TLS certificate verification")
	fs.DurationVar(&t.timeout, "timeout", configDuration(config.Timeout, transport.DefaultTimeout), "timeout of each request (config timeout)")
	t.maxBody = transport.DefaultBodyCap
	if config.MaxBody != "" {
		_ = t.maxBody.Set(config.MaxBody) // checked when the config was read
	}
	fs.Var(&t.maxBody, "max-body", "largest response body kept, decoded (e.g. 512KiB; at most 16MiB); larger ones are cut and flagged")
	fs.StringVar(&t.lang, "lang", transport.DefaultLang, "the flow interface's `locale` (a language tag such as de or zh-Hans): API calls ask authentik to answer in it, as the browser's Accept-Language does")
	fs.IntVar(&t.maxHops, "max-redirects", transport.DefaultMaxRedirects, "redirects followed per request before giving up")
}

// tuiFlags are the TUI commands' own flags (`akinspect <url>`, demo,
// open --live).
type tuiFlags struct{ totpSecret string }

func (f *tuiFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.totpSecret, "totp-secret", "", "base32 TOTP secret, or env:NAME: the code field of TOTP stages comes pre-filled with the current code")
}

// apply puts the flags into the model's options; a secret that is not
// base32 is a usage error now rather than a wrong code later.
func (f *tuiFlags) apply(o *model.Options) error {
	if f.totpSecret == "" {
		return nil
	}
	secret, err := fromEnv(f.totpSecret)
	if err == nil {
		_, err = flow.TOTP(secret, time.Now())
	}
	if err != nil {
		return exitf(exitUsage, "--totp-secret: %v", err)
	}
	o.TOTPSecret = secret
	return nil
}

// byteSize is a size flag: 4194304, 4MiB, 512KiB, 1GiB (or KB, MB, GB).
type byteSize int64

// String is the size in the largest binary unit that divides it: 4MiB.
func (b *byteSize) String() string {
	for _, u := range []struct {
		suffix string
		scale  int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n := int64(*b); n != 0 && n%u.scale == 0 {
			return strconv.FormatInt(n/u.scale, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(*b), 10)
}

func (b *byteSize) Type() string { return "size" }

func (b *byteSize) Set(v string) error {
	units := []struct {
		suffix string
		scale  int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}, {"", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(strings.TrimSpace(v), u.suffix); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
			if err != nil || n <= 0 || n > math.MaxInt64/u.scale {
				return fmt.Errorf("%q is not a size such as 4MiB or 512KiB", v)
			}
			*b = byteSize(n * u.scale)
			return nil
		}
	}
	return fmt.Errorf("%q is not a size such as 4MiB or 512KiB", v)
}

// config turns the flags (and an optional positional flow URL) into a
// client config.
func (t *targetFlags) config(positional string) (transport.Config, error) {
	raw := positional
	if raw == "" {
		raw = t.url
	}
	if raw == "" {
		return transport.Config{}, fmt.Errorf("no flow given: pass a flow URL such as https://auth.example.com/if/flow/<slug>/ (or --url and --flow)")
	}
	base, slug, query := raw, t.flow, ""
	if strings.Contains(raw, "/if/flow/") || strings.Contains(raw, "/api/v3/flows/") {
		var err error
		base, slug, query, err = transport.ParseFlowURL(raw)
		if err != nil {
			return transport.Config{}, err
		}
		if t.flow != "" {
			slug = t.flow
		}
	}
	if slug == "" {
		return transport.Config{}, fmt.Errorf("no flow slug: %q is a base URL, so add --flow <slug>", raw)
	}
	token := t.token
	if token == "" {
		token = os.Getenv("AUTHENTIK_TOKEN")
	}
	if t.maxHops < 1 {
		return transport.Config{}, errors.New("--max-redirects must be 1 or more")
	}
	if t.maxBody > transport.MaxBodyCap {
		// A larger body would make a recording line akinspect cannot read back.
		largest := byteSize(transport.MaxBodyCap)
		return transport.Config{}, fmt.Errorf("--max-body (or max_body in the config file) %s is over the largest, %s", &t.maxBody, &largest)
	}
	if t.asToken && token == "" {
		return transport.Config{}, errors.New("--token-on-executor needs --token (or AUTHENTIK_TOKEN)")
	}
	return transport.Config{
		BaseURL:         strings.TrimRight(base, "/"),
		Flow:            slug,
		Query:           query,
		Token:           token,
		TokenOnExecutor: t.asToken,
		InspectorToken:  t.inspect,
		CAFile:          t.caFile,
		Insecure:        t.insecure,
		Timeout:         t.timeout,
		BodyCap:         int64(t.maxBody),
		MaxRedirects:    t.maxHops,
		Lang:            t.lang,
		UserAgent:       "akinspect/" + version,
	}, nil
}

// loadCookies loads the jar file when it exists; a missing file is a new jar.
func (t *targetFlags) loadCookies(c *transport.Client) error {
	if t.cookies == "" {
		return nil
	}
	if _, err := os.Stat(t.cookies); os.IsNotExist(err) {
		return nil
	}
	return c.LoadCookies(t.cookies)
}

func (t *targetFlags) saveCookies(c *transport.Client, stderr io.Writer) {
	if t.cookies == "" {
		return
	}
	if err := c.SaveCookies(t.cookies); err != nil {
		fmt.Fprintln(stderr, "akinspect: saving cookies:", termsafe.Line(err.Error()))
	}
}

// firstSet is the first non-empty value: flags > environment > config.
func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// configDuration is the config's duration, or def when it sets none.
func configDuration(v string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(v); err == nil && v != "" {
		return d
	}
	return def
}
