package stations

import (
	"regexp"
	"strings"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// CarrierKind says how a company works with the county centre, matching
// the plan's KPI item 11: express companies stationed at the centre,
// bulk-logistics companies, and traditional trade companies whose goods
// ride the joint fleet.
type CarrierKind string

// The three kinds of company.
const (
	Express CarrierKind = "express"
	Bulk    CarrierKind = "bulk"
	Trade   CarrierKind = "trade"
)

// Carrier is a company whose parcels or goods the county centre handles.
type Carrier struct {
	Code string      `json:"code"`
	Name string      `json:"name"`
	Kind CarrierKind `json:"kind"`
	// StationedSince is the day (YYYY-MM-DD) the company started working
	// from the county centre; empty when not known.
	StationedSince string `json:"stationed_since,omitempty"`
	Active         bool   `json:"active"`
}

// CarrierChange holds the fields a client sends to create or change a
// carrier; a nil field is one it did not send. To create, code, name and
// kind are required; a change may repeat the code but not alter it. An
// empty stationed_since clears the date.
type CarrierChange struct {
	Code           *string      `json:"code"`
	Name           *string      `json:"name"`
	Kind           *CarrierKind `json:"kind"`
	StationedSince *string      `json:"stationed_since"`
	Active         *bool        `json:"active"`
}

func (ch CarrierChange) newCarrier(bad *errs.Fields) Carrier {
	c := Carrier{Active: true}
	if ch.Code != nil {
		c.Code = strings.TrimSpace(*ch.Code)
	}
	ch.apply(&c, bad)
	c.validate(bad)
	return c
}

func (ch CarrierChange) apply(c *Carrier, bad *errs.Fields) {
	checkSameCode(bad, ch.Code, c.Code)
	if ch.Name != nil {
		c.Name = strings.TrimSpace(*ch.Name)
	}
	if ch.Kind != nil {
		c.Kind = *ch.Kind
	}
	if ch.StationedSince != nil {
		c.StationedSince = strings.TrimSpace(*ch.StationedSince)
	}
	if ch.Active != nil {
		c.Active = *ch.Active
	}
}

var carrierCodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,15}$`)

func (c *Carrier) validate(bad *errs.Fields) {
	switch {
	case c.Code == "":
		bad.Add("code", "is required, e.g. EMS or ZTO")
	case !carrierCodePattern.MatchString(c.Code):
		bad.Add("code", "must be 2 to 16 capital letters, digits or '_', starting with a letter, e.g. EMS or YUNDA")
	}
	checkName(bad, "name", c.Name)
	switch c.Kind {
	case Express, Bulk, Trade:
	case "":
		bad.Add("kind", "is required: express, bulk or trade")
	default:
		bad.Add("kind", "must be express, bulk or trade, not %q", c.Kind)
	}
	if c.StationedSince != "" {
		if _, err := time.Parse(time.DateOnly, c.StationedSince); err != nil {
			bad.Add("stationed_since", "must be a date written YYYY-MM-DD, e.g. 2021-06-01, not %q", c.StationedSince)
		}
	}
}
