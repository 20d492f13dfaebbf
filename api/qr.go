package api

import (
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/tongpei/tongpei/internal/errs"
)

// qrRoutes draw QR codes for the pages' labels: a pickup label carries the
// tracking number as a QR code, which phone cameras and 2-D handheld
// scanners read alike.
func (s *Server) qrRoutes(g *gin.RouterGroup) {
	g.GET("/qr", s.qrImage)
}

// qrImage answers ?text= (1 to 200 characters) as a PNG QR code; ?size= is
// its width in pixels (64 to 512, default 160).
func (s *Server) qrImage(c *gin.Context) {
	text := c.Query("text")
	if text == "" || utf8.RuneCountInString(text) > 200 {
		fail(c, invalidField("text", "give 1 to 200 characters to draw, e.g. a tracking number"))
		return
	}
	size := 160
	if v := c.Query("size"); v != "" {
		n, ok := atoiIn(v, 64, 512)
		if !ok {
			fail(c, invalidField("size", "must be 64 to 512 pixels"))
			return
		}
		size = n
	}
	png, err := qrcode.Encode(text, qrcode.Medium, size)
	if err != nil {
		fail(c, errs.Wrap(err, "cannot draw the QR code"))
		return
	}
	c.Header("Cache-Control", "private, max-age=86400")
	c.Data(http.StatusOK, "image/png", png)
}

// atoiIn parses a whole number within [lo, hi].
func atoiIn(v string, lo, hi int) (int, bool) {
	n := 0
	for _, r := range v {
		if r < '0' || r > '9' || n > hi {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, v != "" && n >= lo && n <= hi
}
