package api

import (
	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/stations"
)

// registryRoutes are the stations, carriers and merchants of the county.
// Every role may read stations and carriers (keeper phones are masked for
// all but the county centre and the station's own keeper); merchants are
// read by the county centre and by each firm itself. Only admin writes.
// DELETE deactivates and answers the record: registry rows are never
// removed, because parcels and reports refer to them.
func (s *Server) registryRoutes(g *gin.RouterGroup) {
	admin := allow(auth.Admin)

	g.GET("/stations", s.listStations)
	g.POST("/stations", admin, s.createStation)
	g.GET("/stations/:code", s.getStation)
	g.PATCH("/stations/:code", admin, s.updateStation)
	g.DELETE("/stations/:code", admin, s.deactivateStation)

	g.GET("/carriers", s.listCarriers)
	g.POST("/carriers", admin, s.createCarrier)
	g.GET("/carriers/:code", s.getCarrier)
	g.PATCH("/carriers/:code", admin, s.updateCarrier)
	g.DELETE("/carriers/:code", admin, s.deactivateCarrier)

	g.GET("/merchants", s.listMerchants)
	g.POST("/merchants", admin, s.createMerchant)
	g.GET("/merchants/:id", s.getMerchant)
	g.PATCH("/merchants/:id", admin, s.updateMerchant)
	g.DELETE("/merchants/:id", admin, s.deactivateMerchant)
}

// registryPage is the paging of a registry list in the domain's terms.
func registryPage(c *gin.Context) (stations.Page, error) {
	p, err := page(c)
	return stations.Page{Limit: p.Limit, Cursor: p.Cursor}, err
}

// boolQuery reads an optional query flag, spelled true or false only: 0,
// 1, t or F (which strconv.ParseBool would take) are refused, so that a
// typo never silently reads as false.
func boolQuery(c *gin.Context, name string) (*bool, error) {
	v, ok := c.GetQuery(name)
	if !ok || v == "" {
		return nil, nil
	}
	var b bool
	switch v {
	case "true":
		b = true
	case "false":
	default:
		var f errs.Fields
		f.Add(name, "must be true or false, not %q", v)
		return nil, f.Err()
	}
	return &b, nil
}
