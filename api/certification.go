package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/pricing"
)

// certificationRoutes: the county centre certifies firms registered in the
// county (物流孵化认证); a firm may apply and read its own record; anyone may
// check a certificate by number (a public route, see pricingRoutes).
func (s *Server) certificationRoutes(g *gin.RouterGroup) {
	admin := allow(auth.Admin)
	g.POST("/merchants/:id/certification", admin, s.certify)
	g.DELETE("/merchants/:id/certification", admin, s.revokeCertification)
	g.GET("/merchants/:id/certification", allow(auth.Admin, auth.Merchant), s.merchantCertifications)
	g.POST("/merchants/:id/certification/application", allow(auth.Admin, auth.Merchant), s.applyCertification)
	g.POST("/merchants/:id/certification/suspension", admin, s.suspendCertification)
	g.DELETE("/merchants/:id/certification/suspension", admin, s.reinstateCertification)
}

// ownMerchant lets a merchant token act only on its own firm.
func ownMerchant(c *gin.Context) bool {
	if p := principal(c); p.Role == auth.Merchant && p.Scope != c.Param("id") {
		fail(c, errs.E(errs.Forbidden, "a merchant token for %s may act only for itself", p.Scope))
		return false
	}
	return true
}

func (s *Server) certify(c *gin.Context) {
	var req pricing.CertifyRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	cert, err := s.d.Pricing.Certify(c.Request.Context(), c.Param("id"), req, by(c))
	answerCert(c, http.StatusCreated, cert, err)
}

type noteRequest struct {
	Note string `json:"note"`
}

// optionalNote reads {"note": …} when a body was sent.
func optionalNote(c *gin.Context) (string, bool) {
	var req noteRequest
	if c.Request.ContentLength == 0 {
		return "", true
	}
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return "", false
	}
	return req.Note, true
}

func (s *Server) revokeCertification(c *gin.Context) {
	note, ok := optionalNote(c)
	if !ok {
		return
	}
	cert, err := s.d.Pricing.Revoke(c.Request.Context(), c.Param("id"), by(c), note)
	answerCert(c, http.StatusOK, cert, err)
}

func (s *Server) applyCertification(c *gin.Context) {
	note, ok := optionalNote(c)
	if !ok || !ownMerchant(c) {
		return
	}
	cert, err := s.d.Pricing.Apply(c.Request.Context(), c.Param("id"), note)
	answerCert(c, http.StatusCreated, cert, err)
}

// suspendCertification needs {"note": "why"}: a suspension stops a firm's
// certified prices, so an empty or missing body is refused, never read as
// a suspension without a reason.
func (s *Server) suspendCertification(c *gin.Context) {
	var req noteRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	note := req.Note
	cert, err := s.d.Pricing.Suspend(c.Request.Context(), c.Param("id"), by(c), note)
	answerCert(c, http.StatusOK, cert, err)
}

func (s *Server) reinstateCertification(c *gin.Context) {
	note, ok := optionalNote(c)
	if !ok {
		return
	}
	cert, err := s.d.Pricing.Reinstate(c.Request.Context(), c.Param("id"), by(c), note)
	answerCert(c, http.StatusOK, cert, err)
}

func (s *Server) merchantCertifications(c *gin.Context) {
	if !ownMerchant(c) {
		return
	}
	certs, err := s.d.Pricing.Certificates(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(certs, ""))
}

// getCertificate is public: anyone can check a certificate number.
func (s *Server) getCertificate(c *gin.Context) {
	cert, err := s.d.Pricing.Certificate(c.Request.Context(), c.Param("certificate_no"))
	answerCert(c, http.StatusOK, cert, err)
}

func answerCert(c *gin.Context, status int, cert *pricing.Certificate, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, cert)
}
