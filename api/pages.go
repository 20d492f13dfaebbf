package api

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
)

// pageRoutes serve the county centre's, the firms' and the public's pages
// of the embedded console: each a static HTML file whose module script
// calls the API.
func (s *Server) pageRoutes(r *gin.Engine) {
	sub, _ := fs.Sub(webFiles, "web")
	for path, file := range map[string]string{
		"/prices": "prices/index.html",
	} {
		page, err := fs.ReadFile(sub, file)
		if err != nil {
			panic("the console lacks " + file) // a build without its pages is a bug
		}
		r.GET(path, func(c *gin.Context) {
			c.Header("Cache-Control", "no-cache")
			c.Data(http.StatusOK, "text/html; charset=utf-8", page)
		})
	}
}
