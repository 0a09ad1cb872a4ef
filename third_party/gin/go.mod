module github.com/gin-gonic/gin

go 1.25.0

require (
	github.com/gin-contrib/sse v1.1.0
	github.com/mattn/go-isatty v0.0.20
)
