package webkit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"

	"github.com/gin-gonic/gin"
)

// contentTypes names the types of the asset kinds we ship, rather than
// asking the system's mime.types, which differs between build hosts and
// the appliance.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".ico": "image/x-icon",
}

// asset is one embedded static file with its content hash.
type asset struct {
	body        []byte
	hash        string // hex SHA-256 prefix, the cache-busting version
	contentType string
}

// Assets are the shell's static files, each named by a content-hashed URL.
type Assets struct{ m map[string]asset }

// LoadAssets hashes every embedded static file.
func LoadAssets() (*Assets, error) {
	names, err := fs.Glob(files, "static/*")
	if err != nil {
		return nil, fmt.Errorf("webkit: list assets: %w", err)
	}
	a := &Assets{m: make(map[string]asset, len(names))}
	for _, f := range names {
		body, err := files.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("webkit: read asset %s: %w", f, err)
		}
		ct, ok := contentTypes[path.Ext(f)]
		if !ok {
			return nil, fmt.Errorf("webkit: asset %s: unknown content type", f)
		}
		sum := sha256.Sum256(body)
		a.m[path.Base(f)] = asset{body: body, hash: hex.EncodeToString(sum[:8]), contentType: ct}
	}
	return a, nil
}

// URL is the template function "asset": the file's URL with its content
// hash, so browsers may cache it forever and still see a new release.
func (a *Assets) URL(name string) (string, error) {
	x, ok := a.m[name]
	if !ok {
		return "", fmt.Errorf("webkit: no asset %q", name)
	}
	return "/static/" + name + "?v=" + x.hash, nil
}

// Serve answers GET /static/:file; notFound answers a name that is no
// asset. The hashed URL is immutable.
func (a *Assets) Serve(notFound gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		x, ok := a.m[c.Param("file")]
		if !ok {
			notFound(c)
			return
		}
		etag := `"` + x.hash + `"`
		h := c.Writer.Header()
		h.Set("ETag", etag)
		if c.Query("v") == x.hash {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		if c.GetHeader("If-None-Match") == etag {
			c.Status(http.StatusNotModified)
			return
		}
		c.Data(http.StatusOK, x.contentType, x.body)
	}
}
