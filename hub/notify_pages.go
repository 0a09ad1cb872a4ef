package hub

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"errors"

	"tend/storage"
)

// SetNotifier gives the hub's outlets page its notifier (nil: no outlets).
// Call it before serving.
func (h *Hub) SetNotifier(n *Notifier) { h.notifier = n }

// outletsView is the outlets page: every outlet's policy, queue, last
// answer and last error (never a secret: names are redacted URLs), and the
// answer of a test send.
type outletsView struct {
	hubLayout  `json:"-"`
	Outlets    []OutletRow `json:"outlets"`
	TestedID   string      `json:"tested_id,omitempty"`
	TestAnswer string      `json:"test_answer,omitempty"`
	TestError  string      `json:"test_error,omitempty"`
	Added      string      `json:"added,omitempty"` // the new outlet's name
	FormError  string      `json:"error,omitempty"`
}

// admin reports whether the signed-in user is an admin; outlets are an
// admin's business (their names and answers say where alerts go).
func (h *Hub) admin(c *gin.Context) bool {
	r, _ := c.Get(hubCtxRole)
	if ur, ok := r.(UserRole); ok && ur.Role == RoleAdmin {
		return true
	}
	h.fail(c, http.StatusForbidden, "Only admins see this page.", nil)
	return false
}

func (h *Hub) outletsPage(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	h.renderOutlets(c, http.StatusOK, outletsView{})
}

func (h *Hub) renderOutlets(c *gin.Context, status int, v outletsView) {
	v.hubLayout = h.layoutFor(c, "Outlets", "outlets")
	v.Outlets = h.notifier.Outlets()
	if v.Outlets == nil {
		v.Outlets = []OutletRow{}
	}
	h.render(c, status, "outlets", v, v)
}

// testOutlet sends a test message through one outlet at once and shows
// its answer.
func (h *Hub) testOutlet(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	if h.notifier == nil {
		h.fail(c, http.StatusNotFound, "There is no such outlet.", nil)
		return
	}
	id := c.Param("id")
	known := false
	for _, o := range h.notifier.Outlets() {
		known = known || o.ID == id
	}
	if !known {
		h.fail(c, http.StatusNotFound, "There is no such outlet.", nil)
		return
	}
	sess, _ := h.session(c)
	h.audit(sess.User, "outlet test", id)
	v := outletsView{TestedID: id}
	ans, err := h.notifier.Test(c.Request.Context(), id)
	v.TestAnswer = ans
	status := http.StatusOK
	if err != nil {
		v.TestError, status = err.Error(), http.StatusBadGateway
	}
	h.renderOutlets(c, status, v)
}

// addOutlet adds an outlet from its service URL, checked as --notify is;
// the answer names a bad parameter and never shows the URL back (only its
// redacted name).
func (h *Hub) addOutlet(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	if h.notifier == nil {
		h.fail(c, http.StatusNotFound, "Notifications are not enabled on this hub.", nil)
		return
	}
	e, err := h.notifier.AddOutlet(c.PostForm("url"))
	if err != nil {
		h.renderOutlets(c, http.StatusBadRequest, outletsView{FormError: err.Error()})
		return
	}
	sess, _ := h.session(c)
	h.audit(sess.User, "outlet add", e.Name)
	h.renderOutlets(c, http.StatusOK, outletsView{Added: e.Name})
}

// removeOutlet removes an outlet added in the UI, with its queue.
func (h *Hub) removeOutlet(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	if h.notifier == nil {
		h.fail(c, http.StatusNotFound, "There is no such outlet.", nil)
		return
	}
	id := c.Param("id")
	switch err := h.notifier.RemoveOutlet(id); {
	case errors.Is(err, storage.ErrNotFound):
		h.fail(c, http.StatusNotFound, "There is no such outlet.", nil)
		return
	case err != nil:
		h.renderOutlets(c, http.StatusBadRequest, outletsView{FormError: err.Error()})
		return
	}
	sess, _ := h.session(c)
	h.audit(sess.User, "outlet remove", id)
	c.Redirect(http.StatusSeeOther, "/outlets")
}
