package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// maxRoadNetwork bounds an import: a county's roads as GeoJSON are a few
// MiB, far above the usual request limit.
const maxRoadNetwork = 64 << 20

func (s *Server) roadNetworkRoutes(g *gin.RouterGroup) {
	a := g.Group("/road-network", allow(auth.Admin))
	a.POST("", s.importRoadNetwork)
	a.GET("", s.getRoadNetwork)
	a.GET("/features", s.getRoadNetworkFeatures)
	a.POST("/matrix", s.uploadMatrix)
}

func (s *Server) importRoadNetwork(c *gin.Context) {
	var opt geo.NetworkOptions
	var f errs.Fields
	for name, dst := range map[string]*float64{"snap_tolerance_m": &opt.SnapToleranceM, "max_snap_m": &opt.MaxSnapM} {
		if v := c.Query(name); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || !(x > 0 && x <= 50_000) {
				f.Add(name, "must be a number of metres in (0, 50000], not %q", v)
			}
			*dst = x
		}
	}
	if err := f.Err(); err != nil {
		fail(c, err)
		return
	}
	body, err := readBody(c, maxRoadNetwork)
	if err == nil {
		err = checkJSON(body, 0)
	}
	if err != nil {
		fail(c, err)
		return
	}
	info, err := s.d.Dispatch.ImportRoadNetwork(c.Request.Context(), c.Query("name"), body, opt)
	reply(c, http.StatusCreated, info, err)
}

func (s *Server) getRoadNetwork(c *gin.Context) {
	info, err := s.d.Dispatch.RoadNetwork(c.Request.Context())
	reply(c, http.StatusOK, info, err)
}

// getRoadNetworkFeatures answers the imported roads as they were sent.
func (s *Server) getRoadNetworkFeatures(c *gin.Context) {
	fc, err := s.d.Dispatch.RoadNetworkFeatures(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/geo+json", fc)
}

func (s *Server) uploadMatrix(c *gin.Context) {
	var m dispatch.MatrixUpload
	if err := decode(c, &m); err != nil {
		fail(c, err)
		return
	}
	info, err := s.d.Dispatch.UploadMatrix(c.Request.Context(), m)
	reply(c, http.StatusCreated, info, err)
}
