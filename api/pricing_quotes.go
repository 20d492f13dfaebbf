package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/pricing"
)

func (s *Server) quoteRoutes(g *gin.RouterGroup) {
	quoters := allow(auth.Admin, auth.Keeper, auth.Merchant)
	g.POST("/pricing/quotes", quoters, s.postQuote)
	g.GET("/pricing/quotes/:id", quoters, s.getQuote)
	g.POST("/pricing/charges", allow(auth.Admin, auth.Keeper), s.postCharge)
}

// postQuote prices a parcel. A merchant token quotes only for its own firm
// (merchant_id may be left out); admins and keepers quote for anyone.
func (s *Server) postQuote(c *gin.Context) {
	var req pricing.QuoteRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	if p := principal(c); p.Role == auth.Merchant {
		if req.MerchantID == "" {
			req.MerchantID = p.Scope
		}
		if req.MerchantID != p.Scope {
			fail(c, errs.E(errs.Forbidden, "a merchant token for %s may quote only for itself, not for %s", p.Scope, req.MerchantID))
			return
		}
	}
	q, err := s.d.Pricing.Quote(c.Request.Context(), req)
	reply(c, http.StatusCreated, q, err)
}

func (s *Server) getQuote(c *gin.Context) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		fail(c, errs.E(errs.NotFound, "quote %q does not exist; quote ids are UUIDs", c.Param("id")))
		return
	}
	q, err := s.d.Pricing.GetQuote(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	if p := principal(c); p.Role == auth.Merchant && q.MerchantID != p.Scope {
		fail(c, errs.E(errs.Forbidden, "quote %s is not %s's", id, p.Scope))
		return
	}
	c.JSON(http.StatusOK, q)
}

// postCharge records what an up-parcel shipped on a quote was charged; the
// same parcel charged again answers the first record with 200.
func (s *Server) postCharge(c *gin.Context) {
	var req pricing.ChargeRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	ch, created, err := s.d.Pricing.Charge(c.Request.Context(), req, by(c))
	if err != nil {
		fail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, ch)
}
