// Package api translates HTTP into calls on tongpei's domain packages and
// their errors into RFC 9457 problems. It holds no business rules.
package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/kpi"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/settlement"
	"github.com/tongpei/tongpei/stations"
)

// Deps are the domain services the API calls.
type Deps struct {
	Tokens   *auth.Store
	Registry *stations.Registry
	Custody  *stations.Custody
	Dispatch *dispatch.Service   // fleet, road network, daily plans, jobs to carriers
	Plans    *dispatch.PlanQueue // plans days in the background
	Pricing  *pricing.Service
	KPI      *kpi.Service // the plan's scorecard
	// Settlement is the ledger of fleet cost shares and station fees.
	Settlement *settlement.Ledger
	// Ready reports whether PostgreSQL and NATS answer, for /readyz.
	Ready func(ctx context.Context) error
	// Metrics is where request metrics are registered and /metrics reads.
	Metrics *prometheus.Registry
	// NATSCreds are carriers' logins to the embedded NATS; nil with an external one.
	NATSCreds *bus.CarrierCredentials
	// Limits bound the requests in flight and each token's rate; the zero
	// value limits nothing.
	Limits Limits
	// Counties is the province's registry of counties; nil: no /v1/counties.
	Counties *tenant.Registry
}

// Server is the HTTP face of tongpei.
type Server struct {
	d Deps
	m *domainMetrics
}

// New builds the router with every route of the API.
func New(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
	}
	s := &Server{d: d, m: newDomainMetrics(d)}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.Use(requestID(), newHTTPMetrics(d.Metrics).observe(s.m), recoverProblem(), checkInput())
	r.NoRoute(func(c *gin.Context) {
		fail(c, errs.E(errs.NotFound, "no such route: %s %s; see /openapi.json", c.Request.Method, c.Request.URL.Path))
	})
	r.NoMethod(func(c *gin.Context) {
		fail(c, &errs.Error{Code: errs.Invalid, Cause: errMethodNotAllowed,
			Message: c.Request.Method + " is not allowed on " + c.Request.URL.Path})
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(d.Metrics, promhttp.HandlerOpts{})))
	r.GET("/openapi.json", s.openapi)
	s.consoleRoutes(r)

	admit := newAdmission(d.Limits, d.Metrics).admit()
	public := r.Group("/v1", admit, s.publicCounty)
	v1 := r.Group("/v1", admit, s.authenticate())
	s.tokenRoutes(v1)
	s.countyRoutes(v1)
	s.sessionRoutes(public, v1)
	s.stationRoutes(v1)
	s.registryRoutes(v1)
	s.natsCredsRoutes(v1)
	s.custodyRoutes(v1)
	s.optimizeRoutes(v1)
	s.dispatchRoutes(v1)
	s.costShareRoutes(v1)
	s.settlementRoutes(v1)
	s.pricingRoutes(v1, public)
	s.kpiRoutes(v1, public)
	return r
}
