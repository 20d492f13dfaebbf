// Package settlement is the money of joint delivery: a double-entry ledger
// in PostgreSQL with an account for each carrier, the fleet operator and
// each station keeper. It is fed by published plans (each carrier's share of
// the fleet's cost, from dispatch's cost sharing) and by station handling
// fees (a fee per parcel handed over or accepted at a station, by tier, from
// custody's counts); it answers monthly statements a carrier or keeper can
// check line by line, and a trial balance that must sum to zero.
//
// Entries are immutable; a correction is a reversing entry, so the history
// is never rewritten. Amounts are integer fen: a debit (> 0) is owed by the
// account's holder, a credit (< 0) is owed to it.
package settlement

import (
	"time"

	"github.com/tongpei/tongpei/dispatch"
)

// Account kinds.
const (
	KindCarrier  = "carrier"
	KindOperator = "operator"
	KindKeeper   = "keeper" // party is the station code
)

// Entry kinds.
const (
	FleetShare = "fleet_share"
	StationFee = "station_fee"
	Reversal   = "reversal"
)

// Entry is one posting: lines that sum to zero.
type Entry struct {
	ID           int64     `json:"id"`
	BusinessDate string    `json:"business_date"`
	Kind         string    `json:"kind"`
	Source       string    `json:"source"`
	Memo         string    `json:"memo"`
	Reverses     *int64    `json:"reverses,omitempty"`
	ReversedBy   *int64    `json:"reversed_by,omitempty"`
	PostedAt     time.Time `json:"posted_at"`
	Lines        []Line    `json:"lines"`
}

// Line moves fen into or out of one account.
type Line struct {
	Account   string `json:"account"`
	AmountFen int64  `json:"amount_fen"`
	Detail    string `json:"detail"`
}

// AccountCode is the ledger's name for a party's account.
func AccountCode(kind, party string) string { return kind + ":" + party }

// County is where business days are read.
var County = dispatch.County

// dayBounds is the business day in Asia/Shanghai as a UTC interval.
func dayBounds(day time.Time) (time.Time, time.Time) {
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, County)
	return start, start.AddDate(0, 0, 1)
}
