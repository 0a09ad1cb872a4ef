package webkit

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"
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

// The dummy hash costs what a real one costs, so an unknown user name
// takes as long to refuse as a known one.
func TestDummyHashCost(t *testing.T) {
	if cost, err := bcrypt.Cost([]byte(dummyHash)); err != nil || cost != 12 {
		t.Errorf("dummyHash cost = %d, %v; want 12", cost, err)
	}
}

func TestCheckPassword(t *testing.T) {
	l := NewLimiter(newClock().Now)
	hash, _ := bcrypt.GenerateFromPassword([]byte("right"), bcrypt.MinCost)
	known := func() (string, error) { return string(hash), nil }
	if v, err := l.CheckPassword("10.0.0.1", "ann", "right", known); err != nil || !v.OK {
		t.Errorf("right password: %+v %v", v, err)
	}
	if v, _ := l.CheckPassword("10.0.0.1", "ann", "wrong", known); v.OK || v.Refused {
		t.Errorf("wrong password: %+v", v)
	}
	if v, _ := l.CheckPassword("10.0.0.1", "", "right", func() (string, error) { return "", nil }); v.OK {
		t.Error("an unknown user signed in")
	}
	fault := errors.New("disk gone")
	if _, err := l.CheckPassword("10.0.0.1", "ann", "right", func() (string, error) { return "", fault }); !errors.Is(err, fault) {
		t.Errorf("store fault: %v", err)
	}
	for range 10 {
		l.CheckPassword("10.0.0.2", "ann", "wrong", known)
	}
	if v, _ := l.CheckPassword("10.0.0.2", "ann", "right", known); !v.Refused || v.Wait <= 0 {
		t.Errorf("locked pair: %+v", v)
	}
	for remote, want := range map[string]string{"192.0.2.1": "192.0.2.1", "::ffff:192.0.2.1": "192.0.2.1", "2001:db8::1": "2001:db8::/64", "junk": "junk"} {
		if got := ClientKey(remote); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", remote, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || !ValidToken(a) || ValidToken(a+"x") || ValidToken("") {
		t.Error("token shape")
	}
	if !TokensEqual(a, a) || TokensEqual(a, b) || TokensEqual("", "") {
		t.Error("TokensEqual")
	}
	if len(HashToken(a)) != 64 || CookieName("x", true) != "__Host-x" || CookieName("x", false) != "x" {
		t.Error("HashToken or CookieName")
	}
}
