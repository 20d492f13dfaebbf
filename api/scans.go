package api

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/tongpei/tongpei/stations"
)

// scanBatch is {"scans": […]}; each scan is decoded on its own so that one
// malformed scan is refused alone instead of failing the batch.
type scanBatch struct {
	Scans []json.RawMessage `json:"scans"`
}

// postScans takes one scan or {"scans": […]} of up to 1,000 and answers
// {"results": […]} in the order sent. A scanner that resends gets
// "duplicate" for what was applied before; only a failure of the whole
// batch (nothing applied, safe to resend) is a problem response.
func (s *Server) postScans(c *gin.Context) {
	body, err := readBody(c, maxBody)
	if err != nil {
		fail(c, err)
		return
	}
	raws := []json.RawMessage{body}
	if isBatch(body, "scans") {
		var b scanBatch
		if err := checkJSON(body, 1); err != nil {
			fail(c, err)
			return
		}
		if err := decodeChecked(body, &b); err != nil {
			fail(c, err)
			return
		}
		if len(b.Scans) == 0 || len(b.Scans) > stations.MaxScans {
			fail(c, invalidField("scans", "send 1 to 1000 scans per batch; split larger batches"))
			return
		}
		raws = b.Scans
	}
	results := make([]stations.Result, len(raws))
	var scans []stations.Scan
	var at []int
	for i, raw := range raws {
		var sc stations.Scan
		if err := decodeBytes(raw, &sc); err != nil {
			if len(raws) == 1 {
				fail(c, err)
				return
			}
			results[i] = stations.Result{ID: idOf(raw), Status: stations.StatusRejected, Code: stations.CodeInvalid, Detail: err.Error()}
			continue
		}
		scans, at = append(scans, sc), append(at, i)
	}
	if len(scans) > 0 {
		applied, err := s.d.Custody.Scan(c.Request.Context(), principal(c), scans)
		if err != nil {
			fail(c, err)
			return
		}
		for j, r := range applied {
			results[at[j]] = r
		}
	}
	s.m.countScans(scans, at, results)
	c.JSON(http.StatusOK, gin.H{"results": results})
}

// idOf digs the id out of a scan that did not decode, so that its result
// can be matched to it.
func idOf(raw json.RawMessage) uuid.UUID {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &v)
	id, _ := uuid.Parse(v.ID)
	return id
}
