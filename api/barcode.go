package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/boombuler/barcode/code128"
	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/errs"
)

// barcodeQuiet is the quiet zone either side of the bars, in modules: ten
// modules is the minimum ISO/IEC 15417 (Code 128) asks for.
const barcodeQuiet = 10

// barcodeRoutes draw the tracking number on a pickup or shipping label as a
// Code 128 barcode, the 1-D symbol every handheld laser or CCD scanner at a
// counter reads (most cannot read QR codes).
func (s *Server) barcodeRoutes(g *gin.RouterGroup) {
	g.GET("/barcode", s.barcodeImage)
}

// barcodeImage answers ?text= (1 to 80 printable ASCII characters) as an
// SVG Code 128 barcode with its checksum and quiet zones. One module is one
// user unit and the bars are 40 modules high; the page stretches the image
// to the label's width and bar height (preserveAspectRatio none: a 1-D code
// only needs its widths in proportion), and crispEdges keeps every bar edge
// sharp on a thermal printer.
func (s *Server) barcodeImage(c *gin.Context) {
	text := c.Query("text")
	if text == "" || len(text) > 80 || strings.IndexFunc(text, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 {
		fail(c, invalidField("text", "give 1 to 80 printable ASCII characters to draw, e.g. a tracking number"))
		return
	}
	code, err := code128.Encode(text)
	if err != nil {
		fail(c, errs.Wrap(err, "cannot draw the barcode"))
		return
	}
	c.Header("Cache-Control", "private, max-age=86400")
	c.Data(http.StatusOK, "image/svg+xml", code128SVG(code.Bounds().Dx(), func(x int) bool {
		r, _, _, _ := code.At(x, 0).RGBA()
		return r == 0
	}))
}

// code128SVG draws n modules, black where bar(x), as one rectangle per bar.
func code128SVG(n int, bar func(x int) bool) []byte {
	const height = 40
	w := n + 2*barcodeQuiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" preserveAspectRatio="none" shape-rendering="crispEdges">`, w, height, w*2, height*2)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`, w, height)
	for x := 0; x < n; {
		if !bar(x) {
			x++
			continue
		}
		start := x
		for x < n && bar(x) {
			x++
		}
		fmt.Fprintf(&b, `<rect x="%d" width="%d" height="%d"/>`, start+barcodeQuiet, x-start, height)
	}
	b.WriteString(`</svg>`)
	return []byte(b.String())
}
