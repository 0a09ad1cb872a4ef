package webkit

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

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
