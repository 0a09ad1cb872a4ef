package webui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"

	"github.com/gin-gonic/gin"
)

// Templates and static files are compiled into the binary: the box serves
// everything itself and never asks a CDN.
//
//go:embed templates/*.html static/*
var embedded embed.FS

// contentTypes names the types of the asset kinds we ship, rather than
// asking the system's mime.types, which differs between build hosts and the
// appliance.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
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

func loadAssets() (map[string]asset, error) {
	files, err := fs.Glob(embedded, "static/*")
	if err != nil {
		return nil, fmt.Errorf("webui: list assets: %w", err)
	}
	out := make(map[string]asset, len(files))
	for _, f := range files {
		body, err := embedded.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("webui: read asset %s: %w", f, err)
		}
		ct, ok := contentTypes[path.Ext(f)]
		if !ok {
			return nil, fmt.Errorf("webui: asset %s: unknown content type", f)
		}
		sum := sha256.Sum256(body)
		out[path.Base(f)] = asset{body: body, hash: hex.EncodeToString(sum[:8]), contentType: ct}
	}
	return out, nil
}

// assetURL is the template function that names an asset with its content
// hash, so browsers may cache it forever and still see a new release.
func (s *Server) assetURL(name string) (string, error) {
	a, ok := s.assets[name]
	if !ok {
		return "", fmt.Errorf("webui: no asset %q", name)
	}
	return "/static/" + name + "?v=" + a.hash, nil
}

// static serves an embedded asset; the hashed URL is immutable.
func (s *Server) static(c *gin.Context) {
	a, ok := s.assets[c.Param("file")]
	if !ok {
		s.fail(c, http.StatusNotFound, "There is no such file.", nil)
		return
	}
	etag := `"` + a.hash + `"`
	h := c.Writer.Header()
	h.Set("ETag", etag)
	if c.Query("v") == a.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, a.contentType, a.body)
}
