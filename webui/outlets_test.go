package webui

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tend/notify"
	"tend/storage"
)

// queue is notify.Queue over storage, as cmd/tend wires it.
type queue struct{ st *storage.Store }

func (q queue) Publish(state []byte, items map[string][][]byte) error {
	return q.st.NotifyPublish(state, items)
}
func (q queue) State() ([]byte, error) { return q.st.NotifyState() }
func (q queue) Head(o string) (uint64, []byte, bool, error) {
	it, err := q.st.NotifyHead(o)
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil, false, nil
	}
	return it.Seq, it.Body, err == nil, err
}
func (q queue) Items(o string, n int) ([]uint64, [][]byte, error) { return nil, nil, nil }
func (q queue) Delete(o string, seq uint64) error                 { return q.st.NotifyDelete(o, seq) }
func (q queue) Len(o string) (int, error)                         { return q.st.NotifyLen(o) }

func TestOutletsPage(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer up.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "receiver on fire", http.StatusInternalServerError)
	}))
	defer down.Close()
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("topsecret-hmac-key"), 0o600)
	var eps []*notify.Endpoint
	for _, u := range []string{"webhook+" + up.URL + "/ok?secret_file=" + secret, "webhook+" + down.URL + "/bad?secret_file=" + secret + "&min_severity=high"} {
		e, err := notify.ParseURL(u, notify.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, e)
	}
	qs, err := storage.Open(":memory:", storage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer qs.Close()
	d := notify.New(notify.Config{Site: "Acme Dental"}, queue{qs}, eps, slog.New(slog.DiscardHandler))
	f := newFixture(t, Config{Outlets: d})
	s := f.login("alice")

	page := f.do(request{path: "/settings/outlets", cookies: []*http.Cookie{s.cookie}})
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, "/ok") || !strings.Contains(page.body, "severity high") {
		t.Fatalf("outlets page %d:\n%s", page.StatusCode, page.body)
	}
	if strings.Contains(page.body, "topsecret") {
		t.Error("outlets page shows the secret")
	}
	test := func(id string) response {
		return f.do(request{method: http.MethodPost, path: "/settings/outlets/test", cookies: []*http.Cookie{s.cookie},
			form: url.Values{"csrf": {s.csrf}, "id": {id}}})
	}
	if r := test(eps[0].ID); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "204 No Content") {
		t.Errorf("test send to a working outlet = %d:\n%s", r.StatusCode, r.body)
	}
	r := test(eps[1].ID)
	if r.StatusCode != http.StatusBadGateway || !strings.Contains(r.body, "receiver on fire") {
		t.Errorf("test send to a failing outlet = %d:\n%s", r.StatusCode, r.body)
	}
	// The error stays on the page as the outlet's last error.
	page = f.do(request{path: "/settings/outlets", cookies: []*http.Cookie{s.cookie}, json: true})
	if !strings.Contains(page.body, `"last_error":"webhook: answered 500`) {
		t.Errorf("JSON lacks the last error:\n%s", page.body)
	}
	if r := test("nosuch"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown outlet = %d", r.StatusCode)
	}
	if r := f.do(request{path: "/settings/outlets"}); r.StatusCode == http.StatusOK {
		t.Error("outlets page served without a session")
	}
}

func (q queue) Ticket(o, p string) (string, bool, error) { return q.st.NotifyTicket(o, p) }
func (q queue) PutTicket(o, p, id string) error          { return q.st.PutNotifyTicket(o, p, id) }
