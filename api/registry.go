package api

import "github.com/gin-gonic/gin"

// registryRoutes are the stations, carriers and merchants of the county.
func (s *Server) registryRoutes(g *gin.RouterGroup) {}
