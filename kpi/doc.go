// Package kpi is the county plan's scorecard (附件1 of the plan, issue 11):
// station transaction volumes and their reward tiers, the review and public
// notice of the rewards, the companies stationed at the county centre, the
// realised farm-produce price cut, the joint-delivery saving, parcel flows
// by township and branded-box subsidies. It reads the other domains only
// through their Go APIs; its own SQL lives in the *_store.go files.
package kpi
