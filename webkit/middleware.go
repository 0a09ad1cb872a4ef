package webkit

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// SecurityHeaders sets the strict headers on every response, errors and
// assets included, with csp as the Content-Security-Policy. Pages are not
// cached (they show live data and carry CSRF tokens); an asset handler may
// override Cache-Control.
func SecurityHeaders(csp string) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		c.Next()
	}
}

// LimitBody caps every request body at n bytes.
func LimitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}
