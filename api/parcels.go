package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/stations"
)

// custodyRoutes are parcels, their scans and the station shelf. Which
// parcel a token may touch is the domain's decision; the routes only keep
// out roles that never may.
func (s *Server) custodyRoutes(g *gin.RouterGroup) {
	scanners := allow(auth.Admin, auth.Keeper, auth.Carrier)
	wired := s.custodyWired
	g.POST("/parcels", wired, s.registerParcels)
	g.GET("/parcels/:carrier/:tracking_no", wired, s.getParcel)
	g.GET("/stations/:code/parcels", wired, scanners, s.stationParcels)
	g.POST("/scans", wired, scanners, s.postScans)
	s.parcelListRoutes(g)
}

// custodyWired answers 503 instead of crashing when the process was started
// without custody (Deps.Custody unset).
func (s *Server) custodyWired(c *gin.Context) {
	if s.d.Custody == nil {
		fail(c, errs.E(errs.Unavailable, "parcel custody is not running in this process; the operator must wire Deps.Custody"))
	}
}

// registerRequest is a batch of parcels; a single parcel is sent bare.
type registerRequest struct {
	Parcels []stations.Parcel `json:"parcels"`
}

// registerParcels takes one parcel (201 with the parcel) or
// {"parcels": […]} (200 with a result per parcel, as a manifest of
// hundreds should not fail for one bad line).
func (s *Server) registerParcels(c *gin.Context) {
	body, err := readBody(c, maxBody)
	if err != nil {
		fail(c, err)
		return
	}
	who := principal(c)
	if isBatch(body, "parcels") {
		var req registerRequest
		if err := decodeBytes(body, &req); err != nil {
			fail(c, err)
			return
		}
		results, err := s.d.Custody.Register(c.Request.Context(), who, req.Parcels)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"results": results})
		return
	}
	var p stations.Parcel
	if err := decodeBytes(body, &p); err != nil {
		fail(c, err)
		return
	}
	results, err := s.d.Custody.Register(c.Request.Context(), who, []stations.Parcel{p})
	if err == nil {
		err = results[0].Err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	created, err := s.d.Custody.Parcel(c.Request.Context(), who, results[0].Carrier, results[0].TrackingNo)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/v1/parcels/"+created.Carrier+"/"+created.TrackingNo)
	c.JSON(http.StatusCreated, created)
}

func (s *Server) getParcel(c *gin.Context) {
	p, err := s.d.Custody.Parcel(c.Request.Context(), principal(c), c.Param("carrier"), c.Param("tracking_no"))
	reply(c, http.StatusOK, p, err)
}

// stationParcels is the shelf: ?state=waiting (default), overdue_days,
// phone_last4, limit, cursor.
func (s *Server) stationParcels(c *gin.Context) {
	p, err := page(c)
	if err != nil {
		fail(c, err)
		return
	}
	q := stations.ShelfQuery{State: c.Query("state"), PhoneLast4: c.Query("phone_last4"), Limit: p.Limit, Cursor: p.Cursor}
	if v := c.Query("overdue_days"); v != "" {
		if q.OverdueDays, err = strconv.Atoi(v); err != nil || q.OverdueDays < 1 {
			fail(c, invalidField("overdue_days", "must be a whole number of days from 1 to 365, not "+strconv.Quote(v)))
			return
		}
	}
	items, next, err := s.d.Custody.Shelf(c.Request.Context(), principal(c), c.Param("code"), q)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, next))
}

// isBatch reports whether body is an object whose member key holds the
// batch; anything else is read as a single item.
func isBatch(body []byte, key string) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(bytes.TrimSpace(body), &top) != nil {
		return false
	}
	_, ok := top[key]
	return ok
}
