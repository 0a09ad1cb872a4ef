package hub

import (
	"testing"
	"time"

	"tend/storage"
	"tend/upstream"
)

// FuzzIngest is the hub's door: headers and body from the network. Nothing
// may panic, and nothing may be stored unless the signature verifies.
func FuzzIngest(f *testing.F) {
	st, err := storage.Open(":memory:", storage.Config{})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	hub := NewHubStore(st, func() time.Time { return t0 }, 0)
	printable, err := hub.AddSite("acme")
	if err != nil {
		f.Fatal(err)
	}
	key, _ := upstream.ParseSiteKey(printable)
	s := boxSummary(f, "acme", t0, testSite(f, 4, t0))
	body, _ := upstream.EncodeBody(s)
	idem := upstream.IdempotencyKey(s.Box, s.Seq)
	f.Add("acme", idem, upstream.Sign(key, "acme", idem, body), body)
	f.Add("acme", "box1:0", "hmac-sha256=00", body)
	f.Add("other", idem, upstream.Sign(key, "acme", idem, body), body)
	f.Fuzz(func(t *testing.T, site, idem, sig string, body []byte) {
		_, err := hub.Ingest(site, idem, sig, body)
		if err == nil && upstream.Verify(key, site, idem, body, sig) != nil {
			t.Fatalf("stored a summary whose signature does not verify")
		}
	})
}

// FuzzStoredSite reads a site record and its parts: record as stored
// (what a damaged store or an older hub may hold): never a panic, the site
// always named, and a parts: record that does not decode flags it Broken
// rather than leave its actions half read.
func FuzzStoredSite(f *testing.F) {
	f.Add(`{"name":"acme","parts_apart":true,"health":{"score":80}}`, `{"actions":[{"id":"a","severity":"high"}],"problems":[]}`)
	f.Add(`{"name":"acme","actions":[{"id":"a"}]}`, `{"actions":[]}`)
	f.Add(`{"parts_apart":true}`, `{"actions":[[[[`)
	f.Fuzz(func(t *testing.T, site, parts string) {
		st, apart := decodeSite("acme", site)
		if apart {
			addParts(&st, parts)
		}
		if st.Name == "" {
			t.Fatal("the site lost its name")
		}
		if st.Broken == "" && st.OpenActions != len(st.Actions) {
			t.Fatalf("%d open actions, %d listed", st.OpenActions, len(st.Actions))
		}
	})
}
