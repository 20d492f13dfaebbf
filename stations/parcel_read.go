package stations

import (
	"context"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

// Parcel reads one parcel with its whole timeline, in the order its events
// were applied. Who may read it: the county centre, its carrier, the keeper
// of its station or of the county hub (and of any station that scanned it),
// and for an up parcel the sending merchant. Phones are masked for all but
// the county centre and the parcel's own keeper. A parcel the caller may not
// see is not found, so that tracking numbers cannot be probed.
func (c *Custody) Parcel(ctx context.Context, who auth.Principal, carrier, trackingNo string) (Parcel, error) {
	if who.Role == auth.Carrier && carrier != who.Scope {
		return Parcel{}, errs.E(errs.Forbidden, "carrier %s may read only its own parcels, not those of %s", who.Scope, carrier)
	}
	p, keeperSees, err := c.readParcel(ctx, carrier, trackingNo, who.Scope)
	if pg.NoRows(err) {
		return Parcel{}, errs.E(errs.NotFound, "carrier %s has no parcel %s; check both", carrier, trackingNo)
	}
	if err != nil {
		return Parcel{}, custodyErr(err, "read the parcel")
	}
	if !mayRead(who, &p, keeperSees) {
		return Parcel{}, errs.E(errs.NotFound, "carrier %s has no parcel %s that you may see", carrier, trackingNo)
	}
	maskFor(who, &p)
	return p, nil
}

// mayRead says whether who may see p; keeperSees is whether a keeper's
// station is the hub or scanned p.
func mayRead(who auth.Principal, p *Parcel, keeperSees bool) bool {
	switch who.Role {
	case auth.Admin:
		return true
	case auth.Carrier:
		return p.Carrier == who.Scope
	case auth.Keeper:
		return p.Station == who.Scope || keeperSees
	case auth.Merchant:
		return p.Sender != nil && p.Sender.MerchantID == who.Scope
	}
	return false
}
