package notify

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseURLErrorsNameTheParameter(t *testing.T) {
	sec := secretFile(t, "hunter2")
	for _, tc := range []struct{ url, param string }{
		{"webhook+https://h.example/x", "secret_file"},
		{"webhook+https://h.example/x?secret_file=/nonexistent/file", "secret_file"},
		{"webhook+ftp://h.example/x?secret_file=" + sec, "scheme"},
		{"webhook+https:///x?secret_file=" + sec, "host"},
		{"webhook+https://h.example/x?secret_file=" + sec + "&colour=red", "colour"},
		{"gopher://h.example", "scheme"},
		{"h.example:25", "scheme"},
		{"smtp://relay.example/?to=a@b.example", "from"},
		{"smtp://relay.example/?from=tend@b.example", "to"},
		{"smtp://relay.example/?from=tend@b.example&to=not-an-address", "to"},
		{"smtp://relay.example/?from=tend@b.example&to=a@b.example&tls=maybe", "tls"},
		{"smtp://user:hunter2@relay.example/?from=tend@b.example&to=a@b.example", "password"},
		{"smtp://user@relay.example/?from=tend@b.example&to=a@b.example", "password_file"},
		{"smtp://relay.example/?from=tend@b.example&to=a@b.example&digest=hourly", "digest"},
		{"syslog+udp://?facility=local0", "host"},
		{"syslog+udp://log.example?facility=local9", "facility"},
		{"syslog+tls://log.example?ca_file=/nonexistent", "ca_file"},
		{"slack+https://hooks.slack.com/services/x?min_severity=urgent", "min_severity"},
		{"slack+https://hooks.slack.com/services/x?quiet=22-7", "quiet"},
		{"slack+https://hooks.slack.com/services/x?min_interval=soon", "min_interval"},
	} {
		_, err := ParseURL(tc.url, ParseOptions{})
		if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), `parameter "`+tc.param+`"`) {
			t.Errorf("%s: %v, want an error naming parameter %q", tc.url, err, tc.param)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error shows the secret: %v", tc.url, err)
		}
	}
}

func TestParseURLPolicy(t *testing.T) {
	e, err := ParseURL("slack+https://hooks.slack.com/services/T/B/x?min_severity=high&rules=rogue_dhcp,ups_on_battery&quiet=22:00-07:00&min_interval=4h&name=Desk", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := e.Policy
	if p.MinSeverity != "high" || len(p.Rules) != 2 || p.QuietFrom != 22*60 || p.QuietTo != 7*60 || p.MinInterval.Hours() != 4 || e.Name != "Desk" {
		t.Errorf("policy %+v name %q", p, e.Name)
	}
	m := sample() // high, snmp_default_community
	if p.Allows(&m) {
		t.Error("a rule outside the list passed")
	}
	m.Rule = "rogue_dhcp"
	if !p.Allows(&m) {
		t.Error("a listed rule at the minimum severity was held back")
	}
	m.Severity = "medium"
	if p.Allows(&m) {
		t.Error("a severity below the minimum passed")
	}
	day := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(h, mi int) bool { return p.Quiet(day.Add(time.Duration(60*h+mi) * time.Minute)) }
	if !at(23, 0) || !at(6, 59) || at(7, 0) || at(12, 0) {
		t.Error("quiet hours across midnight wrong")
	}
	// The Slack URL's query goes to Slack without tend's parameters.
	if u := e.Outlet.(*Slack).URL; strings.Contains(u, "min_severity") || strings.Contains(u, "name=") {
		t.Errorf("outlet URL keeps tend's parameters: %s", u)
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"webhook+https://h/x?secret_file=/dev/null", "smtp://u@h:25/?from=a@b&to=c@d&password_file=/x", "syslog+tls://h:1?facility=local1", "%zz", "teams+https://h/?sig=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseURL(s, ParseOptions{ReadFile: func(string) ([]byte, error) { return []byte("x"), nil }})
		if err == nil && (e.Outlet == nil || e.ID == "") {
			t.Fatalf("%q parsed without an outlet", s)
		}
	})
}

func TestParseURLChatURLFromFile(t *testing.T) {
	const hook = "https://hooks.slack.com/services/T000/B000/hunter2secret"
	f := secretFile(t, hook+"\n")
	for _, raw := range []string{"slack+file://" + f + "?min_severity=high", "slack://?url_file=" + f + "&min_severity=high"} {
		e, err := ParseURL(raw, ParseOptions{})
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		s, ok := e.Outlet.(*Slack)
		if !ok || s.URL != hook || e.Policy.MinSeverity != "high" {
			t.Errorf("%s: outlet %#v policy %+v", raw, e.Outlet, e.Policy)
		}
		if strings.Contains(e.Name, "hunter2") {
			t.Errorf("%s: the name shows the secret URL: %s", raw, e.Name)
		}
	}
	e, err := ParseURL("teams+file://"+secretFile(t, "https://prod.example.logic.azure.com/workflows/1?sig=hunter2"), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Outlet.(*Teams); !ok || strings.Contains(e.Name, "hunter2") {
		t.Errorf("teams+file: outlet %#v name %s", e.Outlet, e.Name)
	}
	plain := secretFile(t, "http://hooks.example/hunter2")
	for _, tc := range []struct{ url, param string }{
		{"slack+file:///nonexistent/hook", "url_file"},
		{"slack://?min_severity=high", "url_file"},
		{"slack+file://" + plain, "url_file"}, // http to a remote host
		{"slack+file://" + secretFile(t, "not a url"), "url_file"},
		{"teams+file://host/etc/hook", "path"},
		{"slack+file://" + f + "?url_file=" + f, "url_file"},
		{"slack://?url_file=" + f + "&colour=red", "colour"},
	} {
		_, err := ParseURL(tc.url, ParseOptions{})
		if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), `parameter "`+tc.param+`"`) {
			t.Errorf("%s: %v, want an error naming parameter %q", tc.url, err, tc.param)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error shows the secret: %v", tc.url, err)
		}
	}
}

func TestParseURLSitesAndCompanies(t *testing.T) {
	sec := secretFile(t, "hunter2")
	e, err := ParseURL("autotask+https://webservices.example/atservicesrest/v1.0?username=u&integration_code=c&secret_file="+sec+
		"&company_id=7&sites=acme,globex&site_companies=acme:11,globex:12", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Policy.Sites; len(got) != 2 || got[0] != "acme" || got[1] != "globex" {
		t.Errorf("sites %v", got)
	}
	if c := e.Outlet.(*PSA).companies; c["acme"] != "11" || c["globex"] != "12" {
		t.Errorf("companies %v", c)
	}
	m := sample()
	m.Site = "initech"
	if e.Policy.Allows(&m) {
		t.Error("a site outside sites= passed")
	}
	m.Site = "acme"
	if !e.Policy.Allows(&m) {
		t.Error("a listed site was held back")
	}
	for _, q := range []string{"site_companies=acme", "site_companies=acme:x", "site_companies=acme:1,acme:2", "site_companies=:1"} {
		_, err := ParseURL("halopsa+https://halo.example?client_id=c&secret_file="+sec+"&company_id=1&"+q, ParseOptions{})
		if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), `parameter "site_companies"`) {
			t.Errorf("%s: %v", q, err)
		}
	}
}
