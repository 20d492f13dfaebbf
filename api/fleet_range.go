package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// vehicleRange is PATCH /v1/fleet/vehicles/{plate}'s body.
type vehicleRange struct {
	RangeKm *int `json:"range_km"`
}

// setVehicleRange gives a van a range of its own (an electric van whose
// battery holds less or more than its type's); 0: its type's.
func (s *Server) setVehicleRange(c *gin.Context) {
	var req vehicleRange
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.RangeKm == nil {
		fail(c, invalidField("range_km", "is required: the van's range in km, 0 for its type's"))
		return
	}
	v, err := s.d.Dispatch.SetVehicleRange(c.Request.Context(), c.Param("plate"), *req.RangeKm)
	reply(c, http.StatusOK, v, err)
}
