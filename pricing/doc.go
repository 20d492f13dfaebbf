// Package pricing is the county's certified shipping prices (issue 6): zones
// of destination provinces, the pre-programme baseline, the published bands,
// each express company's certified rate card, the certification of
// e-commerce firms, quotes, and the audit of what was charged. Rules live
// here in plain Go; the store*.go files hold the SQL; the API only
// translates HTTP.
//
// The rules, in one place:
//
//   - Chargeable weight is max(actual, L×W×H/divisor) rounded up to the
//     band set's step (default divisor 8000, whole kg). A price is the
//     first-weight price plus (weight − first weight) × per-kg price / 1000,
//     rounded half up to a fen once (Rate.PriceAt). Money is integer fen.
//   - Every tariff is versioned by effective_from and never edited; the
//     version in force at an instant is the newest not after it. Zonings,
//     bands and cards take effect from now on; a baseline may be dated in
//     the past (it is a survey of the market before the programme).
//   - A farm-produce band must be at or under 90 % of every baseline in force
//     at every weight step up to its bound (default 30 kg); a card must sit
//     inside its bands; both are refused with field errors otherwise.
//   - A certified firm pays the carrier's card, held inside the band and
//     under 90 % of the baseline even if a later band or baseline moved
//     under it; everyone else pays the baseline, and the line says why.
//   - Quotes are computed from an in-memory Snapshot (no database round
//     trip) and stored whole, so reading one later gives the same figures.
//   - Charges record what a shipped parcel paid; the price-reduction report
//     reads only charges.
package pricing
