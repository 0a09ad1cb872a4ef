package notify

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a contract receiver: check validates each request against
// the vendor's documented shape and returns the status and body to answer
// with (and headers to set).
type receiver struct {
	t      *testing.T
	mu     sync.Mutex
	bodies [][]byte
	answer func(r *http.Request, body []byte) (int, string, http.Header)
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.bodies = append(rc.bodies, b)
	rc.mu.Unlock()
	code, body, h := rc.answer(r, b)
	for k, v := range h {
		w.Header()[k] = v
	}
	w.WriteHeader(code)
	io.WriteString(w, body)
}

func serve(t *testing.T, answer func(r *http.Request, body []byte) (int, string, http.Header)) (*httptest.Server, *receiver) {
	rc := &receiver{t: t, answer: answer}
	s := httptest.NewServer(rc)
	t.Cleanup(s.Close)
	return s, rc
}

func secretFile(t *testing.T, s string) string {
	p := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(p, []byte(s+"\n"), 0o600)
	return p
}

func TestWebhookSignedSchema(t *testing.T) {
	const secret = "s3cret-for-hmac"
	srv, rc := serve(t, func(r *http.Request, body []byte) (int, string, http.Header) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.URL.Path != "/hooks/tend" {
			return 400, "bad request", nil
		}
		if !hmac.Equal([]byte(r.Header.Get(SignatureHeader)), []byte(Sign("s3cret-for-hmac", body))) {
			return 401, "bad signature", nil
		}
		return 204, "", nil
	})
	e, err := ParseURL("webhook+"+srv.URL+"/hooks/tend?secret_file="+secretFile(t, secret), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.Name, secret) {
		t.Errorf("name shows the secret: %s", e.Name)
	}
	m := sample()
	if _, err := e.Outlet.Send(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(rc.bodies[0], &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema", "id", "time", "site", "status", "problem_key", "rule", "severity", "title", "action", "evidence", "devices", "count", "link"} {
		if _, ok := got[k]; !ok {
			t.Errorf("webhook body lacks %q: %s", k, rc.bodies[0])
		}
	}
	if got["schema"] != SchemaVersion || got["status"] != "triggered" || got["count"] != 2.0 {
		t.Errorf("body %s", rc.bodies[0])
	}
	// A receiver holding another secret refuses: the error says so.
	e2, _ := ParseURL("webhook+"+srv.URL+"/hooks/tend?secret_file="+secretFile(t, "other"), ParseOptions{})
	if _, err := e2.Outlet.Send(context.Background(), &m); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong secret: %v", err)
	}
}

// TestSlackContract follows https://api.slack.com/messaging/webhooks: a
// JSON POST with text (and optional blocks), answered 200 "ok"; errors are
// 400 invalid_payload, 403 action_prohibited, 404 no_service, 410
// channel_is_archived; rate limiting is 429 with Retry-After.
func TestSlackContract(t *testing.T) {
	var mode string
	srv, _ := serve(t, func(r *http.Request, body []byte) (int, string, http.Header) {
		var p struct {
			Text   string `json:"text"`
			Blocks []struct {
				Type string `json:"type"`
				Text struct{ Type, Text string }
			} `json:"blocks"`
		}
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") ||
			!strings.HasPrefix(r.URL.Path, "/services/") || json.Unmarshal(body, &p) != nil || p.Text == "" {
			return 400, "invalid_payload", nil
		}
		for _, b := range p.Blocks {
			if b.Type != "section" || b.Text.Type != "mrkdwn" || b.Text.Text == "" || len(b.Text.Text) > 3000 {
				return 400, "invalid_blocks", nil
			}
		}
		switch mode {
		case "limited":
			return 429, "rate_limited", http.Header{"Retry-After": {"30"}}
		case "gone":
			return 404, "no_service", nil
		}
		return 200, "ok", nil
	})
	e, err := ParseURL("slack+"+srv.URL+"/services/T000/B000/XXXXXXXXXXXXXXXX", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.Name, "XXXXXXXXXXXXXXXX") {
		t.Errorf("name shows the webhook's secret path: %s", e.Name)
	}
	m := sample()
	if ans, err := e.Outlet.Send(context.Background(), &m); err != nil || !strings.Contains(ans, "ok") {
		t.Fatalf("answer %q, %v", ans, err)
	}
	mode = "limited"
	_, err = e.Outlet.Send(context.Background(), &m)
	var ra *RetryAfter
	if !errors.As(err, &ra) || ra.After != 30*time.Second || !strings.Contains(err.Error(), "rate_limited") {
		t.Errorf("429: %v", err)
	}
	mode = "gone"
	if _, err := e.Outlet.Send(context.Background(), &m); err == nil || !strings.Contains(err.Error(), "no_service") {
		t.Errorf("404: %v", err)
	}
}

// TestTeamsContract follows the Teams Workflows "post to a channel when a
// webhook request is received" trigger: a message envelope whose one
// attachment is an Adaptive Card (contentType
// application/vnd.microsoft.card.adaptive, content of type AdaptiveCard
// with a version), answered 202 Accepted; the URL's query (api-version, sp,
// sv, sig) is the credential and must arrive intact.
func TestTeamsContract(t *testing.T) {
	srv, _ := serve(t, func(r *http.Request, body []byte) (int, string, http.Header) {
		q := r.URL.Query()
		if q.Get("sig") != "SIGNATURE" || q.Get("api-version") != "2016-06-01" {
			return 401, `{"error":{"code":"DirectApiAuthorizationRequired"}}`, nil
		}
		var env struct {
			Type        string `json:"type"`
			Attachments []struct {
				ContentType string `json:"contentType"`
				Content     struct {
					Type    string            `json:"type"`
					Version string            `json:"version"`
					Body    []json.RawMessage `json:"body"`
				} `json:"content"`
			} `json:"attachments"`
		}
		if json.Unmarshal(body, &env) != nil || env.Type != "message" || len(env.Attachments) != 1 ||
			env.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" ||
			env.Attachments[0].Content.Type != "AdaptiveCard" || env.Attachments[0].Content.Version == "" || len(env.Attachments[0].Content.Body) == 0 {
			return 400, `{"error":{"code":"InvalidRequestContent"}}`, nil
		}
		return 202, "", nil
	})
	e, err := ParseURL("teams+"+srv.URL+"/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGNATURE", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.Name, "SIGNATURE") {
		t.Errorf("name shows the signature: %s", e.Name)
	}
	m := sample()
	if ans, err := e.Outlet.Send(context.Background(), &m); err != nil || !strings.HasPrefix(ans, "202") {
		t.Fatalf("answer %q, %v", ans, err)
	}
	bad, _ := ParseURL("teams+"+srv.URL+"/workflows/abc?api-version=2016-06-01&sig=WRONG", ParseOptions{})
	if _, err := bad.Outlet.Send(context.Background(), &m); err == nil || !strings.Contains(err.Error(), "credentials refused") {
		t.Errorf("wrong sig: %v", err)
	}
}
