package webui

import (
	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/webkit"
)

// routes lists every route of the UI in one place. Everything outside the
// public group needs a session, and every POST needs a CSRF token.
func (s *Server) routes() *gin.Engine {
	// The shell's engine: the client address is the socket's, whatever
	// X-Forwarded-For claims (the login limiter keys on it); /healthz and
	// /static/ are public.
	r := s.shell.Engine()
	r.Use(webkit.LimitBody(maxBodyBytes))

	// Public: no session.
	r.GET("/login", s.loginPage)
	r.POST("/login", s.shell.SignIn(s.signIn()))
	r.POST("/setup", s.setup)

	// Everything else: a session, and a CSRF token on POST.
	// Roles: read-only looks; a technician works the actions, edits
	// devices and scans; an admin manages users, tokens and settings. An
	// API token acts with its scope (read-only unless chosen otherwise).
	tech, admin := s.need(storage.RoleTechnician), s.need(storage.RoleAdmin)
	auth := r.Group("/", s.requireSession, s.shell.RequireCSRF(func(c *gin.Context) bool { return c.GetBool(ctxBearer) }))
	auth.GET("/", s.dashboardPage)
	auth.GET("/actions", s.actionsPage)
	auth.POST("/actions/:id", tech, s.changeAction)
	auth.GET("/problems", s.problemsPage)
	auth.GET("/report", s.reportPage)
	auth.GET("/events", s.eventsPage)
	auth.GET("/map", s.mapPage)
	auth.GET("/audit", s.auditPage)
	auth.GET("/settings", s.settingsPage)
	auth.POST("/settings/users", admin, s.addUser)
	auth.POST("/settings/users/delete", admin, s.deleteUser)
	auth.POST("/settings/users/role", admin, s.setUserRole)
	auth.POST("/settings/tokens", admin, s.createToken)
	auth.POST("/settings/tokens/delete", admin, s.revokeToken)
	auth.POST("/settings/sessions/end", s.sessionOnly, s.endSessions)
	auth.POST("/settings/password", s.sessionOnly, s.changePassword)
	auth.GET("/settings/outlets", admin, s.outletsPage)
	auth.POST("/settings/outlets/test", admin, s.testOutlet)
	auth.GET("/devices", s.devicesPage)
	auth.GET("/devices.csv", s.devicesCSV)
	auth.GET("/devices/:mac", s.devicePage)
	auth.POST("/devices/:mac", tech, s.editDevice)
	auth.POST("/scan", tech, s.scan)
	auth.POST("/logout", s.sessionOnly, s.logout)
	return r
}
