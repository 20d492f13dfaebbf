package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/tongpei/tongpei/demo"
)

// The firms' side of a demonstration day, so that the scorecard (GET
// /v1/reports/kpi) has something to count from day one: half the day's up
// parcels are shipped by the county's certified firms on a farm-produce
// quote (POST /v1/pricing/quotes), most of those in the 新平礼好 box, every
// up parcel declares its goods' value, and once the keepers have accepted
// them each quoted parcel's charge is recorded (POST /v1/pricing/charges),
// which is what the realised price cut is computed from.

// demoDeclaredFenPerKg is the declared value of farm produce: about 12 CNY
// a kilogram, the farm-gate price of citrus and mangoes.
const demoDeclaredFenPerKg = 1200

// firmParcel is a demonstration parcel with the members a firm's shipment
// adds on the wire (stations.Parcel's quote_id, declared_value_fen and
// packaging).
type firmParcel struct {
	demo.Parcel
	QuoteID          string `json:"quote_id,omitempty"`
	DeclaredValueFen int64  `json:"declared_value_fen,omitempty"`
	Packaging        string `json:"packaging,omitempty"`
}

// demoFirm is a firm that can ship on a certified quote.
type demoFirm struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// certifiedFirms lists the active merchants registered in the county: the
// demonstration certifies every one of them (pricing.LoadDemo).
func certifiedFirms(ctx context.Context, c *apiClient) ([]demoFirm, error) {
	var res struct {
		Items []struct {
			demoFirm
			Active   bool `json:"active"`
			InCounty bool `json:"registered_in_county"`
		}
	}
	if err := c.call(ctx, "GET", "/v1/merchants?limit=1000", nil, &res); err != nil {
		return nil, fmt.Errorf("listing the firms: %w", err)
	}
	var out []demoFirm
	for _, m := range res.Items {
		if m.Active && m.InCounty {
			out = append(out, m.demoFirm)
		}
	}
	return out, nil
}

// withFirms turns the day's parcels into what is registered: every up
// parcel with a declared value, half of them a firm's on its quote. A
// parcel the firm cannot be quoted for ships as before, without a quote.
func withFirms(ctx context.Context, c *apiClient, parcels []demo.Parcel, w io.Writer) ([]firmParcel, error) {
	firms, err := certifiedFirms(ctx, c)
	if err != nil {
		return nil, err
	}
	out := make([]firmParcel, len(parcels))
	quoted, refused := 0, 0
	up := 0
	for i, p := range parcels {
		out[i] = firmParcel{Parcel: p}
		if p.Direction != "up" {
			continue
		}
		up++
		out[i].DeclaredValueFen = max(int64(p.WeightG)*demoDeclaredFenPerKg/1000, 100)
		if len(firms) == 0 || up%2 == 1 {
			continue
		}
		f := firms[(up/2)%len(firms)]
		var q struct {
			ID string `json:"quote_id"`
		}
		body := map[string]any{"merchant_id": f.ID, "weight_g": p.WeightG, "size_cm": p.SizeCM,
			"destination": map[string]string{"province": p.Destination["province"]}, "category": "farm_produce"}
		if err := c.call(ctx, "POST", "/v1/pricing/quotes", body, &q); err != nil {
			if refused++; refused <= 3 {
				fmt.Fprintf(w, "quote refused for %s: %v\n", p.TrackingNo, err)
			}
			continue
		}
		sender := map[string]string{"merchant_id": f.ID, "name": f.Name}
		if ph := p.Sender["phone"]; ph != "" {
			sender["phone"] = ph
		}
		out[i].Sender = sender
		out[i].QuoteID = q.ID
		out[i].Packaging = "plain"
		if up%3 != 0 {
			out[i].Packaging = "xinping_lihao"
		}
		quoted++
	}
	fmt.Fprintf(w, "firms: %d of %d up parcels shipped by %d certified firms on a farm-produce quote\n", quoted, up, len(firms))
	return out, nil
}

// chargeFirms records what each quoted parcel was charged: its quote's
// price for its carrier (no price_fen: the quoted one).
func chargeFirms(ctx context.Context, c *apiClient, parcels []firmParcel, at time.Time, w io.Writer) {
	done, refused := 0, 0
	for _, p := range parcels {
		if p.QuoteID == "" {
			continue
		}
		body := map[string]any{"quote_id": p.QuoteID, "carrier": p.Carrier, "tracking_no": p.TrackingNo, "charged_at": at}
		if err := c.call(ctx, "POST", "/v1/pricing/charges", body, nil); err != nil {
			if refused++; refused <= 3 {
				fmt.Fprintf(w, "charge refused for %s: %v\n", p.TrackingNo, err)
			}
			continue
		}
		done++
	}
	fmt.Fprintf(w, "charges: %d recorded, %d refused\n", done, refused)
}
