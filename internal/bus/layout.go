package bus

import (
	"os"
	"strings"
)

// Layout says whether subjects carry the county (issue 18).
//
// A single-county install keeps the published contract of DESIGN.md,
//
//	tongpei.<family>.<party>.<kind>
//
// with no configuration. A province deployment (several counties in one
// NATS) puts the county's GB/T 2260 code first,
//
//	tongpei.<county>.<family>.<party>.<kind>
//
// so one permission tongpei.<county>.parcel.<carrier>.> reaches exactly one
// carrier's events in one county, and a stream (or a mirror placed on other
// servers) can hold one county: tongpei.530427.> is a valid stream subject.
// Solver requests are province-wide (workers serve every county) and never
// carry a county.
//
// The outbox stores the county-less subject and the row's county; the relay
// places the row with Place when it publishes, so switching a deployment to
// per-county subjects re-routes even the rows not yet sent.
type Layout struct {
	// PerCounty puts the county in every subject but the solver's.
	PerCounty bool
}

// LayoutFromEnv is the layout TONGPEI_SUBJECT_COUNTY asks for: "1" or
// "true" for per-county subjects; anything else (or unset) the contract's.
func LayoutFromEnv() Layout {
	v := strings.ToLower(os.Getenv("TONGPEI_SUBJECT_COUNTY"))
	return Layout{PerCounty: v == "1" || v == "true"}
}

// AnyCounty stands for every county in a subject filter.
const AnyCounty = "*"

// In is family f of county (AnyCounty for all of them) in this layout; in
// the single-county layout the county is left out.
func (l Layout) In(f Family, county string) Scoped {
	if !l.PerCounty || f == FamilySolver {
		return Scoped{f: f}
	}
	return Scoped{f: f, county: county}
}

// Scoped is a family within one county (or within every county).
type Scoped struct {
	f      Family
	county string
}

func (s Scoped) prefix() string {
	if s.county == "" {
		return subjectRoot + "." + string(s.f) + "."
	}
	return subjectRoot + "." + s.county + "." + string(s.f) + "."
}

// Subject is one message's subject.
func (s Scoped) Subject(tokens ...string) string { return s.prefix() + strings.Join(tokens, ".") }

// Of matches everything of one party.
func (s Scoped) Of(party string) string { return s.Subject(party, ">") }

// All matches the whole family (in the county, or in every county).
func (s Scoped) All() string { return s.Subject(">") }

// Place is the subject a stored, county-less subject is published on for
// a row of county. In the single-county layout it is unchanged.
func (l Layout) Place(county, subject string) string {
	if !l.PerCounty || county == "" {
		return subject
	}
	rest, ok := strings.CutPrefix(subject, subjectRoot+".")
	if !ok || strings.HasPrefix(rest, string(FamilySolver)+".") {
		return subject
	}
	return subjectRoot + "." + county + "." + rest
}

// Split reads a subject of this layout back into its county ("" in the
// single-county layout) and its county-less form.
func (l Layout) Split(subject string) (county, rest string) {
	if !l.PerCounty {
		return "", subject
	}
	tokens := strings.SplitN(subject, ".", 3)
	if len(tokens) != 3 || tokens[0] != subjectRoot {
		return "", subject
	}
	return tokens[1], subjectRoot + "." + tokens[2]
}
