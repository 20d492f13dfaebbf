package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/settlement"
)

// settlementRoutes: the ledger's statements (a carrier or keeper sees its
// own), postings, reversals, balances and handling fees (admin).
func (s *Server) settlementRoutes(g *gin.RouterGroup) {
	g.GET("/settlement/statements", allow(auth.Admin, auth.Carrier, auth.Keeper), s.statements)
	a := g.Group("/settlement", allow(auth.Admin))
	a.GET("/balances", s.balances)
	a.POST("/postings", s.postDay)
	a.GET("/entries/:id", s.entry)
	a.POST("/entries/:id/reverse", s.reverseEntry)
	a.GET("/fee-rates", s.feeRates)
	a.PUT("/fee-rates", s.setFeeRate)
}

// statementFilter reads the query, a carrier's and a keeper's narrowed to
// their own account whatever they ask.
func statementFilter(c *gin.Context) (settlement.StatementFilter, error) {
	f := settlement.StatementFilter{Month: c.DefaultQuery("month", time.Now().In(dispatch.County).Format("2006-01"))}
	p := principal(c)
	switch p.Role {
	case auth.Carrier:
		f.Kind, f.Party = settlement.KindCarrier, p.Scope
	case auth.Keeper:
		f.Kind, f.Party = settlement.KindKeeper, p.Scope
	default:
		set := 0
		for _, k := range []string{settlement.KindCarrier, settlement.KindOperator, "station"} {
			if v := c.Query(k); v != "" {
				f.Kind, f.Party = k, v
				set++
			}
		}
		if f.Kind == "station" {
			f.Kind = settlement.KindKeeper
		}
		if set > 1 {
			return f, invalidField("carrier", "name one of carrier, operator or station, not several")
		}
	}
	return f, nil
}

func (s *Server) statements(c *gin.Context) {
	f, err := statementFilter(c)
	if err != nil {
		fail(c, err)
		return
	}
	sts, err := s.d.Settlement.Statements(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	name := "tongpei-statement-" + f.Month
	switch format := c.DefaultQuery("format", "json"); format {
	case "json":
		c.JSON(http.StatusOK, gin.H{"month": f.Month, "items": sts})
	case "csv":
		b, err := settlement.StatementsCSV(sts)
		attachment(c, name+".csv", "text/csv; charset=utf-8", b, err)
	case "xlsx":
		b, err := settlement.StatementsXLSX(sts)
		attachment(c, name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b, err)
	default:
		fail(c, invalidField("format", "must be json, csv or xlsx, not "+strconv.Quote(format)))
	}
}

func attachment(c *gin.Context, name, mime string, b []byte, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, mime, b)
}

func (s *Server) balances(c *gin.Context) {
	tb, err := s.d.Settlement.Balances(c.Request.Context())
	reply(c, http.StatusOK, tb, err)
}

func (s *Server) postDay(c *gin.Context) {
	var req struct {
		Date string `json:"date"`
	}
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	out, err := s.d.Settlement.PostDay(c.Request.Context(), req.Date)
	reply(c, http.StatusOK, out, err)
}

func entryID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errs.E(errs.NotFound, "entry %q does not exist", c.Param("id")))
		return 0, false
	}
	return id, true
}

func (s *Server) entry(c *gin.Context) {
	if id, ok := entryID(c); ok {
		e, err := s.d.Settlement.Entry(c.Request.Context(), id)
		reply(c, http.StatusOK, e, err)
	}
}

func (s *Server) reverseEntry(c *gin.Context) {
	id, ok := entryID(c)
	if !ok {
		return
	}
	var req struct {
		Memo string `json:"memo"`
	}
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	e, err := s.d.Settlement.Reverse(c.Request.Context(), id, req.Memo)
	reply(c, http.StatusCreated, e, err)
}

func (s *Server) feeRates(c *gin.Context) {
	list, err := s.d.Settlement.FeeRateList(c.Request.Context())
	reply(c, http.StatusOK, gin.H{"items": list}, err)
}

func (s *Server) setFeeRate(c *gin.Context) {
	var req settlement.FeeRate
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	f, err := s.d.Settlement.SetFeeRate(c.Request.Context(), req)
	reply(c, http.StatusOK, f, err)
}
