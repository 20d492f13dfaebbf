package bus

import "strings"

// Family is the second token of every tongpei subject: which kind of
// traffic it carries. The whole contract (docs/contracts.md, DESIGN.md) is
//
//	tongpei.<family>.<party>.<kind>
//
// where party is the carrier (parcel, dispatch, carrier, dlq) or the
// station (notify) the message belongs to, so a permission or a consumer
// filter on tongpei.<family>.<party>.> sees exactly one party's traffic.
// Every subject is built here, never by concatenation at the call site.
type Family string

// The families, one stream each (streams.go).
const (
	FamilyParcel   Family = "parcel"   // accepted parcel events, per carrier
	FamilyDispatch Family = "dispatch" // route and pickup jobs, per carrier
	FamilyCarrier  Family = "carrier"  // what carriers report back
	FamilyDLQ      Family = "dlq"      // carrier messages that could not be applied
	FamilyNotify   Family = "notify"   // pickup codes for recipients, per station
	// FamilySolver carries solve requests to the solver workers and their
	// cancels; no stream holds it, so requests are never stored.
	FamilySolver Family = "solver"
)

const subjectRoot = "tongpei"

// Subject is the subject of one message: tongpei.<family>.<tokens...>.
func (f Family) Subject(tokens ...string) string {
	return subjectRoot + "." + string(f) + "." + strings.Join(tokens, ".")
}

// Of matches everything of one party: tongpei.<family>.<party>.>.
func (f Family) Of(party string) string { return f.Subject(party, ">") }

// All matches the whole family: tongpei.<family>.>.
func (f Family) All() string { return f.Subject(">") }
