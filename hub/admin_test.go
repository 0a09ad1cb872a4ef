package hub

import (
	"net/http"
	"strings"
	"testing"

	"tend/upstream"
)

// TestKeysTokensAudit: a rotated key works and the old one is refused; a
// deleted site is gone with its data; a revoked token is refused; each
// act is in the audit log.
func TestKeysTokensAudit(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		body := gzipJSON(t, summaryJSON("b1", 1, ""))
		if code, _ := signedPost(t, th, "b1", 1, body); code != http.StatusOK {
			t.Fatalf("summary with the first key: %d", code)
		}
		old := th.key
		key, err := th.data.RotateSiteKey("acme")
		if err != nil {
			t.Fatal(err)
		}
		th.key = key
		if code, _ := signedPost(t, th, "b1", 2, gzipJSON(t, summaryJSON("b1", 2, ""))); code != http.StatusOK {
			t.Errorf("summary with the new key: %d", code)
		}
		th.key = old
		if code, _ := signedPost(t, th, "b1", 3, gzipJSON(t, summaryJSON("b1", 3, ""))); code != http.StatusUnauthorized {
			t.Errorf("summary with the rotated-out key: %d, want 401", code)
		}
		tok, _ := th.data.NewToken("grafana")
		if code, _, _ := get(t, th.srv.Client(), th.srv.URL+"/api/sites", tok); code != 200 {
			t.Fatalf("token before revocation: %d", code)
		}
		toks, _ := th.data.Tokens()
		if len(toks) != 1 || toks[0].Scope != ScopeRead || toks[0].Name != "grafana" {
			t.Errorf("tokens %+v", toks)
		}
		if n, err := th.data.RevokeToken(toks[0].ID); n != 1 || err != nil {
			t.Errorf("revoke by id: %d %v", n, err)
		}
		if code, _, _ := get(t, th.srv.Client(), th.srv.URL+"/api/sites", tok); code != http.StatusUnauthorized {
			t.Errorf("revoked token: %d, want 401", code)
		}
		if err := th.data.DeleteSite("acme"); err != nil {
			t.Fatal(err)
		}
		if sites, _ := th.data.Sites(); len(sites) != 0 {
			t.Errorf("after delete: %+v", sites)
		}
		left := 0
		th.data.db.view(func(tx kvTx) error {
			return tx.Ascend("", func(k, _ string) bool {
				fleetWide := k == "tot:fleet" || k == "meta:fleet-totals" || strings.HasPrefix(k, "tday:") // sums, not the site's
				if k[:6] != "audit:" && k[:6] != "token:" && k != "meta:master" && k != "meta:list" && k != "meta:users-imported" && k != "meta:index" && !fleetWide {
					left++
					t.Logf("left behind: %s", k)
				}
				return true
			})
		})
		if left != 0 {
			t.Errorf("%d records of a deleted site left", left)
		}
		key2, _ := upstream.ParseSiteKey(key)
		idem := upstream.IdempotencyKey("b1", 4)
		b4 := gzipJSON(t, summaryJSON("b1", 4, ""))
		if code, _ := post(t, th, "acme", idem, upstream.Sign(key2, "acme", idem, b4), b4); code != http.StatusUnauthorized {
			t.Errorf("summary for a deleted site: %d, want 401", code)
		}
		for _, a := range [][3]string{{"ops", "site rotate", "acme"}, {"ops", "site delete", "acme"}} {
			if err := th.data.Audit(a[0], a[1], a[2]); err != nil {
				t.Fatal(err)
			}
		}
		log, err := th.data.AuditLog(0)
		if err != nil || len(log) != 2 || log[0].Action != "site delete" {
			t.Errorf("audit log %+v %v", log, err)
		}
	})
}
