package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	tendhub "tend/hub"
	"tend/inventory"
	"tend/lab"
	"tend/upstream"
)

// proc is a tend process the test started and stops.
type proc struct {
	cmd    *exec.Cmd
	log    string
	exited chan error
}

func startTend(t *testing.T, netns, logName, bin string, args ...string) *proc {
	t.Helper()
	args = append([]string{"netns", "exec", netns, bin}, args...)
	cmd := exec.Command("ip", args...)
	logPath := filepath.Join(t.TempDir(), logName)
	f, _ := os.Create(logPath)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, log: logPath, exited: make(chan error, 1)}
	go func() { p.exited <- cmd.Wait(); f.Close() }()
	t.Cleanup(func() {
		p.stop(t)
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s:\n%s", logName, b)
		}
	})
	return p
}

// stop ends the process with SIGTERM and waits, 10 s or longer while it
// still works (waitWorking: at load 60 a serve took longer to shut down);
// calling it twice is fine.
func (p *proc) stop(t *testing.T) {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	var err error
	took, ok := waitWorking(10*time.Second, 50*time.Millisecond, []int{p.cmd.Process.Pid}, func() bool {
		select {
		case err = <-p.exited:
			return true
		default:
			return false
		}
	})
	if !ok {
		p.cmd.Process.Kill()
		<-p.exited
		t.Errorf("%s ignored SIGTERM for %v", p.log, took.Round(time.Second))
	} else if err != nil {
		t.Errorf("%s did not stop cleanly: %v", p.log, err)
	}
}

// certFingerprint is the SHA-256 of the hub's certificate, for pinning.
func certFingerprint(t *testing.T, dir string) string {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b, err := os.ReadFile(filepath.Join(dir, "tls.crt"))
		if err != nil {
			continue
		}
		if blk, _ := pem.Decode(b); blk != nil {
			sum := sha256.Sum256(blk.Bytes)
			return hex.EncodeToString(sum[:])
		}
	}
	t.Fatal("the hub wrote no certificate")
	return ""
}

type hubSite struct {
	Name      string    `json:"name"`
	Devices   int       `json:"devices"`
	Summaries int       `json:"summaries"`
	Seq       uint64    `json:"seq"`
	Box       string    `json:"box"`
	LastSeen  time.Time `json:"last_seen"`
	Stale     bool      `json:"stale"`
	Health    struct {
		Score int `json:"score"`
	} `json:"health"`
}

// TestHubWithBoxOnLab runs a box (tend serve) on the setA office lab and a
// hub (tend hub) as two real processes, both on the box namespace's
// loopback: the site and its devices reach the hub within a minute; with
// the hub stopped for a while every summary made meanwhile arrives once and
// in order after it restarts; tampered, replayed and wrong-key summaries are
// refused; a technician's acknowledgement at the hub shows on the box's
// actions; and the SNMP community never leaves the box.
func TestHubWithBoxOnLab(t *testing.T) {
	needLabTools(t)
	t.Parallel() // its waits follow the box's progress (waitWorking): see labParallel
	bin := tendBinary(t)
	corpus := lab.FindCorpus("../../../shared/corpus/snmp")
	lanName := "office"
	if corpus == "" {
		t.Log("reference corpus absent: using the small LAN of the repository's own recordings")
		lanName = "small"
	}
	st, _ := upLab(t, bin, "h", "--lan", lanName, "--corpus", corpus)

	hubData, boxData := t.TempDir(), t.TempDir()
	keyOut, stderr, err := runTend(t, bin, "", "hub", "site", "add", "--data", hubData, "--name", "office")
	if err != nil {
		t.Fatalf("hub site add: %v: %s", err, stderr)
	}
	keyFile := filepath.Join(t.TempDir(), "site.key")
	os.WriteFile(keyFile, []byte(keyOut), 0o600)
	token, stderr, err := runTend(t, bin, "", "hub", "token", "create", "--data", hubData, "--name", "test")
	if err != nil {
		t.Fatalf("hub token create: %v: %s", err, stderr)
	}
	token = strings.TrimSpace(token)
	addTech := exec.Command(bin, "hub", "user", "add", "--data", hubData, "--name", "tech", "--role", "technician")
	addTech.Stdin = strings.NewReader(techPassword + "\n")
	if b, err := addTech.CombinedOutput(); err != nil {
		t.Fatalf("hub user add: %v: %s", err, b)
	}
	boxOut, stderr, err := runTend(t, bin, "", "token", "create", "--data", boxData, "--name", "e2e")
	if err != nil {
		t.Fatalf("token create: %v: %s", err, stderr)
	}
	boxToken := strings.Fields(boxOut)[len(strings.Fields(boxOut))-1]
	siteKey, err := upstream.ParseSiteKey(keyOut)
	if err != nil {
		t.Fatal(err)
	}

	const hubAddr = "127.0.0.1:9443"
	hubArgs := []string{"hub", "--data", hubData, "--listen", hubAddr, "--stale-after", "30s", "-v"}
	hub := startTend(t, st.BoxNetns, "hub.log", bin, hubArgs...)

	client := &http.Client{
		Timeout: time.Minute, // one request; the waits follow the box (waitWorking): at load 60 a sign-in took over 10 s
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the hub's self-signed certificate
			DialContext: func(ctx context.Context, network, addr string) (conn net.Conn, err error) {
				err = lab.InNetns(st.BoxNetns, func() error {
					conn, err = (&net.Dialer{}).DialContext(ctx, network, addr)
					return err
				})
				return conn, err
			},
		},
	}
	base := "https://" + hubAddr
	api := func(path string, v any) error {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return json.NewDecoder(resp.Body).Decode(v)
	}
	office := func() hubSite {
		var sites []hubSite
		if err := api("/api/sites", &sites); err != nil {
			return hubSite{}
		}
		for _, s := range sites {
			if s.Name == "office" {
				return s
			}
		}
		return hubSite{}
	}

	waitHub := func(p *proc) {
		var exited error
		gone := false
		took, ok := waitWorking(20*time.Second, 100*time.Millisecond, []int{p.cmd.Process.Pid}, func() bool {
			select {
			case exited = <-p.exited:
				gone = true
				return true
			default:
			}
			resp, err := client.Get(base + "/healthz")
			if err == nil {
				resp.Body.Close()
			}
			return err == nil
		})
		if gone {
			t.Fatalf("hub exited: %v", exited)
		}
		if !ok {
			t.Fatalf("the hub did not answer within %v", took.Round(time.Second))
		}
	}
	waitHub(hub)
	if _, _, err := runTend(t, bin, "", "hub", "site", "add", "--data", hubData, "--name", "other"); err == nil {
		t.Error("hub site add wrote the database of a running hub")
	}
	pin := certFingerprint(t, hubData)
	const secret = "tend-e2e-secret-community"
	start := time.Now()
	serve := startTend(t, st.BoxNetns, "serve.log", bin, "serve", "--interface", st.BoxIface, "--data", boxData,
		"--listen", "127.0.0.1:8443", "--scan-interval", "10s", "--site", "office", "--community", "public", "--community", secret,
		"--upstream", "https://"+hubAddr, "--site-key-file", keyFile, "--upstream-interval", "3s", "--upstream-fingerprint", pin)

	// 1. The site and all its devices arrive within a minute (longer
	// only while the box, the hub or the agents are still working).
	working := labPIDs(st.Devices, serve.cmd.Process.Pid, hub.cmd.Process.Pid)
	var s hubSite
	if took, _ := waitWorking(time.Minute, 500*time.Millisecond, working, func() bool {
		s = office()
		return s.Devices >= len(st.Devices)
	}); s.Devices < len(st.Devices) {
		t.Fatalf("%v after start the hub shows %d devices for the site, the lab has %d (%+v)", took.Round(time.Second), s.Devices, len(st.Devices), s)
	}
	var detail struct {
		DeviceList []upstream.Device `json:"device_list"`
	}
	if err := api("/api/sites/office", &detail); err != nil {
		t.Fatal(err)
	}
	byMAC := map[string]upstream.Device{}
	for _, d := range detail.DeviceList {
		byMAC[d.MAC] = d
	}
	for _, want := range st.Devices {
		if _, ok := byMAC[want.MACText]; !ok {
			t.Errorf("hub's device list lacks %s (%s)", want.Name, want.MACText)
		}
	}
	t.Logf("%s lab: %d devices at the hub %s after the box started (%d summaries, health %d)", lanName, s.Devices, time.Since(start).Round(100*time.Millisecond), s.Summaries, s.Health.Score)

	// 2. The hub goes away for a while; the box keeps making summaries.
	before := office()
	hub.stop(t)
	outage := 15 * time.Second
	time.Sleep(outage)
	hub2 := startTend(t, st.BoxNetns, "hub2.log", bin, hubArgs...)
	waitHub(hub2)
	working = labPIDs(st.Devices, serve.cmd.Process.Pid, hub2.cmd.Process.Pid)
	var after hubSite
	waitWorking(time.Minute, 500*time.Millisecond, working, func() bool {
		// Everything made during the outage (at least outage/interval)
		// plus a couple after.
		after = office()
		return after.Seq >= before.Seq+uint64(outage/(3*time.Second))+1
	})
	var recs []tendhub.SummaryRecord
	if err := api("/api/sites/office/summaries?limit=1000&body=1", &recs); err != nil {
		t.Fatal(err)
	}
	next, n := uint64(1), 0
	for i := len(recs) - 1; i >= 0; i-- { // oldest first by receive order
		r := recs[i]
		n++
		if r.N != n || r.FirstSeq != next || r.Seq != next || r.Coalesced != 1 {
			t.Errorf("summary #%d (receive %d) covers %d..%d (%d merged); want exactly %d", n, r.N, r.FirstSeq, r.Seq, r.Coalesced, next)
		}
		next = r.Seq + 1
	}
	made := after.Seq - before.Seq
	t.Logf("hub down %s: box made %d summaries meanwhile and since; hub holds %d, covering 1..%d without gap or repeat", outage, made, len(recs), next-1)
	if made < uint64(outage/(3*time.Second)) {
		t.Errorf("only %d summaries arrived after the outage, want at least %d", made, outage/(3*time.Second))
	}

	// 3. Refusals: replayed, tampered, wrong key.
	last := recs[0]
	idem := upstream.IdempotencyKey(last.Box, last.Seq)
	older := recs[len(recs)-1]
	oldIdem := upstream.IdempotencyKey(older.Box, older.Seq)
	wrongKey, _ := upstream.ParseSiteKey(upstream.NewSiteKey())
	tampered := bytes.Clone(last.Body)
	tampered[len(tampered)/2] ^= 0x10
	postSummary := func(idem, sig string, body []byte) int {
		req, _ := http.NewRequest("POST", base+upstream.SummaryPath, bytes.NewReader(body))
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set(upstream.HeaderSite, "office")
		req.Header.Set(upstream.HeaderIdempotency, idem)
		req.Header.Set(upstream.HeaderSignature, sig)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	countBefore := office().Summaries
	for name, tc := range map[string]struct {
		idem, sig string
		body      []byte
		want      int
	}{
		"replayed":  {oldIdem, upstream.Sign(siteKey, "office", oldIdem, older.Body), older.Body, http.StatusConflict},
		"tampered":  {idem, upstream.Sign(siteKey, "office", idem, last.Body), tampered, http.StatusUnauthorized},
		"wrong key": {idem, upstream.Sign(wrongKey, "office", idem, last.Body), last.Body, http.StatusUnauthorized},
	} {
		if code := postSummary(tc.idem, tc.sig, tc.body); code != tc.want {
			t.Errorf("%s summary: %d, want %d", name, code, tc.want)
		}
	}
	if got := office().Summaries; got > countBefore+2 { // the box itself may deliver one or two meanwhile
		t.Errorf("refused summaries were stored: %d then %d", countBefore, got)
	}

	// 5. A technician's decision at the hub reaches the box's actions.
	hubDecisionReachesBox(t, client, base, boxToken, working)

	// 4. The SNMP community stayed on the box.
	for _, r := range recs {
		zr, err := gzip.NewReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(zr)
		if bytes.Contains(raw, []byte(secret)) {
			t.Fatalf("summary %d carries the SNMP community", r.Seq)
		}
	}
}

const techPassword = "tend e2e technician password"

var csrfInPage = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// hubDecisionReachesBox signs in to the hub (hubBase, over client's
// dialer) as the technician, acknowledges one of the office site's open
// problems with a note, and waits for the box (its UI on 127.0.0.1:8443,
// boxToken) to show the problem's findings acknowledged by "tech at the
// hub", with the note, in its JSON and on its actions page; its waits
// follow the progress of working (waitWorking).
func hubDecisionReachesBox(t *testing.T, client *http.Client, hubBase, boxToken string, working []int) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := *client
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	page := func(method, u string, form url.Values) (int, string) {
		var resp *http.Response
		var err error
		if method == http.MethodPost {
			resp, err = hc.PostForm(u, form)
		} else {
			resp, err = hc.Get(u)
		}
		if err != nil {
			t.Fatalf("%s %s: %v", method, u, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	csrf := func(body string) string {
		m := csrfInPage.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no CSRF token in:\n%s", body)
		}
		return m[1]
	}
	_, login := page("GET", hubBase+"/login", nil)
	if code, _ := page("POST", hubBase+"/login", url.Values{"csrf": {csrf(login)}, "username": {"tech"}, "password": {techPassword}}); code != http.StatusSeeOther {
		t.Fatalf("hub sign-in as tech: %d", code)
	}
	var key, sitePage string
	waitWorking(time.Minute, time.Second, working, func() bool {
		_, sitePage = page("GET", hubBase+"/sites/office", nil)
		if m := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(sitePage); m != nil {
			key = m[1]
		}
		return key != ""
	})
	if key == "" {
		t.Fatalf("the hub's site page offers no open action to decide on:\n%s", sitePage)
	}
	const note = "e2e: on it from the office"
	if code, body := page("POST", hubBase+"/sites/office/actions", url.Values{"csrf": {csrf(sitePage)}, "key": {key}, "do": {"acknowledge"}, "note": {note}}); code != http.StatusSeeOther {
		t.Fatalf("acknowledge %s at the hub: %d\n%s", key, code, body)
	}
	decided := time.Now()
	boxGet := func(path, accept string) string {
		req, _ := http.NewRequest("GET", "https://127.0.0.1:8443"+path, nil)
		req.Header.Set("Authorization", "Bearer "+boxToken)
		req.Header.Set("Accept", accept)
		resp, err := client.Do(req)
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	var reached string
	took, _ := waitWorking(30*time.Second, 500*time.Millisecond, working, func() bool {
		var answer struct {
			Findings []inventory.Finding `json:"findings"`
		}
		if json.Unmarshal([]byte(boxGet("/actions?state=acknowledged", "application/json")), &answer) != nil {
			return false
		}
		for _, f := range answer.Findings {
			if f.StateBy == "tech"+upstream.HubActorSuffix && f.StateNote == note {
				reached = f.ID
			}
		}
		return reached != ""
	})
	if reached == "" {
		t.Errorf("%v after the technician acknowledged %s at the hub, the box shows no finding acknowledged by tech at the hub", took.Round(time.Second), key)
		return
	}
	if html := boxGet("/actions?state=acknowledged", "text/html"); !strings.Contains(html, "by tech at the hub") {
		t.Errorf("the box's actions page does not say who decided:\n%s", html)
	}
	t.Logf("hub decision on %s reached the box %s after it was taken (finding %s)", key, time.Since(decided).Round(100*time.Millisecond), reached)
}
