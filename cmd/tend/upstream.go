package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"tend/findings"
	"tend/inventory"
	"tend/lifecycle"
	"tend/storage"
	"tend/upstream"
)

// upstreamFlags are serve's flags for pushing summaries to a tend hub.
type upstreamFlags struct {
	url, key, keyFile string
	interval          time.Duration
	insecure          bool
	caFile, pin       string
	outbox            int
}

func (f *upstreamFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.url, "upstream", "", "the hub's URL (https://host:port); summaries are pushed there, outbound only")
	fs.StringVar(&f.key, "site-key", "", "the site's key from tend hub site add (prefer --site-key-file: flags show in ps)")
	fs.StringVar(&f.keyFile, "site-key-file", "", "file holding the site's key")
	fs.DurationVar(&f.interval, "upstream-interval", upstream.DefaultInterval, "time between summaries")
	fs.BoolVar(&f.insecure, "upstream-insecure", false, "do not verify the hub's certificate (testing only; prefer --upstream-fingerprint)")
	fs.StringVar(&f.caFile, "upstream-ca", "", "PEM file of the CA that signed the hub's certificate")
	fs.StringVar(&f.pin, "upstream-fingerprint", "", "SHA-256 of the hub's certificate (as tend hub logs it): trust exactly that certificate")
	fs.IntVar(&f.outbox, "upstream-outbox", upstream.DefaultOutboxLimit, "summaries kept while the hub is unreachable; past it older ones are merged")
}

// tlsConfig is how the box trusts the hub: the system roots, a CA file,
// a pinned certificate fingerprint, or (testing) nothing.
func (f *upstreamFlags) tlsConfig() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	n := 0
	for _, set := range []bool{f.insecure, f.caFile != "", f.pin != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, errors.New("use one of --upstream-insecure, --upstream-ca and --upstream-fingerprint")
	}
	switch {
	case f.insecure:
		cfg.InsecureSkipVerify = true
	case f.caFile != "":
		pem, err := os.ReadFile(f.caFile)
		if err != nil {
			return nil, fmt.Errorf("--upstream-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--upstream-ca %s: no PEM certificate in it", f.caFile)
		}
		cfg.RootCAs = pool
	case f.pin != "":
		want, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(f.pin), ":", ""))
		if err != nil || len(want) != sha256.Size {
			return nil, fmt.Errorf("--upstream-fingerprint %q: want the certificate's SHA-256 as hex (AB:CD:…)", f.pin)
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

// client builds the push client, or nil when no --upstream was given.
func (f *upstreamFlags) client(st *storage.Store, site string, log *slog.Logger) (*upstream.Client, error) {
	if f.url == "" {
		if f.key != "" || f.keyFile != "" {
			return nil, errors.New("--site-key given without --upstream")
		}
		return nil, nil
	}
	keyText := f.key
	if f.keyFile != "" {
		if keyText != "" {
			return nil, errors.New("use --site-key or --site-key-file, not both")
		}
		if err := ownerOnly(f.keyFile); err != nil {
			return nil, fmt.Errorf("--site-key-file: %w", err)
		}
		b, err := os.ReadFile(f.keyFile)
		if err != nil {
			return nil, fmt.Errorf("--site-key-file: %w", err)
		}
		keyText = string(b)
	}
	if keyText == "" {
		return nil, errors.New("--upstream needs the site's key: --site-key-file or --site-key")
	}
	key, err := upstream.ParseSiteKey(keyText)
	if err != nil {
		return nil, err
	}
	if f.interval < time.Second {
		return nil, fmt.Errorf("--upstream-interval %s is too short", f.interval)
	}
	tc, err := f.tlsConfig()
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc
	return upstream.NewClient(upstream.ClientConfig{
		URL: f.url, Site: site, Key: key, Interval: f.interval, OutboxLimit: f.outbox,
		HTTP: &http.Client{Transport: tr, Timeout: 30 * time.Second}, Version: version,
		Inputs: summaryInputs(st), Log: log,
	}, st)
}

// summaryInputs gathers a summary's inputs from the box's database: the
// devices, the last day's events, the findings (only open ones travel) and
// the same health score the box's UI shows.
func summaryInputs(st *storage.Store) func(context.Context) (upstream.Inputs, error) {
	return func(context.Context) (upstream.Inputs, error) {
		devs, err := st.Devices()
		if err != nil {
			return upstream.Inputs{}, err
		}
		now := time.Now()
		events, err := st.Events(storage.EventQuery{Since: now.Add(-24 * time.Hour), Limit: 200})
		if err != nil {
			return upstream.Inputs{}, err
		}
		fs, err := st.Findings()
		if err != nil {
			return upstream.Inputs{}, err
		}
		return upstream.Inputs{
			Snapshot: inventory.Snapshot{Time: now, Devices: devs, Events: events},
			Findings: fs,
			Forecast: forecastOf(devs, now),
			Health:   siteHealth(fs, now),
		}, nil
	}
}

// forecastOf counts devices by lifecycle status and lists those due within
// 12 months (lifecycle.Forecast).
func forecastOf(devs []inventory.Device, now time.Time) upstream.Forecast {
	var f upstream.Forecast
	verdicts := map[string]inventory.Lifecycle{}
	byMAC := map[string]inventory.Device{}
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
		verdicts[d.MAC.String()] = *d.Lifecycle
		byMAC[d.MAC.String()] = d
	}
	for _, due := range lifecycle.Forecast(verdicts, now) {
		d := byMAC[due.Key]
		f.Due = append(f.Due, upstream.Due{MAC: due.Key, Name: d.Name(), Product: strings.TrimSpace(d.Lifecycle.Product + " " + d.Lifecycle.Cycle),
			EOL: due.EOL.UTC(), Within: due.Within})
	}
	f.EOL12Months = len(f.Due)
	return f
}

// siteHealth is the findings package's site score (the one the box's UI
// shows) in the summary's terms, with a sentence per component.
func siteHealth(fs []inventory.Finding, now time.Time) upstream.Health {
	h := findings.Score(fs, now)
	out := upstream.Health{Score: h.Score}
	for _, c := range h.Components {
		detail := "no open actions"
		if c.Findings == 1 {
			detail = "1 open action"
		} else if c.Findings > 1 {
			detail = fmt.Sprintf("%d open actions", c.Findings)
		}
		out.Components = append(out.Components, upstream.HealthComponent{Name: string(c.Category), Score: c.Score, Weight: c.Weight, Detail: detail})
	}
	return out
}
