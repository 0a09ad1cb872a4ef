package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tend/inventory"
)

// Outlet delivers one message. Send returns the receiver's answer in a
// form a person can read (for the test-send button) and an error when the
// message was not accepted; a *RetryAfter error says when to try again.
type Outlet interface {
	Send(ctx context.Context, m *Message) (answer string, err error)
}

// RetryAfter is an answer asking the sender to come back later (HTTP 429
// or 503 with Retry-After).
type RetryAfter struct {
	After time.Duration
	Err   error
}

func (e *RetryAfter) Error() string { return fmt.Sprintf("%v (retry after %s)", e.Err, e.After) }
func (e *RetryAfter) Unwrap() error { return e.Err }

// SignatureHeader carries the webhook body's HMAC-SHA256 under the
// outlet's secret, as "sha256=" and the hex digest: the receiver computes
// the same over the raw body and compares in constant time.
const SignatureHeader = "X-Tend-Signature-256"

// Sign returns the SignatureHeader value for body under secret.
func Sign(secret inventory.Secret, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret.Reveal()))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Webhook posts the message as JSON (schema SchemaVersion), signed.
type Webhook struct {
	URL    string
	Secret inventory.Secret
	Client *http.Client
}

// Send posts m; any 2xx answer is acceptance.
func (w *Webhook) Send(ctx context.Context, m *Message) (string, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("webhook: encode message: %w", err)
	}
	h := http.Header{}
	h.Set(SignatureHeader, Sign(w.Secret, body))
	h.Set("X-Tend-Schema", SchemaVersion)
	return post(ctx, w.Client, "webhook", w.URL, body, h)
}

// Slack posts to an incoming webhook: text (the fallback in
// notifications) plus Block Kit sections
// (https://api.slack.com/messaging/webhooks).
type Slack struct {
	URL    string
	Client *http.Client
}

// Send posts m; Slack answers 200 "ok", or 400/403/404/410 with an error
// word (invalid_payload, no_service, …), or 429 with Retry-After.
func (s *Slack) Send(ctx context.Context, m *Message) (string, error) {
	text := fmt.Sprintf("*%s*", escapeSlack(m.Subject()))
	detail := escapeSlack(strings.TrimSpace(m.Text()))
	if len(detail) > 2900 { // a section's text holds at most 3000 characters
		detail = detail[:2900] + "…"
	}
	body, err := json.Marshal(map[string]any{
		"text": m.Subject(),
		"blocks": []any{
			map[string]any{"type": "section", "text": map[string]string{"type": "mrkdwn", "text": text}},
			map[string]any{"type": "section", "text": map[string]string{"type": "mrkdwn", "text": detail}},
		},
	})
	if err != nil {
		return "", fmt.Errorf("slack: encode message: %w", err)
	}
	return post(ctx, s.Client, "slack", s.URL, body, nil)
}

// escapeSlack escapes the three characters Slack's mrkdwn reserves.
func escapeSlack(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// Teams posts an Adaptive Card to a Teams Workflows webhook ("Post to a
// channel when a webhook request is received"), in the message envelope
// Workflows expects: type "message" with one attachment of content type
// application/vnd.microsoft.card.adaptive.
type Teams struct {
	URL    string
	Client *http.Client
}

// Send posts m; Workflows answers 202 Accepted.
func (t *Teams) Send(ctx context.Context, m *Message) (string, error) {
	facts := []map[string]string{
		{"title": "Status", "value": string(m.Status)},
		{"title": "Severity", "value": string(m.Severity)},
		{"title": "Site", "value": m.Site},
		{"title": "Devices", "value": strconv.Itoa(m.Count)},
		{"title": "Problem", "value": m.Key},
	}
	body := []any{
		map[string]any{"type": "TextBlock", "text": m.Subject(), "weight": "Bolder", "size": "Medium", "wrap": true},
		map[string]any{"type": "FactSet", "facts": facts},
		map[string]any{"type": "TextBlock", "text": m.Action, "wrap": true},
	}
	if len(m.Devices) > 0 {
		var names []string
		for _, d := range m.Devices[:min(len(m.Devices), 20)] {
			names = append(names, deviceLine(d))
		}
		body = append(body, map[string]any{"type": "TextBlock", "text": "- " + strings.Join(names, "\n- "), "wrap": true})
	}
	card := map[string]any{
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"type":    "AdaptiveCard",
		"version": "1.4",
		"body":    body,
	}
	if m.Link != "" {
		card["actions"] = []any{map[string]string{"type": "Action.OpenUrl", "title": "Open in tend", "url": m.Link}}
	}
	b, err := json.Marshal(map[string]any{
		"type": "message",
		"attachments": []any{map[string]any{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"contentUrl":  nil,
			"content":     card,
		}},
	})
	if err != nil {
		return "", fmt.Errorf("teams: encode message: %w", err)
	}
	return post(ctx, t.Client, "teams", t.URL, b, nil)
}

// maxAnswer bounds how much of an answer is read and shown.
const maxAnswer = 2048

// post sends body as JSON and turns the answer into (answer, error).
func post(ctx context.Context, c *http.Client, what, url string, body []byte, h http.Header) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("%s: build request: %w", what, err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "tend-notify/1")
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("%s: post: %w", what, scrubURLError(err))
	}
	defer resp.Body.Close()
	return answer(what, resp)
}

// answer reads an HTTP answer: 2xx is success, 429/503 with Retry-After a
// *RetryAfter, anything else an error quoting the status and body.
func answer(what string, resp *http.Response) (string, error) {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	ans := strings.TrimSpace(fmt.Sprintf("%s %s", resp.Status, strings.TrimSpace(string(b))))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return ans, nil
	}
	err := fmt.Errorf("%s: answered %s", what, ans)
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		err = fmt.Errorf("%s: credentials refused: answered %s", what, ans)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		d := time.Minute
		if s := resp.Header.Get("Retry-After"); s != "" {
			if n, perr := strconv.Atoi(s); perr == nil {
				d = time.Duration(n) * time.Second
			} else if t, perr := http.ParseTime(s); perr == nil {
				d = time.Until(t)
			}
		}
		return ans, &RetryAfter{After: max(d, time.Second), Err: err}
	}
	return ans, err
}

// scrubURLError drops the URL from a *url.Error: Slack and Teams URLs are
// secrets themselves and must not reach a log.
func scrubURLError(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && strings.Contains(err.Error(), "://") {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}
