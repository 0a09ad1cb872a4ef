package webkit

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	l := NewLimiter(func() time.Time { return now })
	for i := range MaxLoginFailures {
		wait := l.Fail("ip:10.0.0.9", "user:alice")
		if last := i == MaxLoginFailures-1; (wait > 0) != last {
			t.Fatalf("failure %d: locked for %v", i+1, wait)
		}
	}
	if l.Locked("user:alice") == 0 || l.Locked("ip:10.0.0.10") != 0 {
		t.Error("the lock should hold the failing keys only")
	}
	now = now.Add(LoginLockout + time.Second)
	if l.Locked("user:alice") != 0 {
		t.Error("still locked after the lockout")
	}
	l.Fail("user:bob")
	l.Reset("user:bob")
	if l.Locked("user:bob") != 0 {
		t.Error("reset did not forget")
	}
}

func TestMiddleware(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.Use(SecurityHeaders("default-src 'self'"), LimitBody(8))
	r.POST("/", func(c *gin.Context) {
		if err := c.Request.ParseForm(); err != nil {
			c.String(http.StatusRequestEntityTooLarge, "too big")
			return
		}
		c.String(http.StatusOK, "ok")
	})
	for body, want := range map[string]int{"a=1": http.StatusOK, "a=123456789": http.StatusRequestEntityTooLarge} {
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("body %q: status %d, want %d", body, w.Code, want)
		}
		if w.Header().Get("Content-Security-Policy") != "default-src 'self'" || w.Header().Get("X-Frame-Options") != "DENY" {
			t.Errorf("headers %v", w.Header())
		}
	}
}

func TestHealthLevel(t *testing.T) {
	for score, want := range map[int]string{100: "good", HealthGood: "good", HealthGood - 1: "fair", HealthFair: "fair", HealthFair - 1: "poor", 0: "poor"} {
		if got := HealthLevel(score); got != want {
			t.Errorf("HealthLevel(%d) = %q, want %q", score, got, want)
		}
	}
}
