package hub

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"tend/internal/testwatch"
	"tend/upstream"
)

// TestFleetUIInChromium drives the fleet UI in a real headless Chromium:
// sign in, see the sites (a silent one flagged), add a site through the
// CSRF-protected form, open a site's page, add a technician on the Users
// page (its setup link shown) and delete it; and no page breaks its own
// Content-Security-Policy or throws.
func TestFleetUIInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	browser := ""
	for _, b := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(b); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no chromium on PATH")
	}
	th := newTestHub(t)
	if _, err := th.data.AddSite("quiet"); err != nil {
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw-for-test"), bcrypt.MinCost)
	if err := th.data.PutUser("ops", string(hash)); err != nil {
		t.Fatal(err)
	}
	in := testSite(t, 12, t0)
	c, _ := newTestClient(t, th, th.srv.URL, &in, 0)
	c.Enqueue(context.Background())
	if _, err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.Flag("ignore-certificate-errors", true))
	// Reaped after a kill, unlike t.TempDir: the profile, and chromium's
	// own temporary directories ($TMPDIR/org.chromium.Chromium.*).
	dir := testwatch.TempDir(t, "chromium")
	opts = append(opts, chromedp.UserDataDir(dir), chromedp.Env("TMPDIR="+dir))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || strings.Contains(e.Entry.Text, "Content Security Policy") {
				problems = append(problems, e.Entry.Text)
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, e.ExceptionDetails.Text)
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if p := chromedp.FromContext(ctx).Browser.Process(); p != nil {
		t.Cleanup(testwatch.Adopt(p)) // beside chromedp's Pdeathsig: see webui's browser
	}

	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("browser: %s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("browser: text of %s: %v", sel, err)
		}
		return v
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	step("open the fleet page", chromedp.Navigate(th.srv.URL+"/sites"), chromedp.WaitVisible(`#username`))
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	step("sign in", chromedp.SendKeys(`#username`, "ops"), chromedp.SendKeys(`#password`, "pw-for-test"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`table.sites`))
	fleet := text(`main`)
	step("add a site", chromedp.SendKeys(`#site-name`, "branch-2"), chromedp.Submit(`#site-name`), chromedp.WaitVisible(`.secret-once`))
	key := text(`.secret-once`)
	step("open a site", chromedp.Click(`a[href="/sites/acme"]`), chromedp.WaitVisible(`table.devices`))
	site := text(`main`)
	step("add a technician", chromedp.Click(`a[href="/users"]`), chromedp.WaitVisible(`#user-name`),
		chromedp.SendKeys(`#user-name`, "tech1"), chromedp.SetValue(`#user-role`, RoleTechnician),
		chromedp.Submit(`#user-name`), chromedp.WaitVisible(`#setup-link`))
	link := text(`#setup-link .secret-once`)
	role, _ := th.data.Role("tech1")
	step("delete the technician", chromedp.Click(`tr[data-user="tech1"] .delete-user`), chromedp.WaitVisible(`p[role=status]`))
	deleted := text(`p[role=status]`)
	if !strings.HasSuffix(url, "/login") {
		t.Errorf("an anonymous visit went to %s, want the sign-in page", url)
	}
	if !strings.Contains(fleet, "acme") || !strings.Contains(fleet, "never reported") || !strings.Contains(fleet, "1 not reporting") {
		t.Errorf("fleet page:\n%s", fleet)
	}
	if _, err := upstream.ParseSiteKey(key); err != nil {
		t.Errorf("the add-site form showed %q: %v", key, err)
	}
	if _, err := th.data.Site("branch-2"); err != nil {
		t.Errorf("site added in the browser is missing: %v", err)
	}
	if !strings.Contains(site, "Devices (12)") || !strings.Contains(site, "Open problems") {
		t.Errorf("site page:\n%.600s", site)
	}
	if !strings.Contains(link, "/setup/tsu1_") || role.Role != RoleTechnician || deleted != "tech1 was deleted." {
		t.Errorf("users page: link %q, role %+v, then %q", link, role, deleted)
	}
	if _, err := th.data.UserHash("tech1"); err == nil {
		t.Error("tech1 deleted in the browser is still a user")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser reported: %s", p)
	}
}
