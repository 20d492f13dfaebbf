package api

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
)

// The console is plain static files embedded in the binary: a phone at a
// village station needs nothing but a browser.
//
//go:embed web
var webFiles embed.FS

func (s *Server) consoleRoutes(r *gin.Engine) {
	sub, _ := fs.Sub(webFiles, "web")
	index, _ := fs.ReadFile(sub, "index.html")
	r.GET("/", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", index) })
	r.StaticFS("/console", http.FS(sub))
}
