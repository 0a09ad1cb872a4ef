package hub

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"tend/storage"
)

// tokensView is the admin's API tokens page: names, scopes, IDs (the
// start of the token's SHA-256), never a token.
type tokensView struct {
	hubLayout `json:"-"`
	Tokens    []TokenInfo `json:"tokens"`
	Done      string      `json:"done,omitempty"`
}

func (h *Hub) tokensPage(c *gin.Context) {
	if h.admin(c) {
		h.renderTokens(c, http.StatusOK, tokensView{})
	}
}

func (h *Hub) renderTokens(c *gin.Context, status int, v tokensView) {
	var err error
	if v.Tokens, err = h.data.Tokens(); err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the tokens.", err)
		return
	}
	if v.Tokens == nil {
		v.Tokens = []TokenInfo{}
	}
	v.hubLayout = h.layoutFor(c, "API tokens", "tokens")
	h.render(c, status, "tokens", v, v)
}

// revokeToken revokes one token by its ID: refused at once by every hub.
func (h *Hub) revokeToken(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	id := c.Param("id")
	var name string
	toks, err := h.data.Tokens()
	for _, t := range toks {
		if t.ID == id {
			name = t.Name
		}
	}
	if err == nil && name != "" {
		_, err = h.data.RevokeToken(id)
	}
	switch {
	case err == nil && name == "", errors.Is(err, storage.ErrNotFound):
		h.fail(c, http.StatusNotFound, "There is no such token.", nil)
		return
	case err != nil:
		h.fail(c, http.StatusInternalServerError, "Could not revoke the token.", err)
		return
	}
	h.auditBy(c, "token revoke", name+" "+id)
	h.renderTokens(c, http.StatusOK, tokensView{Done: "Token " + name + " revoked."})
}

// keyView shows a site's new key, once (never as JSON).
type keyView struct {
	hubLayout `json:"-"`
	Site      string `json:"site"`
	Key       string `json:"-"`
}

// rotateKey gives a site a new key: the old one stops working at once.
func (h *Hub) rotateKey(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	site := c.Param("name")
	key, err := h.data.RotateSiteKey(site)
	if h.siteWriteFailed(c, err) {
		return
	}
	h.auditBy(c, "site key rotate", site)
	h.render(c, http.StatusOK, "key", keyView{h.layoutFor(c, "New key for "+site, "sites"), site, key}, keyView{Site: site})
}

// deleteSite deletes a site with everything the hub holds of it; the form
// asks for the site's name again.
func (h *Hub) deleteSite(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	site := c.Param("name")
	if c.PostForm("confirm") != site {
		h.fail(c, http.StatusBadRequest, "To delete the site, type its name "+site+" in the box.", nil)
		return
	}
	if h.siteWriteFailed(c, h.data.DeleteSite(site)) {
		return
	}
	h.auditBy(c, "site delete", site)
	c.Redirect(http.StatusSeeOther, "/sites")
}

func (h *Hub) siteWriteFailed(c *gin.Context, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, storage.ErrNotFound):
		h.fail(c, http.StatusNotFound, "There is no such site.", nil)
	default:
		h.fail(c, http.StatusInternalServerError, "Could not change the site.", err)
	}
	return true
}
