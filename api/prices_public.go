package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/pricing"
)

// publicPriceRoutes are what the public price page reads without signing
// in: the board, the certified firms and a calculator that stores nothing.
func (s *Server) publicPriceRoutes(public *gin.RouterGroup) {
	public.GET("/pricing/board", s.getPriceBoard)
	public.GET("/pricing/certified-firms", s.getCertifiedFirms)
	public.GET("/pricing/price-check", s.getPriceCheck)
}

func (s *Server) getPriceBoard(c *gin.Context) {
	b, err := s.d.Pricing.Board(c.Request.Context())
	reply(c, http.StatusOK, b, err)
}

func (s *Server) getCertifiedFirms(c *gin.Context) {
	firms, err := s.d.Pricing.CertifiedFirms(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(firms, ""))
}

// priceCheck is a quote that was not stored: it has no quote_id to charge.
type priceCheck struct {
	pricing.Quote
	ID *string `json:"quote_id,omitempty"`
}

// getPriceCheck prices ?weight_g=&province=&category=[&merchant_id=] as a
// quote would, for anyone.
func (s *Server) getPriceCheck(c *gin.Context) {
	req := pricing.QuoteRequest{MerchantID: c.Query("merchant_id"), Category: pricing.Category(c.DefaultQuery("category", string(pricing.FarmProduce))),
		Destination: pricing.Destination{Province: c.Query("province")}}
	w, err := strconv.ParseInt(c.Query("weight_g"), 10, 64)
	if err != nil {
		fail(c, invalidField("weight_g", "must be a whole number of grams, such as 2500"))
		return
	}
	req.WeightG = w
	q, err := s.d.Pricing.PriceCheck(c.Request.Context(), req)
	reply(c, http.StatusOK, priceCheck{Quote: q}, err)
}
