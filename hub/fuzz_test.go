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

// FuzzStoredSite reads a site record and its parts: and state: records
// as stored (what a damaged store or an older hub may hold): never a
// panic, the site always named, a parts: record that does not decode flags
// it Broken rather than leave its actions half read, and a state: record
// that decodes leaves no list nil.
func FuzzStoredSite(f *testing.F) {
	f.Add(`{"name":"acme","parts_apart":true,"health":{"score":80}}`, `{"actions":[{"id":"a","severity":"high"}],"problems":[]}`, ``)
	f.Add(`{"name":"acme","actions":[{"id":"a"}]}`, `{"actions":[]}`, ``)
	f.Add(`{"parts_apart":true}`, `{"actions":[[[[`, ``)
	f.Add(`{"name":"acme","parts_apart":true,"state_apart":true,"health":{"score":80,"components":null}}`, `{"actions":[]}`,
		`{"health":{"score":80,"components":[{"name":"actions","score":70}]},"devices_by_type":{"printer":2},"forecast":{"eol":1,"due":null}}`)
	f.Add(`{"state_apart":true}`, ``, `{"health":{"components":[[[[`)
	f.Fuzz(func(t *testing.T, site, parts, state string) {
		st, ap := decodeSite("acme", site)
		if ap.parts {
			addParts(&st, parts)
		}
		if ap.state {
			addState(&st, state)
			if st.Broken == "" && (st.ByType == nil || st.Health.Components == nil || st.Forecast.Due == nil) {
				t.Fatalf("a state: record read leaves a list nil: %+v", st)
			}
		}
		if st.Name == "" {
			t.Fatal("the site lost its name")
		}
		if st.Broken == "" && st.OpenActions != len(st.Actions) {
			t.Fatalf("%d open actions, %d listed", st.OpenActions, len(st.Actions))
		}
	})
}
