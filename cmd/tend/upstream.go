package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"tend/settings"
	"time"

	"tend/inventory"
	"tend/lifecycle"
	"tend/storage"
	"tend/upstream"
)

// upstreamFlags are serve's flags for pushing summaries to a tend hub.
type upstreamFlags struct {
	url, key, keyFile string
	interval          time.Duration
	trust             upstream.HubTrust
	outbox            int
}

func (f *upstreamFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.url, "upstream", "", "the hub's URL (https://host:port); summaries are pushed there, outbound only")
	fs.StringVar(&f.key, "site-key", "", "the site's key from tend hub site add (prefer --site-key-file: flags show in ps)")
	fs.StringVar(&f.keyFile, "site-key-file", "", "file holding the site's key")
	fs.DurationVar(&f.interval, "upstream-interval", upstream.DefaultInterval, "time between summaries")
	fs.BoolVar(&f.trust.Insecure, "upstream-insecure", false, "do not verify the hub's certificate (testing only; prefer --upstream-fingerprint)")
	fs.StringVar(&f.trust.CAFile, "upstream-ca", "", "PEM file of the CA that signed the hub's certificate")
	fs.StringVar(&f.trust.Pin, "upstream-fingerprint", "", "SHA-256 of the hub's certificate (as tend hub logs it): trust exactly that certificate")
	fs.IntVar(&f.outbox, "upstream-outbox", upstream.DefaultOutboxLimit, "summaries kept while the hub is unreachable; past it older ones are merged")
}

// client builds the push client, or nil when no --upstream was given.
func (f *upstreamFlags) client(st *storage.Store, site string, log *slog.Logger) (*upstream.Client, error) {
	if f.url == "" {
		if f.key != "" || f.keyFile != "" {
			return nil, errors.New("--site-key given without --upstream")
		}
		return nil, nil
	}
	keyText, err := settings.SecretValue(f.key, f.keyFile, "site-key", "site-key-file")
	if err != nil {
		return nil, err
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
	hc, err := f.trust.HTTPClient()
	if err != nil {
		return nil, err
	}
	return upstream.NewClient(upstream.ClientConfig{
		URL: f.url, Site: site, Key: key, Interval: f.interval, OutboxLimit: f.outbox, HTTP: hc, Version: version,
		Inputs: upstream.StoreInputs(st, forecastDue), Log: log,
	}, st)
}

// forecastDue is lifecycle's forecast in the summary's terms.
func forecastDue(devs []inventory.Device, now time.Time) []upstream.Due {
	var out []upstream.Due
	for _, d := range lifecycle.ForecastDevices(devs, now) {
		out = append(out, upstream.Due{MAC: d.MAC.String(), Name: d.Name, Product: d.What, EOL: d.EOL.UTC(), Within: d.Within})
	}
	return out
}
