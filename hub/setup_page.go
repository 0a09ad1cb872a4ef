package hub

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// setupView is the page a setup link opens.
type setupView struct {
	hubLayout `json:"-"`
	Token     string `json:"-"` // the link's secret
	User      string `json:"user"`
	FormError string `json:"error,omitempty"`
}

// setupPage shows the form of a valid setup link (no session needed: the
// link's token is the credential).
func (h *Hub) setupPage(c *gin.Context) {
	tok := c.Param("token")
	user, err := h.data.SetupLinkUser(tok)
	if err != nil {
		h.setupFailed(c, err)
		return
	}
	h.renderSetup(c, http.StatusOK, setupView{Token: tok, User: user})
}

func (h *Hub) renderSetup(c *gin.Context, status int, v setupView) {
	v.hubLayout = hubLayout{AppName: h.cfg.Title, Home: "/sites", Title: "Choose your password"}
	h.render(c, status, "setup", v, v)
}

// setup sets the password of a setup link's user and sends it to sign in.
// The link is checked before the (slow) hash, and used in one transaction.
func (h *Hub) setup(c *gin.Context) {
	tok := c.PostForm("token")
	user, err := h.data.SetupLinkUser(tok)
	if err != nil {
		h.setupFailed(c, err)
		return
	}
	pw := c.PostForm("password")
	if pw != c.PostForm("confirm") {
		h.renderSetup(c, http.StatusBadRequest, setupView{Token: tok, User: user, FormError: "The two passwords differ."})
		return
	}
	hash, err := h.data.hashPassword(pw)
	if err != nil {
		h.renderSetup(c, http.StatusBadRequest, setupView{Token: tok, User: user, FormError: err.Error()})
		return
	}
	if _, err := h.data.UseSetupLink(tok, hash); err != nil {
		h.setupFailed(c, err)
		return
	}
	h.log.Info("password set by setup link", "user", user)
	h.audit(user, "user setup", user)
	c.Redirect(http.StatusSeeOther, "/login")
}

func (h *Hub) setupFailed(c *gin.Context, err error) {
	if errors.Is(err, ErrSetupLink) {
		h.fail(c, http.StatusNotFound, "This setup link is not valid: it was used, replaced or has expired. Ask an admin for a new one.", nil)
		return
	}
	h.fail(c, http.StatusInternalServerError, "Could not check the setup link.", err)
}
