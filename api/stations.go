package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/stations"
)

// geoJSON is the media type of GeoJSON (RFC 7946).
const geoJSON = "application/geo+json"

// listStations answers a page of stations, or with Accept:
// application/geo+json every matching station as a FeatureCollection of
// Points: a map wants the whole county at once, so the GeoJSON form is not
// paged unless a limit is asked for.
func (s *Server) listStations(c *gin.Context) {
	var f stations.StationFilter
	f.Tier = stations.Tier(c.Query("tier"))
	f.Township = c.Query("township")
	active, err := boolQuery(c, "active")
	if err != nil {
		fail(c, err)
		return
	}
	f.Active = active
	p, err := registryPage(c)
	if err != nil {
		fail(c, err)
		return
	}
	geo := strings.Contains(c.GetHeader("Accept"), geoJSON)
	if geo && c.Query("limit") == "" {
		p.Limit = 0
	}
	items, next, err := s.d.Registry.Stations(c.Request.Context(), principal(c), f, p)
	if err != nil {
		fail(c, err)
		return
	}
	if geo {
		writeStationsGeoJSON(c, items, next)
		return
	}
	c.JSON(http.StatusOK, newList(items, next))
}

// writeStationsGeoJSON answers stations as a FeatureCollection: each a
// Point at its location, with id = code and the station's fields as
// properties. A further page's cursor travels as the foreign member "next".
func writeStationsGeoJSON(c *gin.Context, items []stations.Station, next string) {
	fc := geojson.NewFeatureCollection()
	for _, st := range items {
		props, err := stationProperties(st)
		if err != nil {
			fail(c, errs.Wrap(err, "cannot write GeoJSON"))
			return
		}
		f := geojson.NewFeature(orb.Point{st.Location.Lon, st.Location.Lat})
		f.ID = st.Code
		f.Properties = props
		fc.Append(f)
	}
	if next != "" {
		fc.ExtraMembers = geojson.Properties{"next": next}
	}
	body, err := json.Marshal(fc)
	if err != nil {
		fail(c, errs.Wrap(err, "cannot write GeoJSON"))
		return
	}
	c.Data(http.StatusOK, geoJSON, body)
}

// stationProperties are the station's wire fields, the same as in JSON.
func stationProperties(st stations.Station) (geojson.Properties, error) {
	b, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	var props geojson.Properties
	return props, json.Unmarshal(b, &props)
}

func (s *Server) getStation(c *gin.Context) {
	st, err := s.d.Registry.Station(c.Request.Context(), principal(c), c.Param("code"))
	reply(c, http.StatusOK, st, err)
}

func (s *Server) createStation(c *gin.Context) {
	var req stations.StationChange
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	st, err := s.d.Registry.CreateStation(c.Request.Context(), req)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/v1/stations/"+st.Code)
	c.JSON(http.StatusCreated, st)
}

func (s *Server) updateStation(c *gin.Context) {
	var req stations.StationChange
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	st, err := s.d.Registry.UpdateStation(c.Request.Context(), c.Param("code"), req)
	reply(c, http.StatusOK, st, err)
}

func (s *Server) deactivateStation(c *gin.Context) {
	st, err := s.d.Registry.DeactivateStation(c.Request.Context(), c.Param("code"))
	reply(c, http.StatusOK, st, err)
}
