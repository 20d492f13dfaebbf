package api

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/kpi"
)

// kpiRoutes are the plan's scorecard (issue 11): the report for the
// authority, the sales imports, the calendar, the reward rounds, and the
// public notice anyone may read.
func (s *Server) kpiRoutes(v1, public *gin.RouterGroup) {
	a := allow(auth.Admin)
	v1.GET("/reports/kpi", a, s.getKPIReport)
	v1.POST("/kpi/sales", a, s.importSales)
	v1.GET("/kpi/volumes", a, s.getVolumes)
	v1.GET("/kpi/calendar", a, s.getCalendar)
	v1.PUT("/kpi/calendar/:day", a, s.putCalendarDay)
	v1.DELETE("/kpi/calendar/:day", a, s.deleteCalendarDay)
	v1.POST("/kpi/rounds", a, s.openRound)
	v1.GET("/kpi/rounds", a, s.listRounds)
	v1.GET("/kpi/rounds/:id", a, s.getRound)
	v1.POST("/kpi/rounds/:id/reviews", a, s.reviewCandidate)
	v1.POST("/kpi/rounds/:id/notice", a, s.startNotice)
	v1.GET("/kpi/audit", a, s.getKPIAudit)
	public.GET("/public/reward-notices", s.getRewardNotices)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) getKPIReport(c *gin.Context) {
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "csv" && format != "xlsx" {
		fail(c, invalidField("format", "must be json, csv or xlsx, not "+strconv.Quote(format)))
		return
	}
	sc, err := s.d.KPI.Scorecard(c.Request.Context(), c.Query("from"), c.Query("to"))
	if err != nil || format == "json" {
		reply(c, http.StatusOK, sc, err)
		return
	}
	name := "tongpei-kpi-" + sc.From + "-" + sc.To
	var buf bytes.Buffer
	ctype := "text/csv; charset=utf-8"
	if format == "csv" {
		err = sc.WriteCSV(&buf)
	} else {
		ctype = xlsxType
		wb, werr := sc.Workbook()
		if err = werr; err == nil {
			err = wb.Write(&buf)
			wb.Close()
		}
	}
	if err != nil {
		fail(c, errs.Wrap(err, "cannot write the %s report", format))
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	c.Data(http.StatusOK, ctype, buf.Bytes())
}

// importSales takes sales records as JSON ({"rows": […]}), CSV (text/csv)
// or XLSX, in the body or as the "file" part of a multipart form.
func (s *Server) importSales(c *gin.Context) {
	ctype, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	var body []byte
	filename := c.Query("filename")
	switch ctype {
	case "multipart/form-data":
		fh, err := c.FormFile("file")
		if err != nil {
			fail(c, invalidField("file", "send the CSV or XLSX file in the form field named file"))
			return
		}
		filename = fh.Filename
		f, err := fh.Open()
		if err == nil {
			body, err = io.ReadAll(io.LimitReader(f, maxBody+1))
			f.Close()
		}
		if err != nil {
			fail(c, errs.E(errs.Invalid, "cannot read the uploaded file"))
			return
		}
	case "application/json", "":
		var req struct {
			Rows []kpi.SaleRow `json:"rows"`
		}
		if err := decode(c, &req); err != nil {
			fail(c, err)
			return
		}
		im, err := s.d.KPI.ImportSales(c.Request.Context(), actor(c), "json", filename, req.Rows, nil)
		reply(c, http.StatusCreated, im, err)
		return
	default:
		var err error
		if body, err = io.ReadAll(io.LimitReader(c.Request.Body, maxBody+1)); err != nil {
			fail(c, errs.E(errs.Invalid, "cannot read the request body"))
			return
		}
	}
	if len(body) > maxBody {
		fail(c, errs.E(errs.Invalid, "the file is over %d MiB; split it", maxBody>>20))
		return
	}
	format := kpi.DetectFormat(filename, ctype, body)
	parse := kpi.ParseCSV
	if format == "xlsx" {
		parse = kpi.ParseXLSX
	}
	rows, bad, err := parse(bytes.NewReader(body))
	if err != nil {
		fail(c, err)
		return
	}
	im, err := s.d.KPI.ImportSales(c.Request.Context(), actor(c), format, filename, rows, bad)
	reply(c, http.StatusCreated, im, err)
}

func (s *Server) getVolumes(c *gin.Context) {
	w, err := kpi.YearFrom(c.Query("first_month"))
	if err != nil {
		fail(c, invalidField("first_month", "give the first of the 12 months, YYYY-MM"))
		return
	}
	vols, err := s.d.KPI.Volumes(c.Request.Context(), w)
	reply(c, http.StatusOK, gin.H{"window": w, "items": vols}, err)
}

func (s *Server) getCalendar(c *gin.Context) {
	year, err := strconv.Atoi(c.DefaultQuery("year", strconv.Itoa(time.Now().Year())))
	if err != nil {
		fail(c, invalidField("year", "must be a year, e.g. 2026"))
		return
	}
	days, err := s.d.KPI.Calendar(c.Request.Context(), year)
	reply(c, http.StatusOK, gin.H{"items": days}, err)
}

func (s *Server) putCalendarDay(c *gin.Context) {
	var req struct {
		Working *bool  `json:"working"`
		Name    string `json:"name"`
		Source  string `json:"source"`
	}
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.Working == nil {
		fail(c, invalidField("working", "say whether the day is worked: true or false"))
		return
	}
	d, err := s.d.KPI.SetCalendarDay(c.Request.Context(), actor(c), kpi.CalendarDay{Day: c.Param("day"), Working: *req.Working, Name: req.Name, Source: req.Source}, false)
	reply(c, http.StatusOK, d, err)
}

func (s *Server) deleteCalendarDay(c *gin.Context) {
	_, err := s.d.KPI.SetCalendarDay(c.Request.Context(), actor(c), kpi.CalendarDay{Day: c.Param("day")}, true)
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) openRound(c *gin.Context) {
	var req struct {
		FirstMonth string `json:"first_month"`
	}
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	r, err := s.d.KPI.OpenRound(c.Request.Context(), actor(c), req.FirstMonth)
	reply(c, http.StatusCreated, r, err)
}

// listRounds answers the newest rounds first, each with its candidates.
func (s *Server) listRounds(c *gin.Context) {
	rs, err := s.d.KPI.Rounds(c.Request.Context())
	reply(c, http.StatusOK, gin.H{"items": rs}, err)
}

func roundID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		fail(c, errs.E(errs.NotFound, "round %q does not exist; round ids are positive numbers", c.Param("id")))
		return 0, false
	}
	return id, true
}

func (s *Server) getRound(c *gin.Context) {
	if id, ok := roundID(c); ok {
		r, err := s.d.KPI.Round(c.Request.Context(), id)
		reply(c, http.StatusOK, r, err)
	}
}

func (s *Server) reviewCandidate(c *gin.Context) {
	id, ok := roundID(c)
	if !ok {
		return
	}
	var req struct {
		Station  string `json:"station"`
		Decision string `json:"decision"`
		Reason   string `json:"reason"`
		Reviewer string `json:"reviewer"`
	}
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	r, err := s.d.KPI.Review(c.Request.Context(), id, req.Station, req.Decision, req.Reason, req.Reviewer)
	reply(c, http.StatusOK, r, err)
}

func (s *Server) startNotice(c *gin.Context) {
	id, ok := roundID(c)
	if !ok {
		return
	}
	var req struct {
		Start string `json:"start"`
	}
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	r, err := s.d.KPI.StartNotice(c.Request.Context(), id, actor(c), req.Start)
	reply(c, http.StatusOK, r, err)
}

func (s *Server) getKPIAudit(c *gin.Context) {
	log, err := s.d.KPI.Audit(c.Request.Context(), c.Query("subject"))
	reply(c, http.StatusOK, gin.H{"items": log}, err)
}

func (s *Server) getRewardNotices(c *gin.Context) {
	ns, err := s.d.KPI.Notices(c.Request.Context())
	reply(c, http.StatusOK, gin.H{"items": ns}, err)
}

// actor names the caller in the audit log: the person's name where the
// sign-in gave one, else the role and the token.
func actor(c *gin.Context) string {
	p := principal(c)
	if p.Name != "" {
		return string(p.Role) + ":" + p.Name
	}
	return string(p.Role) + ":token-" + strconv.FormatInt(p.TokenID, 10)
}
