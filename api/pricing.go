package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/pricing"
)

// pricingRoutes are the zones, baseline, bands, rate cards, quotes, charges,
// certification and the price-reduction report. What the public may read
// (the price page, a certificate) goes on the group without authentication.
func (s *Server) pricingRoutes(g, public *gin.RouterGroup) {
	public.GET("/pricing/zones", s.getZones)
	public.GET("/pricing/baseline", s.getBaseline)
	public.GET("/pricing/bands", s.getBands)
	public.GET("/certifications/:certificate_no", s.getCertificate)
	// Rate cards are public: the plan wants every station's shipping price
	// transparent and public (docs/authorization.md).
	public.GET("/pricing/carriers/:code/rate-cards", s.getRateCards)
	s.publicPriceRoutes(public)

	admin := g.Group("", allow(auth.Admin))
	admin.PUT("/pricing/zones", s.putZones)
	admin.PUT("/pricing/baseline", s.putBaseline)
	admin.PUT("/pricing/bands", s.putBands)
	g.POST("/pricing/carriers/:code/rate-cards", allow(auth.Admin, auth.Carrier), s.postRateCard)

	s.quoteRoutes(g)
	s.certificationRoutes(g)
	admin.GET("/reports/price-reduction", s.getPriceReduction)
}

// by names the caller in the records it changes.
func by(c *gin.Context) string {
	p := principal(c)
	if p.Scope != "" {
		return fmt.Sprintf("%s %s (token %d)", p.Role, p.Scope, p.TokenID)
	}
	return fmt.Sprintf("%s (token %d)", p.Role, p.TokenID)
}

// atParam reads the optional ?at= instant; zero means now.
func atParam(c *gin.Context) (time.Time, error) {
	s := c.Query("at")
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, invalidField("at", fmt.Sprintf("%q is not an RFC 3339 time such as 2026-06-01T00:00:00Z", s))
	}
	return t, nil
}

type zoneView struct {
	Zone      string             `json:"zone"`
	Name      string             `json:"name"`
	Provinces []pricing.Province `json:"provinces"`
}

type zoningView struct {
	Version       int64      `json:"version"`
	EffectiveFrom time.Time  `json:"effective_from"`
	Origin        string     `json:"origin"`
	Zones         []zoneView `json:"zones"`
	CreatedBy     string     `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
}

func viewZoning(z *pricing.Zoning) zoningView {
	v := zoningView{Version: z.Version, EffectiveFrom: z.EffectiveFrom, Origin: z.Origin, CreatedBy: z.CreatedBy, CreatedAt: z.CreatedAt}
	for _, zn := range z.Zones {
		zv := zoneView{Zone: zn.Zone, Name: zn.Name, Provinces: []pricing.Province{}}
		for _, code := range zn.Provinces {
			p, _ := pricing.LookupProvince(code)
			zv.Provinces = append(zv.Provinces, p)
		}
		v.Zones = append(v.Zones, zv)
	}
	return v
}

func (s *Server) getZones(c *gin.Context) {
	at, err := atParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	z, err := s.d.Pricing.ZoningAt(c.Request.Context(), at)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewZoning(z))
}

type zoningRequest struct {
	EffectiveFrom time.Time      `json:"effective_from"`
	Origin        string         `json:"origin"`
	Zones         []pricing.Zone `json:"zones"`
}

func (s *Server) putZones(c *gin.Context) {
	var req zoningRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.Origin == "" {
		req.Origin = "530000"
	}
	z, err := s.d.Pricing.SaveZoning(c.Request.Context(), pricing.Zoning{EffectiveFrom: req.EffectiveFrom, Origin: req.Origin, Zones: req.Zones}, by(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewZoning(&z))
}

func (s *Server) getBaseline(c *gin.Context) {
	at, err := atParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	b, err := s.d.Pricing.BaselineAt(c.Request.Context(), c.Query("carrier"), at)
	reply(c, http.StatusOK, b, err)
}

type baselineRequest struct {
	Carrier       string                 `json:"carrier"`
	EffectiveFrom time.Time              `json:"effective_from"`
	Source        string                 `json:"source"`
	Cells         []pricing.BaselineCell `json:"cells"`
}

func (s *Server) putBaseline(c *gin.Context) {
	var req baselineRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	b, err := s.d.Pricing.SaveBaseline(c.Request.Context(), pricing.Baseline{Carrier: req.Carrier,
		EffectiveFrom: req.EffectiveFrom, Source: req.Source, Cells: req.Cells}, by(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}

func (s *Server) getBands(c *gin.Context) {
	at, err := atParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := s.d.Pricing.Published(c.Request.Context(), at)
	reply(c, http.StatusOK, p, err)
}

type bandsRequest struct {
	EffectiveFrom time.Time           `json:"effective_from"`
	WeightRule    *pricing.WeightRule `json:"weight_rule"`
	BoundG        int64               `json:"bound_g"`
	Cells         []pricing.BandCell  `json:"cells"`
}

func (s *Server) putBands(c *gin.Context) {
	var req bandsRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	b := pricing.BandSet{EffectiveFrom: req.EffectiveFrom, BoundG: req.BoundG, Cells: req.Cells}
	if req.WeightRule != nil {
		b.WeightRule = *req.WeightRule
	}
	saved, err := s.d.Pricing.SaveBands(c.Request.Context(), b, by(c))
	reply(c, http.StatusOK, saved, err)
}

type rateCardRequest struct {
	EffectiveFrom time.Time          `json:"effective_from"`
	Cells         []pricing.CardCell `json:"cells"`
}

func (s *Server) postRateCard(c *gin.Context) {
	code := c.Param("code")
	if p := principal(c); p.Role == auth.Carrier && p.Scope != code {
		fail(c, errs.E(errs.Forbidden, "a carrier token for %s may submit only its own rate card, not %s's", p.Scope, code))
		return
	}
	var req rateCardRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	rc, err := s.d.Pricing.SubmitRateCard(c.Request.Context(), pricing.RateCard{Carrier: code, EffectiveFrom: req.EffectiveFrom, Cells: req.Cells}, by(c))
	reply(c, http.StatusCreated, rc, err)
}

func (s *Server) getRateCards(c *gin.Context) {
	cards, err := s.d.Pricing.RateCards(c.Request.Context(), c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(cards, ""))
}
