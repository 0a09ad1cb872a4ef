package upstream

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"tend/findings"
	"tend/inventory"
	"tend/storage"
)

// DueFunc lists the devices whose security support ends within 12 months,
// soonest first (cmd/tend passes lifecycle.ForecastDevices in its terms).
type DueFunc func(devs []inventory.Device, now time.Time) []Due

// StoreInputs gathers a summary's inputs from the box's database: the
// devices, the last day's events, the findings (only open ones travel),
// the lifecycle outlook and the same health score the box's UI shows.
func StoreInputs(st *storage.Store, due DueFunc) func(context.Context) (Inputs, error) {
	return func(context.Context) (Inputs, error) {
		devs, err := st.Devices()
		if err != nil {
			return Inputs{}, err
		}
		now := time.Now()
		events, err := st.Events(storage.EventQuery{Since: now.Add(-24 * time.Hour), Limit: 200})
		if err != nil {
			return Inputs{}, err
		}
		fs, err := st.Findings()
		if err != nil {
			return Inputs{}, err
		}
		return Inputs{
			Snapshot: inventory.Snapshot{Time: now, Devices: devs, Events: events},
			Findings: fs,
			Forecast: ForecastOf(devs, due(devs, now)),
			Health:   SiteHealth(fs, now),
		}, nil
	}
}

// ForecastOf counts devices by lifecycle status, with due the devices whose
// support ends within 12 months.
func ForecastOf(devs []inventory.Device, due []Due) Forecast {
	var f Forecast
	for _, d := range devs {
		if d.Lifecycle == nil {
			f.Unknown++
			continue
		}
		switch d.Lifecycle.Status {
		case inventory.StatusEOL:
			f.EOL++
		case inventory.StatusSecurityOnly:
			f.SecurityOnly++
		case inventory.StatusBehind:
			f.Behind++
		case inventory.StatusCurrent:
			f.Current++
		default:
			f.Unknown++
		}
	}
	f.Due = due
	f.EOL12Months = len(f.Due)
	return f
}

// SiteHealth is the findings package's site score (the one the box's UI
// shows) in the summary's terms, with a sentence per component.
func SiteHealth(fs []inventory.Finding, now time.Time) Health {
	h := findings.Score(fs, now)
	out := Health{Score: h.Score}
	for _, c := range h.Components {
		detail := "no open actions"
		if c.Findings == 1 {
			detail = "1 open action"
		} else if c.Findings > 1 {
			detail = fmt.Sprintf("%d open actions", c.Findings)
		}
		out.Components = append(out.Components, HealthComponent{Name: string(c.Category), Score: c.Score, Weight: c.Weight, Detail: detail})
	}
	return out
}

// HubTrust is how the box trusts the hub's certificate: the system roots
// (the zero value), a CA file, a pinned certificate fingerprint, or
// (testing) nothing. At most one may be set.
type HubTrust struct {
	Insecure bool   // --upstream-insecure
	CAFile   string // --upstream-ca
	Pin      string // --upstream-fingerprint: SHA-256 of the certificate, hex
}

// HTTPClient is the push client's HTTP client for the trust chosen: the
// default transport's settings with that TLS configuration, 30 s a request.
func (t HubTrust) HTTPClient() (*http.Client, error) {
	tc, err := t.TLSConfig()
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}, nil
}

// TLSConfig is the client TLS configuration for the trust chosen.
func (t HubTrust) TLSConfig() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	n := 0
	for _, set := range []bool{t.Insecure, t.CAFile != "", t.Pin != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, errors.New("use one of --upstream-insecure, --upstream-ca and --upstream-fingerprint")
	}
	switch {
	case t.Insecure:
		cfg.InsecureSkipVerify = true
	case t.CAFile != "":
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--upstream-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--upstream-ca %s: no PEM certificate in it", t.CAFile)
		}
		cfg.RootCAs = pool
	case t.Pin != "":
		want, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(t.Pin), ":", ""))
		if err != nil || len(want) != sha256.Size {
			return nil, fmt.Errorf("--upstream-fingerprint %q: want the certificate's SHA-256 as hex (AB:CD:…)", t.Pin)
		}
		// The pin replaces chain and name checks: exactly that certificate.
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("hub sent no certificate")
			}
			got := sha256.Sum256(cs.PeerCertificates[0].Raw)
			if hex.EncodeToString(got[:]) != hex.EncodeToString(want) {
				return fmt.Errorf("hub certificate %X does not match the pinned fingerprint", got)
			}
			return nil
		}
	}
	return cfg, nil
}
