package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/stations"
)

// xinpingJSON is the demonstration registry: stations in parent-first
// order, carriers and merchants, in the API's own wire format.
//
//go:embed xinping.json
var xinpingJSON []byte

// County is the demonstration registry as xinping.json holds it.
type County struct {
	Note      string                    `json:"_note"`
	Stations  []stations.StationChange  `json:"stations"`
	Carriers  []stations.CarrierChange  `json:"carriers"`
	Merchants []stations.MerchantChange `json:"merchants"`
}

// Xinping parses the embedded demonstration county, refusing unknown
// fields so that a typo in the file fails loudly instead of being dropped.
func Xinping() (County, error) {
	var c County
	dec := json.NewDecoder(bytes.NewReader(xinpingJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return County{}, fmt.Errorf("demo/xinping.json: %w", err)
	}
	return c, nil
}

// LoadRegistry creates every station, carrier and merchant of the county
// that is not registered yet, through the registry's own checks. It comes
// first: the other domains' demonstration data refers to these records.
func LoadRegistry(ctx context.Context, reg *stations.Registry) error {
	c, err := Xinping()
	if err != nil {
		return err
	}
	for _, s := range c.Stations {
		if _, err := reg.CreateStation(ctx, s); err != nil && !errs.Is(err, errs.Conflict) {
			return fmt.Errorf("station %s: %w", deref(s.Code), err)
		}
	}
	for _, cr := range c.Carriers {
		if _, err := reg.CreateCarrier(ctx, cr); err != nil && !errs.Is(err, errs.Conflict) {
			return fmt.Errorf("carrier %s: %w", deref(cr.Code), err)
		}
	}
	for _, m := range c.Merchants {
		_, err := reg.MerchantByCreditCode(ctx, deref(m.CreditCode))
		switch {
		case err == nil:
			continue // registered already: leave it as the operator has it
		case !errs.Is(err, errs.NotFound):
			return fmt.Errorf("merchant %s: %w", deref(m.Name), err)
		}
		if _, err := reg.CreateMerchant(ctx, m); err != nil && !errs.Is(err, errs.Conflict) {
			return fmt.Errorf("merchant %s: %w", deref(m.Name), err)
		}
	}
	return nil
}
