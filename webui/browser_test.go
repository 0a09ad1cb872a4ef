package webui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"tend/findings"
	"tend/internal/orphans"
	"tend/internal/testwatch"
	"tend/inventory"
)

// chromium finds Debian's chromium, or skips: the browser suite needs a
// real browser, never a fake.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser suite skipped: no chromium on PATH (apt-get install chromium)")
	return ""
}

// browser starts a headless chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	// Reaped after a kill, unlike t.TempDir: the profile, and chromium's
	// own temporary directories ($TMPDIR/org.chromium.Chromium.*).
	dir := testwatch.TempDir(t, "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // root in CI containers
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.Env("TMPDIR="+dir),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute) // generous: CI machines are shared
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	// chromedp kills it when this binary dies (Pdeathsig); the mark
	// covers a binary that dies otherwise (testwatch, `tend lab reap`).
	if p := chromedp.FromContext(ctx).Browser.Process(); p != nil {
		t.Cleanup(testwatch.Adopt(p))
	}
	return ctx
}

// screenshot keeps a picture of the page in $TEND_ARTIFACTS, else in the
// repository's artifacts/ folder (CI keeps either; README, Tests).
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("TEND_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, "browser-"+name+".jpg"), buf, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}

// TestBrowserTempDir: chromium's $TMPDIR, where it makes directories of
// its own, is the marked directory the reap removes after a kill, not the
// test binary's $TMPDIR, where they would stay.
func TestBrowserTempDir(t *testing.T) {
	ctx := browser(t)
	p := chromedp.FromContext(ctx).Browser.Process()
	if p == nil {
		t.Fatal("no browser process")
	}
	env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", p.Pid))
	if err != nil {
		t.Skip("no /proc:", err)
	}
	var tmp string
	for _, kv := range strings.Split(string(env), "\x00") {
		if v, ok := strings.CutPrefix(kv, "TMPDIR="); ok {
			tmp = v
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, orphans.OwnerFile)); tmp == "" || err != nil {
		t.Errorf("chromium's TMPDIR %q is not a marked directory: %v", tmp, err)
	}
}

// TestBrowser drives real chromium through first-run setup, triage of an
// action, editing a device's label and role, signing out and in again.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	f, code, file := setupFixture(t)
	ts := httptest.NewServer(f.h)
	defer ts.Close()

	// First run: the sign-in page is the setup form.
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/devices"), // sends a stranger to /login
		chromedp.WaitVisible(chromedp.ID("code")),
	)
	title, _ := chromedp.Run(ctx, chromedp.Title())
	if err != nil || !strings.Contains(title, "First-run setup") {
		t.Fatalf("setup form: %v, title %q", err, title)
	}
	screenshot(t, ctx, "setup")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("code"), strings.ToLower(code)),
		chromedp.SendKeys(chromedp.ID("username"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.SendKeys(chromedp.ID("password2"), testPassword),
		chromedp.Submit(chromedp.ID("code")),
		chromedp.WaitVisible(chromedp.CSS(`svg.gauge`)),
	)
	if err != nil {
		t.Fatalf("first-run setup in the browser: %v", err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("setup-code file survives setup: %v", err)
	}
	if _, err := f.st.User("admin"); err != nil {
		t.Fatalf("no admin after setup: %v", err)
	}

	// Triage: acknowledge an action with a note.
	f.seed()
	f.seedFindings()
	id := findings.ID(findings.RuleSNMPDefaultCommunity, "00:1b:54:aa:bb:01")
	card := `#f-` + id
	err = chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/actions"),
		chromedp.WaitVisible(chromedp.CSS(card)),
	)
	if err != nil {
		t.Fatalf("actions page: %v", err)
	}
	screenshot(t, ctx, "actions")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(card+` input[name="note"]`), "changing it on Friday"),
		chromedp.Click(chromedp.CSS(card+` button[value="acknowledge"]`)),
		chromedp.WaitVisible(chromedp.CSS(card+` .state-acknowledged`)),
	)
	if err != nil {
		t.Fatalf("acknowledge in the browser: %v", err)
	}
	got, err := f.st.Finding(id)
	if err != nil || got.State != inventory.FindingAcknowledged || got.StateBy != "admin" || got.StateNote != "changing it on Friday" {
		t.Errorf("stored finding after acknowledge: %v %+v", err, got)
	}

	// Edit a device: label and role.
	err = chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/devices/00:11:32:00:00:03"),
		chromedp.WaitVisible(chromedp.ID("label")),
		chromedp.SetValue(chromedp.ID("label"), "Backup NAS"),
		chromedp.SetValue(chromedp.ID("role"), findings.RoleBackupTarget),
		chromedp.Click(chromedp.CSS(`.edit-device button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[contains(., "Backup NAS")]`)),
	)
	if err != nil {
		t.Fatalf("edit device in the browser: %v", err)
	}
	screenshot(t, ctx, "device")
	mac, _ := inventory.ParseMAC("00:11:32:00:00:03")
	if d, err := f.st.Device(mac); err != nil || d.Label != "Backup NAS" || d.Role != findings.RoleBackupTarget {
		t.Errorf("stored device after edit: %v label %q role %q", err, d.Label, d.Role)
	}

	// The network map draws the links the switch reported.
	core, _ := inventory.ParseMAC("00:1b:54:aa:bb:01")
	neighbors := []inventory.Neighbor{{Protocol: "cdp", LocalPort: "Gi1/0/48", RemoteName: "fw", RemotePort: "port1"}}
	for i := 2; i <= 15; i++ { // enough access switches that a zoomed map is larger than a small window
		neighbors = append(neighbors, inventory.Neighbor{Protocol: "lldp", LocalPort: fmt.Sprintf("Gi1/0/%d", i), RemoteName: fmt.Sprintf("edge-sw-%d", i), RemotePort: "Gi0/24"})
	}
	if _, err := f.st.Apply(inventory.Observation{Time: f.clock.Now(), Source: inventory.SourceSNMP, MAC: core, Neighbors: neighbors}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/map"), chromedp.WaitVisible(chromedp.CSS(`svg.netmap`))); err != nil {
		t.Fatalf("network map in the browser: %v", err)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(`svg.netmap polyline.map-link`)))
	if err != nil {
		t.Fatalf("network map's links: %v", err)
	}
	if len(drawn) < 15 {
		t.Errorf("the map draws %d links, want the switch's 15", len(drawn))
	}
	screenshot(t, ctx, "map")
	dragMap(t, ctx, ts.URL)

	// Sign out, then in with the new account.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Sign out"]`)),
		chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("username"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS(`svg.gauge`)),
	)
	if err != nil {
		t.Fatalf("sign out and in in the browser: %v", err)
	}
	screenshot(t, ctx, "dashboard")
}

// dragMap checks that the map pans by dragging: at 200 % in a small window
// the drawing is larger than its card, and a press, moves and release from
// the card's middle scroll it by the distance dragged, without following
// the link of a box the drag may have started on.
func dragMap(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	state := `(() => { const c = document.querySelector(".map-card"), r = c.getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2, c.scrollLeft, c.scrollTop, c.scrollWidth - c.clientWidth, c.scrollHeight - c.clientHeight]; })()`
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(480, 400),
		chromedp.Navigate(base+"/map?zoom=200"),
		chromedp.WaitVisible(chromedp.CSS(`.map-card svg.netmap`)),
	)
	if err != nil {
		t.Fatalf("map at 200 %%: %v", err)
	}
	defer func() { _ = chromedp.Do(ctx, chromedp.ResetViewport()) }()
	before, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](state))
	if err != nil || len(before) != 6 {
		t.Fatalf("map card: %v %v", err, before)
	}
	if before[4] < 60 || before[5] < 30 {
		t.Fatalf("at 200 %% in 480×400 the drawing is not larger than its card (%.0f×%.0f to scroll)", before[4], before[5])
	}
	x, y := before[0], before[1]
	err = chromedp.Do(ctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x-10, y-5, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x-30, y-15, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x-50, y-25, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x-50, y-25, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	)
	if err != nil {
		t.Fatalf("drag the map: %v", err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](state))
	if err != nil || len(after) != 6 {
		t.Fatalf("map card after the drag: %v %v", err, after)
	}
	// The drag moved 50 px left and 25 up: the view scrolls as far right
	// and down (less where it meets the drawing's edge).
	if dx, dy := after[2]-before[2], after[3]-before[3]; dx < min(40, before[4]) || dy < min(20, before[5]) {
		t.Errorf("dragging 50×25 px scrolled the map by %.0f×%.0f", dx, dy)
	}
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.Contains(loc, "/map?zoom=200") {
		t.Errorf("after the drag the page is %q (%v), want the map still", loc, err)
	}
	screenshot(t, ctx, "map-dragged")
}
