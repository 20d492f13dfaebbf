package stations

import (
	"errors"
	"fmt"

	"github.com/tongpei/tongpei/internal/errs"
)

// MaxParcels bounds one registration batch: a carrier's manifest for a day.
const MaxParcels = 1000

// Statuses of a registration result.
const (
	StatusCreated = "created"
	// StatusExists: a parcel with this carrier and tracking number is
	// registered already; it was left as it was, so a resent manifest is
	// harmless.
	StatusExists = "exists"
)

// Codes of a refused registration.
const (
	CodeForbidden       = "forbidden"
	CodeUnknownCarrier  = "unknown_carrier"
	CodeUnknownMerchant = "unknown_merchant"
)

// RegisterResult is what became of one parcel of a registration batch.
type RegisterResult struct {
	Carrier    string `json:"carrier"`
	TrackingNo string `json:"tracking_no"`
	Status     string `json:"status"`
	Code       string `json:"code,omitempty"`
	Detail     string `json:"detail,omitempty"`
	// err keeps the field list of an invalid parcel for the single-parcel
	// endpoint, which answers it as a problem.
	err error
}

// Err is the result as an error for a caller that registered one parcel:
// nil when created, else the reason in the shared error codes.
func (r RegisterResult) Err() error {
	switch {
	case r.Status == StatusCreated:
		return nil
	case r.Status == StatusExists:
		return errs.E(errs.Conflict, "carrier %s already registered parcel %s; read it at /v1/parcels/%s/%s", r.Carrier, r.TrackingNo, r.Carrier, r.TrackingNo)
	case r.err != nil:
		return r.err
	case r.Code == CodeForbidden:
		return errs.E(errs.Forbidden, "%s", r.Detail)
	}
	return errs.E(errs.Invalid, "%s", r.Detail)
}

// refs are the registry rows a batch names, read before it is written so
// that a missing one is reported per parcel instead of failing the batch.
type refs struct {
	tiers     map[string]string // station → tier
	carriers  map[string]bool   // active carriers
	merchants map[string]bool
}

// checkParcel validates one parcel (authorised already) and checks its
// references. ok is false with the result to report when the parcel cannot
// be registered.
func checkParcel(p *Parcel, r refs, at string) (RegisterResult, bool) {
	refuse := func(code string, err error) (RegisterResult, bool) {
		res := RegisterResult{Carrier: p.Carrier, TrackingNo: p.TrackingNo, Status: StatusRejected, Code: code, Detail: err.Error()}
		var e *errs.Error
		if errors.As(err, &e) && e.Code == errs.Invalid {
			res.err = err
		}
		return res, false
	}
	if err := validateParcel(p, at); err != nil {
		return refuse(CodeInvalid, err)
	}
	tier, ok := r.tiers[p.Station]
	switch {
	case !ok:
		return refuse(CodeUnknownStation, errs.Field(at+"station", "station %q is not registered or not active; check the code", p.Station))
	case tier == string(CountyHub):
		return refuse(CodeWrongStation, errs.Field(at+"station", "%s is the county hub; name the village or township station the parcel is for or from", p.Station))
	case !r.carriers[p.Carrier]:
		return refuse(CodeUnknownCarrier, errs.Field(at+"carrier", "carrier %q is not registered or not active", p.Carrier))
	case p.Sender != nil && p.Sender.MerchantID != "" && !r.merchants[p.Sender.MerchantID]:
		return refuse(CodeUnknownMerchant, errs.Field(at+"sender.merchant_id", "merchant %q is not registered", p.Sender.MerchantID))
	}
	return RegisterResult{Carrier: p.Carrier, TrackingNo: p.TrackingNo}, true
}

// orderNumber is the tracking number of an up order made without one.
func orderNumber(seq int64) string { return fmt.Sprintf("TP%010d", seq) }
