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

// pages are the console's addresses and the file each one serves; the
// files' scripts and styles are under /console/.
var pages = map[string]string{
	"/":        "index.html",
	"/login":   "login.html",
	"/station": "station.html",
	// the county centre's, the firms' and the public's pages
	"/prices": "prices/index.html",
	"/ops":    "ops/index.html",
	// the registry and fleet forms
	"/ops/registry": "ops/registry.html",
	"/carrier":      "carrier/index.html",
	"/merchant":     "merchant/index.html",
	"/kpi":          "kpi/index.html",   // the authority's scorecard
	"/notice":       "kpi/notice.html",  // the public notice of station rewards
	"/costs":        "costs/index.html", // fleet cost shares and statements
}

func (s *Server) consoleRoutes(r *gin.Engine) {
	sub, _ := fs.Sub(webFiles, "web")
	for path, file := range pages {
		body, err := fs.ReadFile(sub, file)
		if err != nil {
			panic("api: the console lacks " + file)
		}
		r.GET(path, func(c *gin.Context) {
			// Pages change with each release; a service worker, not the
			// HTTP cache, keeps them for offline use.
			c.Header("Cache-Control", "no-cache")
			c.Data(http.StatusOK, "text/html; charset=utf-8", body)
		})
	}
	r.StaticFS("/console", http.FS(sub))
	// The station's service worker is served from the root so that its
	// scope may cover /station.
	sw, _ := fs.ReadFile(sub, "station/sw.js")
	r.GET("/station-sw.js", func(c *gin.Context) {
		c.Header("Cache-Control", "no-cache")
		c.Data(http.StatusOK, "text/javascript; charset=utf-8", sw)
	})
}
