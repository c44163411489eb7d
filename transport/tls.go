package transport

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
)

// newTransport builds the HTTP transport: the default one, plus the extra
// CA bundle or the explicit opt-out of verification.
func newTransport(cfg Config) (http.RoundTripper, error) {
	if cfg.Transport != nil {
		return cfg.Transport, nil
	}
	return HTTPTransport(cfg.CAFile, cfg.Insecure)
}

// HTTPTransport is the HTTP transport a client of cfg uses: the default
// one, trusting caFile's certificates too, or none with insecure. Load
// shares one between its virtual users.
func HTTPTransport(caFile string, insecure bool) (*http.Transport, error) {
	cfg := Config{CAFile: caFile, Insecure: insecure}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxResponseHeaderBytes = MaxHeaderBytes
	if cfg.CAFile == "" && !cfg.Insecure {
		return t, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.Insecure}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("CA file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", cfg.CAFile)
		}
		tc.RootCAs = pool
	}
	t.TLSClientConfig = tc
	return t, nil
}
