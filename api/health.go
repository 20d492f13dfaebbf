package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/errs"
)

// healthz answers as long as the process serves HTTP.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 only when PostgreSQL and NATS both answer.
func (s *Server) readyz(c *gin.Context) {
	if s.d.Ready != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := s.d.Ready(ctx); err != nil {
			fail(c, errs.E(errs.Unavailable, "not ready: %v", err))
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}
