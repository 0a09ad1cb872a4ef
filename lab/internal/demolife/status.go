package main

import (
	"cmp"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
)

// statusClient reads the demo's own tend through its JSON API (the same
// handlers as the pages, Accept: application/json) with a read-only API
// token, to print what the dashboard shows at set times.
type statusClient struct {
	base  string // https://127.0.0.1:8443
	token string
	http  *http.Client
}

// newStatusClient accepts only a loopback UI (the demo's own serve, whose
// certificate is self-signed: it is not checked) and reads the token from
// a file (never from argv).
func newStatusClient(ui, tokenFile string) (*statusClient, error) {
	u, err := url.Parse(ui)
	if err != nil || u.Scheme != "https" {
		return nil, fmt.Errorf("status: %q is not an https URL", ui)
	}
	host, _, err := net.SplitHostPort(u.Host)
	if a, perr := netip.ParseAddr(host); err != nil || perr != nil || !a.IsLoopback() {
		return nil, fmt.Errorf("status: %q is not the demo's loopback address", ui)
	}
	tok, err := os.ReadFile(tokenFile)
	if err != nil {
		return nil, fmt.Errorf("status: read token: %w", err)
	}
	return &statusClient{base: strings.TrimRight(ui, "/"), token: strings.TrimSpace(string(tok)), http: &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, // #nosec: loopback, the demo's self-signed certificate
	}}, nil
}

func (s *statusClient) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := s.http.Do(req)
	if err != nil {
		return fmt.Errorf("status: GET %s: %w", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status: GET %s: %s", path, res.Status)
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 16<<20)).Decode(v); err != nil {
		return fmt.Errorf("status: GET %s: %w", path, err)
	}
	return nil
}

// demoStatus is what the dashboard, events, actions and map pages show.
type demoStatus struct {
	Devices, Remote, OnLAN, Unknown int
	Traffic                         int
	Events                          map[string]int // by type
	Actions                         int
	Rules                           map[string]int // open actions by rule
	Boxes, Links                    int
}

func (s *statusClient) read(ctx context.Context) (demoStatus, error) {
	var dash struct {
		Devices int `json:"devices"`
		Remote  int `json:"remote_devices"`
		ByType  []struct {
			Type  string `json:"type"`
			Count int    `json:"count"`
		} `json:"devices_by_type"`
		Traffic []json.RawMessage `json:"traffic"`
	}
	var evs struct {
		Events []struct {
			Type string `json:"type"`
		} `json:"events"`
	}
	var acts struct {
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
	}
	var m struct {
		Nodes []json.RawMessage `json:"nodes"`
		Links []json.RawMessage `json:"links"`
	}
	for path, v := range map[string]any{"/": &dash, "/events": &evs, "/actions": &acts, "/map": &m} {
		if err := s.get(ctx, path, v); err != nil {
			return demoStatus{}, err
		}
	}
	st := demoStatus{Devices: dash.Devices, Remote: dash.Remote, Traffic: len(dash.Traffic), Events: map[string]int{},
		Actions: len(acts.Findings), Rules: map[string]int{}, Boxes: len(m.Nodes), Links: len(m.Links)}
	for _, t := range dash.ByType {
		st.OnLAN += t.Count
		if t.Type == "unknown" {
			st.Unknown += t.Count
		}
	}
	for _, e := range evs.Events {
		st.Events[e.Type]++
	}
	for _, f := range acts.Findings {
		st.Rules[f.Rule]++
	}
	return st, nil
}

// String is the status as two lines for the person watching the demo.
func (st demoStatus) String() string {
	share := 0
	if st.OnLAN > 0 {
		share = (100*st.Unknown + st.OnLAN/2) / st.OnLAN
	}
	return fmt.Sprintf("%d devices: %d on the LAN, %d unknown (%d %%); %d in other subnets, from routers' ARP tables\n"+
		"    events: %s\n    actions: %d open of %d kinds · traffic chart: %d points · map: %d boxes, %d links",
		st.Devices, st.OnLAN, st.Unknown, share, st.Remote, counts(st.Events), st.Actions, len(st.Rules), st.Traffic, st.Boxes, st.Links)
}

// counts is "a 2, b 1" in name order, or "none".
func counts(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return cmp.Or(strings.Join(parts, ", "), "none")
}

// report prints the demo's status at each of the times after start.
func (o *office) report(ctx context.Context, c *statusClient, start time.Time, at []time.Duration) {
	for _, d := range at {
		if !sleep(ctx, time.Until(start.Add(d))) {
			return
		}
		st, err := c.read(ctx)
		if err != nil {
			o.log.Warn("demo status", "err", err)
			continue
		}
		fmt.Printf("\n  demo at %d:%02d: %s\n", int(d.Minutes()), int(d.Seconds())%60, st)
	}
}
