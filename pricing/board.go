package pricing

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/errs"
)

// BoardWeightsG are the weights the public price board shows: what a
// village sends most (a box of fruit, a sack of tea) and the heavy end.
var BoardWeightsG = []int64{1000, 2000, 3000, 5000, 10_000, 20_000}

// PriceBoard is the county's public price (the plan's "transparent and
// public" price, seed §三(二)2): for every destination zone and weight, the
// band certified firms pay within, the standard price everyone else pays,
// and what each carrier charges a certified firm for farm produce, with
// the saving. It is what the price page and the station-wall poster show.
type PriceBoard struct {
	At            time.Time      `json:"at"`
	Origin        string         `json:"origin"`
	ZoningVersion int64          `json:"zoning_version"`
	BandVersion   int64          `json:"band_version"`
	WeightRule    WeightRule     `json:"weight_rule"`
	WeightsG      []int64        `json:"weights_g"`
	Zones         []BoardZone    `json:"zones"`
	Carriers      []BoardCarrier `json:"carriers"`
}

// BoardCarrier names a carrier on the board.
type BoardCarrier struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// BoardZone is one destination zone's row of the board.
type BoardZone struct {
	Zone      string       `json:"zone"`
	Name      string       `json:"name"`
	Provinces []Province   `json:"provinces"`
	Prices    []BoardPrice `json:"prices"` // one per weight of the board
}

// BoardPrice is one cell: a zone at one weight.
type BoardPrice struct {
	WeightG int64 `json:"weight_g"`
	// FarmBand and GeneralBand are the ranges a certified firm's price
	// lies in; a zero range means no band is published.
	FarmBand    Range `json:"farm_band"`
	GeneralBand Range `json:"general_band"`
	// BaselineFen is the standard price: the lowest carrier's baseline.
	BaselineFen int64 `json:"baseline_fen"`
	// Farm is each carrier's price to a certified firm for farm produce,
	// exactly as a quote for such a firm answers it.
	Farm []Line `json:"farm"`
	// BestFarmFen is the cheapest of Farm, BestSavingPct its saving
	// against that carrier's standard price.
	BestFarmFen   int64   `json:"best_farm_fen"`
	BestSavingPct float64 `json:"best_saving_pct"`
}

// certifiedForBoard is the standing of "any certified firm": the board's
// farm prices are the ones such a firm is quoted.
var certifiedForBoard = standing{cert: &Certificate{}, reason: "certified firm"}

// Board builds the price board in force at t.
func (s *Snapshot) Board(t time.Time) (*PriceBoard, error) {
	zoning, ok := s.ZoningAt(t)
	if !ok {
		return nil, errs.E(errs.Conflict, "no zoning is in force; an admin must publish one (PUT /v1/pricing/zones)")
	}
	b := &PriceBoard{At: t.UTC(), Origin: zoning.Origin, ZoningVersion: zoning.Version, WeightRule: DefaultWeightRule,
		WeightsG: BoardWeightsG, Zones: []BoardZone{}, Carriers: []BoardCarrier{}}
	bands, hasBands := s.BandsAt(t)
	if hasBands {
		b.BandVersion, b.WeightRule = bands.Version, bands.WeightRule
	} else {
		bands = nil
	}
	type priced struct {
		code string
		card *RateCard
	}
	var carriers []priced
	for _, c := range s.carriers {
		if card, ok := s.CardAt(c.Code, t); ok && c.Active && c.Kind == "express" {
			carriers = append(carriers, priced{c.Code, card})
			b.Carriers = append(b.Carriers, BoardCarrier{c.Code, c.Name})
		}
	}
	for _, z := range zoning.Zones {
		bz := BoardZone{Zone: z.Zone, Name: z.Name, Provinces: []Province{}, Prices: []BoardPrice{}}
		for _, code := range z.Provinces {
			p, _ := LookupProvince(code)
			bz.Provinces = append(bz.Provinces, p)
		}
		for _, g := range BoardWeightsG {
			cell := BoardPrice{WeightG: g, Farm: []Line{}}
			if bands != nil {
				if c, ok := bands.Cell(z.Zone, FarmProduce); ok {
					cell.FarmBand = c.At(b.WeightRule, g)
				}
				if c, ok := bands.Cell(z.Zone, General); ok {
					cell.GeneralBand = c.At(b.WeightRule, g)
				}
			}
			for _, c := range carriers {
				l, err := s.line(c.code, c.card, bands, b.WeightRule, z.Zone, FarmProduce, g, certifiedForBoard, t)
				if err != nil {
					return nil, err
				}
				l.Reason = ""
				cell.Farm = append(cell.Farm, l)
				if cell.BaselineFen == 0 || l.BaselineFen < cell.BaselineFen {
					cell.BaselineFen = l.BaselineFen
				}
				if cell.BestFarmFen == 0 || l.PriceFen < cell.BestFarmFen {
					cell.BestFarmFen, cell.BestSavingPct = l.PriceFen, l.SavingPct
				}
			}
			bz.Prices = append(bz.Prices, cell)
		}
		b.Zones = append(b.Zones, bz)
	}
	return b, nil
}

// CertifiedFirm is a firm on the public list of certified firms.
type CertifiedFirm struct {
	MerchantID    string `json:"merchant_id"`
	MerchantName  string `json:"merchant_name"`
	CertificateNo string `json:"certificate_no"`
	ValidFrom     string `json:"valid_from"`
	ValidUntil    string `json:"valid_until"`
}

// CertifiedFirms lists the firms whose certificate is valid at t, by name.
func (s *Snapshot) CertifiedFirms(t time.Time) []CertifiedFirm {
	out := []CertifiedFirm{}
	for id, certs := range s.certs {
		m, ok := s.merchants[id]
		if !ok || !m.active {
			continue
		}
		for _, c := range certs {
			if c.ValidAt(t) {
				out = append(out, CertifiedFirm{MerchantID: id, MerchantName: c.MerchantName, CertificateNo: c.CertificateNo,
					ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil})
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b CertifiedFirm) int {
		if c := strings.Compare(a.MerchantName, b.MerchantName); c != 0 {
			return c
		}
		return strings.Compare(a.MerchantID, b.MerchantID)
	})
	return out
}

// Board is the price board in force now.
func (s *Service) Board(ctx context.Context) (*PriceBoard, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Board(s.Now())
}

// CertifiedFirms is the public list of firms certified now.
func (s *Service) CertifiedFirms(ctx context.Context) ([]CertifiedFirm, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.CertifiedFirms(s.Now()), nil
}

// PriceCheck prices a request as Quote does, for anyone, and stores
// nothing: the public page's calculator. Its lines equal a stored quote's
// for the same firm, parcel and instant; only a stored quote (with its id)
// can be charged.
func (s *Service) PriceCheck(ctx context.Context, req QuoteRequest) (Quote, error) {
	snap, err := s.snapshotKnowing(ctx, req.MerchantID)
	if err != nil {
		return Quote{}, err
	}
	q, err := snap.Quote(req, s.Now())
	q.ID = uuid.Nil
	return q, err
}
