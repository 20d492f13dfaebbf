package api

import "github.com/gin-gonic/gin"

// dispatchRoutes are the daily joint delivery: the fleet, the road network,
// plans, jobs to the operator and carriers, and the saving report.
func (s *Server) dispatchRoutes(g *gin.RouterGroup) {
	s.fleetRoutes(g)
	s.roadNetworkRoutes(g)
	s.planRoutes(g)
	s.planJobRoutes(g)
	s.jobRoutes(g)
	s.jointReportRoutes(g)
}
