package hub

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// addUserWithHost adds a user from the Users page with the request's Host
// header set to host, and returns the page.
func addUserWithHost(t *testing.T, hc *http.Client, base, csrf, name, host string) string {
	t.Helper()
	form := url.Values{"csrf": {csrf}, "name": {name}, "role": {RoleTechnician}}
	req, _ := http.NewRequest(http.MethodPost, base+"/users", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// The jar files cookies under the request's host; a forged Host needs
	// them set by hand, as a client forging it would.
	for _, ck := range hc.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	req.Host = host
	plain := *hc
	plain.Jar = nil
	resp, err := plain.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("add %s: %d %s\n%s", name, resp.StatusCode, resp.Header.Get("Location"), b)
	}
	return string(b)
}

// TestSetupLinkPublicURL: the setup link is on the hub's --public-url
// whatever Host header the request carries (a proxy's inner address, or a
// forged one); without --public-url it is the path alone, with a note to
// put the hub's address in front.
func TestSetupLinkPublicURL(t *testing.T) {
	th := newTestHubOn(t, "embedded")
	admin, csrf := uiUser(t, th, "ops")
	page := addUserWithHost(t, admin, th.srv.URL, csrf, "tech1", "evil.example")
	if !regexp.MustCompile(`>https://hub\.example/setup/tsu1_[A-Za-z0-9_-]+<`).MatchString(page) || strings.Contains(page, "evil.example") {
		t.Errorf("the setup link is not on the public URL, or carries the Host header:\n%s", page)
	}

	h2, err := NewHub(HubConfig{Now: th.clk.Now, SecureCookies: true}, th.st, th.data)
	must(t, err)
	srv2 := httptest.NewTLSServer(h2.Handler())
	t.Cleanup(srv2.Close)
	th2 := *th
	th2.hub, th2.srv = h2, srv2
	admin2, csrf2 := uiUser(t, &th2, "ops2")
	page = addUserWithHost(t, admin2, srv2.URL, csrf2, "tech2", "evil.example")
	if !regexp.MustCompile(`>/setup/tsu1_[A-Za-z0-9_-]+<`).MatchString(page) || strings.Contains(page, "evil.example") || !strings.Contains(page, "--public-url") {
		t.Errorf("without --public-url: want the path alone and the note:\n%s", page)
	}

	for in, want := range map[string]string{"": "", "https://hub.example/": "https://hub.example", "https://hub.example:8443/tend/": "https://hub.example:8443/tend"} {
		if got, err := ParsePublicURL(in); err != nil || got != want {
			t.Errorf("ParsePublicURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"http://hub.example", "hub.example", "https://u:p@hub.example", "https://hub.example/?k=v", "https://hub.example/#x", "https:///x"} {
		if _, err := ParsePublicURL(bad); err == nil {
			t.Errorf("ParsePublicURL(%q) was taken", bad)
		}
	}
	if _, err := NewHub(HubConfig{PublicURL: "http://hub.example"}, th.st, th.data); err == nil {
		t.Error("a hub started with an http public URL")
	}
}
